// Reviewing upstream changes on an inherited hazard (domain reference §2.5): what changed upstream
// since this organisation last accepted (field by field), and accepting that upstream version — or
// recording that the hazard does not apply here, which accepts it and closes it locally with the
// reason (kept in the history; hazards are never deleted).
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { hazards, hazardVersions } from "#db/schema/index.ts";
import type { SessionUser } from "./auth.server.ts";
import { appendAudit } from "./audit.server.ts";
import { diffSnapshots, type FieldChange } from "./domain/hazard-diff.ts";
import { snapshotOf, type HazardView } from "./domain/hazard-view.ts";
import { AppError } from "./errors.server.ts";
import { loadHazardView, writeVersion, type Tx } from "./hazard-store.server.ts";
import { actorOf, auditActor, requireHazard } from "./hazards.server.ts";

export const AcceptUpstream = z.strictObject({
  version: z.number({ message: "version must be the upstream version you reviewed" }).int().min(1),
  comment: z.string().trim().max(2000, "Comment must be 2000 characters or fewer").optional(),
  notApplicable: z.boolean().optional(),
});
export type AcceptUpstream = z.infer<typeof AcceptUpstream>;

export type UpstreamReview = {
  acceptedVersion: number | null;
  currentVersion: number;
  /** Changes from the accepted upstream version to the current one (everything, when never accepted). */
  changes: FieldChange[];
  source: { hazardId: string; hazardLogId: string; ref: string };
};

async function upstreamSnapshot(tx: Tx, hazardId: string, version: number | null) {
  if (version === null) return {};
  const [row] = await tx.select({ snapshot: hazardVersions.snapshot }).from(hazardVersions).where(and(eq(hazardVersions.hazardId, hazardId), eq(hazardVersions.version, version)));
  return row?.snapshot ?? {};
}

export async function upstreamReview(user: SessionUser, hazardId: string): Promise<UpstreamReview | null> {
  const { db } = await requireHazard(user, hazardId);
  const view = await loadHazardView(db, hazardId);
  if (!view.upstream) return null;
  const current = await loadHazardView(db, view.upstream.hazardId);
  const before = await upstreamSnapshot(db, current.id, view.upstream.acceptedVersion);
  return {
    acceptedVersion: view.upstream.acceptedVersion,
    currentVersion: current.version,
    changes: view.upstream.acceptedVersion === current.version ? [] : diffSnapshots(before, snapshotOf(current)),
    source: { hazardId: current.id, hazardLogId: current.hazardLogId, ref: current.ref },
  };
}

export async function acceptUpstream(user: SessionUser, hazardId: string, input: AcceptUpstream, requestId: string | null): Promise<HazardView> {
  const { db, log } = await requireHazard(user, hazardId, "assess:hazard");
  if (input.notApplicable && !input.comment) throw new AppError("bad_request", "Say why the hazard does not apply here", { fields: { comment: "Say why the hazard does not apply here" } });
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(hazards).where(eq(hazards.id, hazardId)).for("update");
    if (!row.upstreamHazardId) throw new AppError("not_allowed", "This hazard is not inherited: there is no upstream version to accept");
    const before = await loadHazardView(tx, hazardId);
    const [upstream] = await tx.select({ version: hazards.version }).from(hazards).where(eq(hazards.id, row.upstreamHazardId));
    if (upstream.version !== input.version)
      throw new AppError("stale_version", `The upstream hazard has changed again (you reviewed version ${input.version}, it is now at version ${upstream.version})`, { current: before });
    const closing = input.notApplicable && row.status !== "closed";
    if (row.upstreamAcceptedVersion === input.version && !closing) return before;
    await tx
      .update(hazards)
      .set({ upstreamAcceptedVersion: input.version, version: row.version + 1, updatedAt: new Date(), ...(closing ? { status: "closed" as const } : {}) })
      .where(eq(hazards.id, hazardId));
    const after = await loadHazardView(tx, hazardId);
    const changes: FieldChange[] = [{ field: "upstream.acceptedVersion", from: row.upstreamAcceptedVersion, to: input.version }, ...diffSnapshots(snapshotOf(before), snapshotOf(after))];
    const reason = input.notApplicable
      ? `Not applicable here: ${input.comment}`
      : input.comment ? `Accepted upstream version ${input.version}: ${input.comment}` : `Accepted upstream version ${input.version}`;
    await writeVersion(tx, after, changes, reason, actorOf(user, log));
    await appendAudit(tx, {
      organisationId: log.organisationId,
      actor: auditActor(user, log),
      action: input.notApplicable ? "hazard.upstream_not_applicable" : "hazard.upstream_accepted",
      entityType: "hazard",
      entityId: hazardId,
      changes: { ref: after.ref, version: after.version, diff: changes },
      reason,
      requestId,
    });
    return after;
  });
}
