// Progress of imports being applied, in this process's memory, keyed by preview id. Why memory:
// the apply is one transaction, and on the embedded database (one connection) any query, a
// progress read included, would wait behind it. When server/start.js runs several processes
// (WEB_CONCURRENCY), each change is sent to the primary, which relays it to the other workers, so
// the page's progress poll answers whichever process it reaches. Several separate instances behind
// a load balancer would need sticky sessions or a shared store (e.g. a pg-boss job table).
import cluster from "node:cluster";
export type ImportProgress = { /** The session id hash of the request that started it: only that session may read it. */
  owner: string; total: number; done: number; state: "running" | "done" | "failed"; at: number };

const g = globalThis as unknown as { __importProgress?: Map<string, ImportProgress>; __importProgressListening?: boolean };
const progress = (g.__importProgress ??= new Map());
const KEEP_MS = 10 * 60_000;

type ProgressMessage = { kind: "import-progress"; previewId: string; progress: ImportProgress };
const isProgressMessage = (m: unknown): m is ProgressMessage => (m as ProgressMessage | null)?.kind === "import-progress";

/** This worker's change, for the other workers. */
function share(previewId: string) {
  const p = progress.get(previewId);
  if (p && cluster.isWorker) process.send?.({ kind: "import-progress", previewId, progress: p } satisfies ProgressMessage);
}
if (cluster.isWorker && !g.__importProgressListening) {
  g.__importProgressListening = true;
  process.on("message", (m: unknown) => {
    if (isProgressMessage(m)) progress.set(m.previewId, m.progress);
  });
}

/** The primary's side (server/start.js): passes a worker's progress message on to every other worker. */
export function relayImportProgress(from: { id: number }, message: unknown, workers: { id: number; send: (m: unknown) => unknown }[]) {
  if (!isProgressMessage(message)) return;
  for (const w of workers) if (w.id !== from.id) w.send(message);
}

export function startProgress(previewId: string, owner: string, total: number) {
  for (const [id, p] of progress) if (Date.now() - p.at > KEEP_MS) progress.delete(id);
  progress.set(previewId, { owner, total, done: 0, state: "running", at: Date.now() });
  share(previewId);
}

export function advanceProgress(previewId: string, done: number, total: number) {
  const p = progress.get(previewId);
  if (p) Object.assign(p, { done, total, at: Date.now() });
  share(previewId);
}

export function finishProgress(previewId: string, state: "done" | "failed") {
  const p = progress.get(previewId);
  if (p) Object.assign(p, { state, at: Date.now() });
  share(previewId);
}

/** Only for the session that started it; null otherwise (as if there were none). */
export function readProgress(previewId: string, owner: string | null): Omit<ImportProgress, "owner" | "at"> | null {
  const p = progress.get(previewId);
  if (!p || !owner || p.owner !== owner) return null;
  return { total: p.total, done: p.done, state: p.state };
}
