// Receives a multipart upload as a stream (busboy): the one `file` part goes straight to a temp file
// under DATA_DIR/evidence/tmp while its SHA-256 and size are taken, and the size limit is checked
// WHILE it streams: past the limit the request is abandoned at once (413) and the temp file removed.
// Nothing is held in memory but one chunk, whatever the file's size.
import busboy from "busboy";
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeWebReadableStream } from "node:stream/web";
import { AppError } from "./errors.server.ts";

export type ReceivedFile = { tmpPath: string; originalName: string; size: number; sha256: string };
export type ReceivedUpload = { fields: Record<string, string>; file: ReceivedFile | null };

const FIELD_LIMITS = { fields: 10, fieldSize: 16 * 1024, parts: 12, fieldNameSize: 100 };
/** Multipart framing and the small fields around the file. */
const ENVELOPE_BYTES = 256 * 1024;

export function tooLarge(maxBytes: number) {
  const mb = (maxBytes / (1024 * 1024)).toFixed(maxBytes % (1024 * 1024) ? 1 : 0);
  return new AppError("too_large", `The file is larger than the ${mb} MB limit`, { fields: { file: `must be at most ${mb} MB` } });
}
const bad = (message: string, field = "file") => new AppError("bad_request", message, { fields: { [field]: message } });

/** Removes a temp file; never throws (a leftover, e.g. from a crash, goes in the next sweep). */
export async function discard(path: string | undefined) {
  if (path) await rm(path, { force: true }).catch(() => undefined);
}

let swept = false;
/** Once per process: temp files older than an hour belong to no upload in flight (crashed process). */
async function sweepTmp(tmpDir: string) {
  if (swept) return;
  swept = true;
  const cutoff = Date.now() - 60 * 60 * 1000;
  for (const name of await readdir(tmpDir).catch(() => [] as string[])) {
    if (!name.endsWith(".part")) continue;
    const path = join(tmpDir, name);
    const info = await stat(path).catch(() => null);
    if (info && info.mtimeMs < cutoff) await discard(path);
  }
}

/**
 * `beforeFile` sees the fields sent before the file part (the form's CSRF token comes first) and
 * may refuse by throwing an AppError: the file is then never written. Without a file part it runs
 * at the end.
 */
export async function receiveUpload(request: Request, opts: { maxBytes: number; tmpDir: string; beforeFile?: (fields: Record<string, string>) => void }): Promise<ReceivedUpload> {
  const contentType = request.headers.get("Content-Type") ?? "";
  if (!/^multipart\/form-data;/i.test(contentType)) throw bad("Send the file as multipart/form-data", "body");
  // An honest Content-Length already over the limit is refused before a byte is read.
  const declared = Number(request.headers.get("Content-Length") ?? NaN);
  if (Number.isFinite(declared) && declared > opts.maxBytes + ENVELOPE_BYTES) throw tooLarge(opts.maxBytes);
  if (!request.body) throw bad("The request has no body", "body");
  await mkdir(opts.tmpDir, { recursive: true, mode: 0o700 });
  await sweepTmp(opts.tmpDir);

  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: { "content-type": contentType }, limits: { ...FIELD_LIMITS, files: 1, fileSize: opts.maxBytes }, defParamCharset: "utf8" });
  } catch {
    throw bad("The multipart body is malformed", "body");
  }
  const source = Readable.fromWeb(request.body as unknown as NodeWebReadableStream<Uint8Array>);
  const fields: Record<string, string> = {};
  let file: ReceivedFile | null = null;
  let tmpPath: string | undefined;
  let writing: Promise<void> | undefined;
  let fileStream: Readable | undefined;

  return new Promise<ReceivedUpload>((resolve, reject) => {
    let settled = false;
    const fail = async (error: AppError) => {
      if (settled) return;
      settled = true;
      source.unpipe(parser);
      source.destroy();
      fileStream?.destroy();
      await writing?.catch(() => undefined);
      await discard(tmpPath);
      reject(error);
    };

    let checked = !opts.beforeFile;
    const check = (): boolean => {
      if (checked) return true;
      checked = true;
      try {
        opts.beforeFile!(fields);
        return true;
      } catch (error) {
        void fail(error instanceof AppError ? error : bad("The upload was refused", "body"));
        return false;
      }
    };

    parser.on("file", (name, stream, info) => {
      if (name !== "file" || file || writing || !check()) return void stream.resume(); // only one file part, named "file"
      fileStream = stream;
      tmpPath = join(opts.tmpDir, `${randomBytes(16).toString("hex")}.part`);
      const hash = createHash("sha256");
      let size = 0;
      const current: ReceivedFile = { tmpPath, originalName: info.filename ?? "", size: 0, sha256: "" };
      stream.on("limit", () => void fail(tooLarge(opts.maxBytes)));
      writing = pipeline(
        stream,
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            size += chunk.length;
            hash.update(chunk);
            yield chunk;
          }
        },
        createWriteStream(tmpPath, { flags: "wx", mode: 0o600 }),
      ).then(() => {
        current.size = size;
        current.sha256 = hash.digest("hex");
        file = current;
      });
      writing.catch(() => void fail(bad("The upload was interrupted")));
    });
    parser.on("field", (name, value, info) => {
      if (info.valueTruncated) return void fail(bad(`The field ${name.slice(0, 40)} is too long`, name));
      fields[name] = value;
    });
    for (const event of ["filesLimit", "fieldsLimit", "partsLimit"] as const) parser.on(event, () => void fail(bad("Send one file and only the documented fields", "body")));
    parser.on("error", () => void fail(bad("The multipart body is malformed", "body")));
    source.on("error", () => void fail(bad("The upload was interrupted", "body")));
    parser.on("close", () => {
      void (async () => {
        try {
          await writing;
        } catch {
          return; // fail() already answered
        }
        if (settled || !check()) return;
        settled = true;
        resolve({ fields, file });
      })();
    });
    source.pipe(parser);
  });
}
