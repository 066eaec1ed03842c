// A log's page and its hazard list (GET /api/v1/hazard-logs/{id}/hazards) depend on one fact of the
// log besides its id: whether it has an upstream log (the queries read own hazards only, or join
// the upstream rows). That fact never changes once the log exists (its ref counter is the only
// column ever updated). Learnt from the log's first read in this process, it lets the reads be
// issued with the access check, in the same pipelined transaction on PostgreSQL
// (db/caller-reads.ts): one round trip fewer per page (issue 9).
//
// Safe to start early: the reads run as the caller under row-level security, and their answers are
// used only after requireLog has let the caller in (its 404 or 403 wins, the answers are dropped).
// A fact found different (never expected) re-runs the reads with the log's real one.
import type { LogWithFacts } from "./permissions.server.ts";

const inheritsByLog = new Map<string, boolean>();
/** Bounds the memory: an estate has hundreds of logs, not this many. */
const MAX_LOGS = 10_000;

function remember(logId: string, inherits: boolean) {
  if (inheritsByLog.size >= MAX_LOGS) inheritsByLog.clear();
  inheritsByLog.set(logId, inherits);
}

/**
 * The log (`check`: the access check, e.g. requireLog) and the answer of `reads(inherits)`: started
 * with the check when this process has read the log before, after it otherwise. `prepare` (parsing
 * the query) runs in between: if it throws, the check's own error is thrown in its place, as when
 * the query was parsed after the check.
 */
export async function readWithLog<Q, T>(
  logId: string,
  check: () => Promise<LogWithFacts>,
  prepare: () => Q,
  reads: (inherits: boolean, prepared: Q) => Promise<T>,
): Promise<{ log: LogWithFacts; prepared: Q; result: T }> {
  const logRead = check();
  let prepared: Q;
  try {
    prepared = prepare();
  } catch (error) {
    await logRead;
    throw error;
  }
  const known = inheritsByLog.get(logId);
  const early = known === undefined ? null : reads(known, prepared);
  early?.catch(() => {}); // reported below, or dropped when the access check fails first
  const log = await logRead;
  const inherits = !!log.upstreamLogId;
  if (early && inherits === known) return { log, prepared, result: await early };
  remember(log.id, inherits);
  return { log, prepared, result: await reads(inherits, prepared) };
}

/** Tests: forget every log (as a fresh server process does), or plant a wrong fact. */
export function forgetLogs() {
  inheritsByLog.clear();
}
export function plantInherits(logId: string, inherits: boolean) {
  remember(logId, inherits);
}
