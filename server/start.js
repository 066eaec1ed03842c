// Serves the built app: migrates (and seeds the embedded demo database), then listens.
// Plain JavaScript so it runs without a compile step; the app itself is in build/server.
//
// With PostgreSQL it runs one process per core (WEB_CONCURRENCY, app/env.server.ts): this primary
// prepares the database, then forks workers that share the listening socket (node:cluster), restarts
// a worker that dies, and passes import progress between them. The embedded database: one process.
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import cluster from "node:cluster";
import express from "express";
import { randomBytes, randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { requestScope } from "./request-scope.js";
import { securityHeaders } from "./security-headers.js";

const startedAt = Date.now();
// Large PDF reports render in a worker thread that loads this same build (app/report-worker.server.ts).
process.env.REPORT_WORKER_PATH ??= fileURLToPath(new URL("./report-worker.js", import.meta.url));
const build = await import("../build/server/index.js");
const app = build.entry.module;

try {
  await app.prepareDatabase();
} catch (error) {
  // A setting error is one clear line; anything else keeps its stack for the operator.
  console.error(error?.name === "SettingError" ? error.message : error);
  process.exit(1);
}

const processes = cluster.isPrimary ? app.serverProcessCount() : 1;
if (processes > 1) await runWorkers(processes);
else serve();

/** The primary: forks the workers and keeps them running until told to stop. */
async function runWorkers(count) {
  await app.closeDatabase(); // the workers open their own pools
  let stopping = false;
  const workers = () => Object.values(cluster.workers ?? {});
  const fork = () => cluster.fork();
  cluster.on("message", (worker, message) => app.relayImportProgress(worker, message, workers()));
  const listening = new Set();
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) return;
    if (!listening.has(worker.id)) {
      // It never started (it said why): stop rather than restart it for ever.
      console.error(`Server process ${worker.process.pid} failed to start (${signal ?? code})`);
      stopping = true;
      for (const w of workers()) w.process.kill("SIGTERM");
      process.exit(1);
    }
    console.error(`Server process ${worker.process.pid} stopped (${signal ?? code}); starting another`);
    fork();
  });
  for (const signal of ["SIGTERM", "SIGINT"]) {
    process.once(signal, () => {
      stopping = true;
      const running = workers();
      if (!running.length) process.exit(0);
      let left = running.length;
      for (const w of running) {
        w.once("exit", () => --left === 0 && process.exit(0));
        w.process.kill(signal);
      }
    });
  }
  cluster.on("listening", (worker) => {
    listening.add(worker.id);
    if (listening.size === count) console.log(`Clinical safety workflow ready on http://localhost:${Number(process.env.PORT ?? 3000)} (${Date.now() - startedAt} ms, ${count} processes)`);
  });
  for (let i = 0; i < count; i++) fork();
}

function serve() {
  const isProduction = process.env.NODE_ENV === "production";
  const server = express();
  server.disable("x-powered-by");
  server.set("trust proxy", process.env.TRUST_PROXY === "true");
  server.use(compression());
  // Row-level security: each request runs in its own scope; requireUser / requireApiUser name the
  // caller there, and the database shows that caller only its organisations' rows (db/request-scope.ts).
  server.use(requestScope(app));
  server.use((req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString("base64");
    res.locals.requestId = randomUUID();
    res.set(securityHeaders({ nonce: res.locals.cspNonce, isProduction }));
    res.set("X-Request-Id", res.locals.requestId);
    next();
  });
  server.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
  // The other public files (favicon, the design system's files) are few: only requests for them look
  // on disk, not every page request.
  const publicNames = new Set(readdirSync("build/client"));
  const publicFiles = express.static("build/client", { maxAge: "1h" });
  server.use((req, res, next) => (publicNames.has(req.path.split("/")[1]) ? publicFiles(req, res, next) : next()));
  server.all(
    "*",
    createRequestHandler({
      build,
      getLoadContext: (req, res) => ({ cspNonce: res.locals.cspNonce, requestId: res.locals.requestId, clientIp: req.ip ?? "unknown" }),
    }),
  );

  const port = Number(process.env.PORT ?? 3000);
  server.listen(port, process.env.HOST, () => {
    if (cluster.isPrimary) console.log(`Clinical safety workflow ready on http://localhost:${port} (${Date.now() - startedAt} ms)`);
  });
}
