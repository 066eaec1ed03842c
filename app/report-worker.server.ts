// Large reports render off the request thread. pdfkit keeps every page in memory for "Page x of y"
// and its final write-out cannot yield, so a 5,000-hazard report would stall every other user for
// about half a second and hold a gigabyte: reports of REPORT_WORKER_MIN_HAZARDS or more go to one
// worker thread (server/report-worker.js, which loads the same built code). Under Vitest, or when
// the server did not start a worker (REPORT_WORKER_PATH unset), they render here.
import { Worker } from "node:worker_threads";
import { getEnv } from "./env.server.ts";
import { hazardCount, type ReportJob } from "./reports/render-job.ts";

type Pending = { resolve: (bytes: Buffer) => void; reject: (error: Error) => void };
const g = globalThis as unknown as { __reportWorker?: { worker: Worker; pending: Map<number, Pending>; next: number } };

export function shouldUseWorker(job: ReportJob): boolean {
  return !!process.env.REPORT_WORKER_PATH && hazardCount(job) >= getEnv().reportWorkerMinHazards;
}

function reportWorker() {
  if (g.__reportWorker) return g.__reportWorker;
  const worker = new Worker(process.env.REPORT_WORKER_PATH!);
  const state = { worker, pending: new Map<number, Pending>(), next: 0 };
  worker.on("message", (m: { id: number; bytes?: Uint8Array; error?: string }) => {
    const job = state.pending.get(m.id);
    state.pending.delete(m.id);
    if (!job) return;
    if (m.bytes) job.resolve(Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength));
    else job.reject(new Error(m.error ?? "report worker failed"));
  });
  // A crashed worker fails what it was doing; the next report starts a new one.
  const fail = (error: Error) => {
    for (const p of state.pending.values()) p.reject(error);
    state.pending.clear();
    if (g.__reportWorker === state) g.__reportWorker = undefined;
  };
  worker.on("error", fail);
  worker.on("exit", (code) => fail(new Error(`report worker exited (${code})`)));
  worker.unref();
  g.__reportWorker = state;
  return state;
}

/** The whole PDF, rendered by the worker thread (jobs run one after another there). */
export function renderInWorker(job: ReportJob, now: Date): Promise<Buffer> {
  const state = reportWorker();
  const id = state.next++;
  return new Promise((resolve, reject) => {
    state.pending.set(id, { resolve, reject });
    state.worker.postMessage({ id, job, now: now.toISOString() });
  });
}
