// The report worker thread (app/report-worker.server.ts): renders large PDF reports with the same
// built code as the server, one job at a time, and posts the bytes back. Plain JavaScript, like
// server/start.js, so it runs without a compile step.
import { parentPort } from "node:worker_threads";

const build = await import("../build/server/index.js");
const { renderJobBytes } = build.entry.module;

parentPort.on("message", async ({ id, job, now }) => {
  try {
    const bytes = await renderJobBytes(job, now);
    parentPort.postMessage({ id, bytes }, [bytes.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
