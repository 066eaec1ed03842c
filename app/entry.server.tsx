import { Writable } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { getEnv } from "./env.server.ts";
import { NonceProvider } from "./nonce.tsx";

// The HTTP server (server/start.js) calls this before it listens; with several server processes
// the primary prepares the database, closes it and forks that many workers.
export { closeDatabase, prepareDatabase } from "./db.server.ts";
export function serverProcessCount(): number {
  return getEnv().workers;
}
export { relayImportProgress } from "./import-progress.server.ts";
// ... and runs every request inside this scope, which requireUser / requireApiUser fill with the
// caller's organisations for row-level security (db/request-scope.ts).
export { runInRequestScope } from "#db/request-scope.ts";
// For server/report-worker.js: large reports render in a worker thread with this same code.
export { renderJobBytes } from "./reports/render-job.ts";

const ABORT_DELAY = 5_000;
export const streamTimeout = ABORT_DELAY;

/**
 * Renders the whole document, then answers it as one body. Every page's data is ready when it
 * renders (no deferred data), so streaming bought nothing but cost: React's 2 KB chunks each
 * crossed a Node stream, a web stream and Express's writable in turn, a fifth of a log page's
 * server time on a 2-core machine (issue 9). React's own writer is patched too
 * (patches/react-dom+18.3.1.patch): it appends each piece to one string instead of encoding every
 * piece into a 2 KB buffer, which cost a tenth of a page's time and, where a multibyte character
 * met a buffer's end, wrote NUL bytes into the page (facebook/react#24985).
 */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext?.cspNonce ?? "";
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        onShellReady() {
          shellRendered = true;
        },
        onAllReady() {
          const chunks: Buffer[] = [];
          const body = new Writable({
            write(chunk: Buffer, _encoding, done) {
              chunks.push(chunk);
              done();
            },
            final(done) {
              clearTimeout(timer);
              const document = Buffer.concat(chunks);
              responseHeaders.set("Content-Type", "text/html; charset=utf-8");
              // A known length: the page leaves in one write, not chunked with a closing chunk of its own.
              responseHeaders.set("Content-Length", String(document.byteLength));
              resolve(new Response(document, { headers: responseHeaders, status: responseStatusCode }));
              done();
            },
          });
          pipe(body);
        },
        onShellError(error: unknown) {
          clearTimeout(timer);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Log server-side only; users never see a stack trace.
          if (shellRendered) console.error(error);
        },
      },
    );
    const timer = setTimeout(abort, ABORT_DELAY);
  });
}

export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  console.error(error);
}
