// Change propagation down the inheritance chain (supplier log → ICB shared log → each trust's log;
// domain reference §2.5). Inheritance is by reference, so a downstream hazard's merged view changes
// whenever anything upstream changes: that is recorded as a new version of the downstream hazard
// (with the field-by-field diff), which lapses its organisation's acceptance until its CSO reviews
// it — `upstream.currentVersion` moves past `upstream.acceptedVersion` at every level of the chain.
// A new upstream hazard appears downstream at once, not yet accepted.
import { desc, eq } from "drizzle-orm";
import { hazardLogs, hazards, hazardVersions } from "#db/schema/index.ts";
import { diffSnapshots } from "./domain/hazard-diff.ts";
import { snapshotOf, type HazardView } from "./domain/hazard-view.ts";
import { insertInheritedHazard, insertInheritedHazards, loadHazardView, loadRiskScheme, searchTextOf, writeVersion, type Actor, type BulkContext, type Tx } from "./hazard-store.server.ts";

/** After `upstream` got a new version: a new version of every hazard inheriting it, recursively. */
export async function propagateChange(tx: Tx, upstream: HazardView, actor: Actor) {
  const rows = await tx.select().from(hazards).where(eq(hazards.upstreamHazardId, upstream.id)).for("update");
  for (const row of rows) {
    const [previous] = await tx.select({ snapshot: hazardVersions.snapshot }).from(hazardVersions).where(eq(hazardVersions.hazardId, row.id)).orderBy(desc(hazardVersions.version)).limit(1);
    await tx
      .update(hazards)
      .set({ version: row.version + 1, updatedAt: new Date(), searchText: searchTextOf([upstream.title, upstream.description, ...upstream.causes, ...row.causes]) })
      .where(eq(hazards.id, row.id));
    const after = await loadHazardView(tx, row.id);
    const changes = diffSnapshots(previous?.snapshot ?? {}, snapshotOf(after));
    await writeVersion(tx, after, changes, `Upstream hazard ${upstream.ref} changed (now version ${upstream.version}); review needed`, actor);
  }
}

/** A hazard new in `view`'s log appears in every log inheriting that log, not yet accepted there. */
export async function inheritDownstream(tx: Tx, view: HazardView, actor: Actor) {
  const logs = await tx.select().from(hazardLogs).where(eq(hazardLogs.upstreamLogId, view.hazardLogId));
  for (const log of logs) {
    const scheme = await loadRiskScheme(tx, log.riskSchemeId);
    await insertInheritedHazard(tx, { log, scheme, upstream: view, acceptedVersion: null, actor });
  }
}

/** inheritDownstream for many new hazards at once (the import): per inheriting log, the copies in
 * the same order as one by one, written in bulk. */
export async function inheritDownstreamMany(tx: Tx, views: HazardView[], actor: Actor, ctx: BulkContext) {
  const byLog = new Map<string, HazardView[]>();
  for (const v of views) {
    const list = byLog.get(v.hazardLogId) ?? [];
    list.push(v);
    byLog.set(v.hazardLogId, list);
  }
  for (const [logId, upstreams] of byLog) {
    const logs = await tx.select().from(hazardLogs).where(eq(hazardLogs.upstreamLogId, logId));
    for (const log of logs) {
      const scheme = await loadRiskScheme(tx, log.riskSchemeId);
      await insertInheritedHazards(tx, { log, scheme, upstreams, acceptedVersion: null, actor, ctx });
    }
  }
}
