// Progress of imports being applied, in this process's memory, keyed by preview id. Why memory:
// the apply is one transaction, and on the embedded database (one connection) any query, a
// progress read included, would wait behind it. Fine for one app instance; several instances
// behind a load balancer would need sticky sessions or a shared store (e.g. a pg-boss job table).
export type ImportProgress = { /** The session id hash of the request that started it: only that session may read it. */
  owner: string; total: number; done: number; state: "running" | "done" | "failed"; at: number };

const g = globalThis as unknown as { __importProgress?: Map<string, ImportProgress> };
const progress = (g.__importProgress ??= new Map());
const KEEP_MS = 10 * 60_000;

export function startProgress(previewId: string, owner: string, total: number) {
  for (const [id, p] of progress) if (Date.now() - p.at > KEEP_MS) progress.delete(id);
  progress.set(previewId, { owner, total, done: 0, state: "running", at: Date.now() });
}

export function advanceProgress(previewId: string, done: number, total: number) {
  const p = progress.get(previewId);
  if (p) Object.assign(p, { done, total, at: Date.now() });
}

export function finishProgress(previewId: string, state: "done" | "failed") {
  const p = progress.get(previewId);
  if (p) Object.assign(p, { state, at: Date.now() });
}

/** Only for the session that started it; null otherwise (as if there were none). */
export function readProgress(previewId: string, owner: string | null): Omit<ImportProgress, "owner" | "at"> | null {
  const p = progress.get(previewId);
  if (!p || !owner || p.owner !== owner) return null;
  return { total: p.total, done: p.done, state: p.state };
}
