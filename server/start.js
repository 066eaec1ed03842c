// Serves the built app: migrates (and seeds the embedded demo database), then listens.
// Plain JavaScript so it runs without a compile step; the app itself is in build/server.
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";
import { randomBytes, randomUUID } from "node:crypto";
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
server.use(express.static("build/client", { maxAge: "1h" }));
server.all(
  "*",
  createRequestHandler({
    build,
    getLoadContext: (req, res) => ({ cspNonce: res.locals.cspNonce, requestId: res.locals.requestId, clientIp: req.ip ?? "unknown" }),
  }),
);

const port = Number(process.env.PORT ?? 3000);
server.listen(port, process.env.HOST, () => {
  console.log(`Clinical safety workflow ready on http://localhost:${port} (${Date.now() - startedAt} ms)`);
});
