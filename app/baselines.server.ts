// Frozen baselines of a hazard log: the canonical JSON of every hazard (as users see it, inherited
// fields merged, controls included, deprecated hazards too) and its SHA-256. Signatures bind to the
// hash, so what was signed can be proven months later by recomputing it from `content`.
import { and, desc, eq, gt, inArray, sql } from "drizzle-orm";
import { baselines, hazardLogs, hazards, hazardVersions, type BaselineRow } from "#db/schema/index.ts";
import { canonicalJson, sha256Hex } from "./domain/canonical.ts";
import { snapshotOf } from "./domain/hazard-view.ts";
import { standingEvidenceByControl } from "./evidence-store.server.ts";
import { buildViews, type Tx } from "./hazard-store.server.ts";

/** The log's content now, in canonical form, with its hash. */
export async function logContent(tx: Tx, hazardLogId: string) {
  const [log] = await tx.select().from(hazardLogs).where(eq(hazardLogs.id, hazardLogId));
  if (!log) throw new Error(`Hazard log ${hazardLogId} not found`);
  const rows = await tx.select().from(hazards).where(eq(hazards.hazardLogId, hazardLogId)).orderBy(hazards.refNumber);
  const views = await buildViews(tx, rows);
  // Every evidence file the log relies on, by SHA-256 and review state, so a signature also binds
  // to the exact bytes of the evidence (a later change to a file cannot pass unnoticed).
  const evidence = await standingEvidenceByControl(tx, [...new Set(views.flatMap((v) => v.controls.map((c) => c.id)))]);
  const content = canonicalJson({
    hazardLog: { id: log.id, title: log.title, standard: log.standard, scope: log.scope, organisationId: log.organisationId },
    hazards: views.map((v) => ({
      ...snapshotOf(v),
      controls: v.controls.map((c) => ({ ...c, evidence: evidence.get(c.id) ?? [] })),
      version: v.version,
    })),
  });
  return { content, sha256: sha256Hex(content), hazardCount: views.length };
}

/**
 * The baseline of the log as it is now. When nothing changed since the latest baseline, that one is
 * reused (same hash, same version number); otherwise the next version is frozen. Called inside the
 * caller's transaction; the log row is locked so two freezes never take the same version number.
 */
export async function freezeBaseline(tx: Tx, hazardLogId: string, userId: string | null): Promise<BaselineRow> {
  await tx.select({ id: hazardLogs.id }).from(hazardLogs).where(eq(hazardLogs.id, hazardLogId)).for("update");
  const now = await logContent(tx, hazardLogId);
  const [latest] = await tx.select().from(baselines).where(eq(baselines.hazardLogId, hazardLogId)).orderBy(desc(baselines.hazardLogVersion)).limit(1);
  if (latest && latest.sha256 === now.sha256) return latest;
  const [row] = await tx
    .insert(baselines)
    .values({ hazardLogId, hazardLogVersion: (latest?.hazardLogVersion ?? 0) + 1, sha256: now.sha256, content: now.content, hazardCount: now.hazardCount, createdBy: userId })
    .returning();
  return row;
}

export async function loadBaseline(tx: Tx, id: string): Promise<BaselineRow | undefined> {
  const [row] = await tx.select().from(baselines).where(eq(baselines.id, id));
  return row;
}

/** True when any hazard of the log has had a version written since the baseline was frozen. */
export async function changedSince(tx: Tx, baseline: Pick<BaselineRow, "hazardLogId" | "createdAt">): Promise<boolean> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(hazardVersions)
    .where(and(inArray(hazardVersions.hazardId, tx.select({ id: hazards.id }).from(hazards).where(eq(hazards.hazardLogId, baseline.hazardLogId))), gt(hazardVersions.createdAt, baseline.createdAt)));
  return (row?.n ?? 0) > 0;
}

/** Recomputes a stored baseline's hash from its content: true when they still agree. */
export function baselineIntact(row: Pick<BaselineRow, "content" | "sha256">): boolean {
  return sha256Hex(row.content) === row.sha256;
}
