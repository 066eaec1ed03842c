// A log's list reads (the log page's rows, heatmaps and owners; the page of GET
// /api/v1/hazard-logs/{id}/hazards), kept per content revision of the log (issue 9).
//
// A log's content at one revision never changes: migration 0011's triggers give the log a new
// revision whenever any row its list shows changes (its hazards and its upstream logs' hazards, their
// links to controls, the controls and their evidence), whoever writes it. requireLog reads, in the
// same statement as the log, its key: the revisions of the log and of every log upstream of it, and
// which logs the caller may read (row-level security decides which of those rows the caller sees).
// The same log, caller's organisations, day and query at the same key read the same rows, so an
// answer kept under that key is answered again without reading: no PostgreSQL work at all.
//
// Never older than the key: the reads run after the check has returned the key, so they see that
// revision or a later one (a later one is kept under the earlier key, and answered only to a
// request whose own check saw the earlier key, that is, before the later one committed).
import { currentCaller } from "#db/request-scope.ts";
import type { LogWithFacts } from "./permissions.server.ts";

type Kept = { contentKey: string; value: unknown };

/** Least recently used first out; a Map iterates in insertion order, so a hit is moved to the end. */
class KeptReads {
  private readonly entries = new Map<string, Kept>();
  constructor(private readonly max: number) {}
  get(slot: string) {
    const kept = this.entries.get(slot);
    if (kept) {
      this.entries.delete(slot);
      this.entries.set(slot, kept);
    }
    return kept;
  }
  set(slot: string, kept: Kept) {
    this.entries.delete(slot);
    this.entries.set(slot, kept);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }
}

/**
 * What is kept, and how many queries of each: a page's reads are a few kilobytes; a page of the
 * API's full hazard views up to a few hundred (100 views with their controls).
 */
export const KEPT = { "log page": 1_000, "hazard list": 100 } as const;
export type KeptKind = keyof typeof KEPT;

// Per database handle: a test or a restore that opens another database never sees this one's answers.
let byDatabase = new WeakMap<object, Map<KeptKind, KeptReads>>();

function keptFor(db: object, kind: KeptKind) {
  let kinds = byDatabase.get(db);
  if (!kinds) byDatabase.set(db, (kinds = new Map()));
  let kept = kinds.get(kind);
  if (!kept) kinds.set(kind, (kept = new KeptReads(KEPT[kind])));
  return kept;
}

/**
 * The log (`check`: requireLog asked for the content key) and the answer of `reads(inherits)`: the
 * kept answer when the log's content key is the one it was kept under, else read now (after the
 * check: its 404 or 403 comes first) and kept. `prepare` (parsing the query) runs while the check is
 * under way: if it throws, the check's own error is thrown in its place. Kept answers are shared:
 * callers never change them.
 */
export async function readWithLog<Q, T>(
  logId: string,
  check: () => Promise<LogWithFacts>,
  prepare: () => Q,
  reads: (inherits: boolean, prepared: Q) => Promise<T>,
  keep: { db: object; kind: KeptKind; today: string },
): Promise<{ log: LogWithFacts; prepared: Q; result: T }> {
  const logRead = check();
  let prepared: Q;
  try {
    prepared = prepare();
  } catch (error) {
    await logRead;
    throw error;
  }
  const log = await logRead;
  const kept = keptFor(keep.db, keep.kind);
  const caller = currentCaller();
  const slot = JSON.stringify([logId, caller && [...caller].sort(), keep.today, prepared]);
  const hit = kept.get(slot);
  if (hit && log.contentKey !== undefined && hit.contentKey === log.contentKey) return { log, prepared, result: hit.value as T };
  const result = await reads(!!log.upstreamLogId, prepared);
  if (log.contentKey !== undefined) kept.set(slot, { contentKey: log.contentKey, value: result });
  return { log, prepared, result };
}

/** Tests: forget every kept answer, as a fresh server process starts. */
export function forgetKeptReads() {
  byDatabase = new WeakMap();
}
