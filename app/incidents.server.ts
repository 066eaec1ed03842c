// Safety incidents (near miss or harm) recorded by any organisation against a hazard it can read.
// An incident on one hazard of an inheritance family (the origin hazard and every hazard inheriting
// it, at any level) flags every member of the family for review until that hazard is next changed.
// Other organisations see that an incident happened (kind, date, where) but read its description
// only if they may read the hazard it was recorded against.
import { desc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { hazards, incidents, organisations } from "#db/schema/index.ts";
import { asService } from "#db/request-scope.ts";
import type { SessionUser } from "./auth.server.ts";
import { appendAudit } from "./audit.server.ts";
import { looksLikeNhsNumber } from "./domain/incident-text.ts";
import { canReadLog, incidentRecorderFor } from "./domain/permissions.ts";
import { AppError, forbidden } from "./errors.server.ts";
import type { Tx } from "./hazard-store.server.ts";
import { requireHazard } from "./hazards.server.ts";
import { loadLogsWithFacts } from "./permissions.server.ts";

export const NewIncident = z.strictObject({
  kind: z.enum(["near_miss", "harm"], { message: "Choose near miss or harm" }),
  occurredOn: z.iso.date({ message: "Enter the date as YYYY-MM-DD" }),
  description: z.string().trim().min(1, "Describe what happened").max(4000, "Description must be 4000 characters or fewer")
    .refine((t) => !looksLikeNhsNumber(t), "This looks like an NHS number. Incidents must not identify patients: remove it"),
});
export type NewIncident = z.infer<typeof NewIncident>;

export type IncidentView = {
  id: string; hazardId: string; kind: "near_miss" | "harm"; occurredOn: string; recordedAt: string;
  organisation: { id: string; name: string };
  /** Null when the reader may not read the hazard it was recorded against. */
  description: string | null;
  here: boolean;
};

/** The origin hazard and every hazard inheriting it, at any depth. */
export async function familyOf(tx: Tx, hazardId: string): Promise<string[]> {
  let origin = hazardId;
  for (let i = 0; i < 10; i++) {
    const [row] = await tx.select({ up: hazards.upstreamHazardId }).from(hazards).where(eq(hazards.id, origin));
    if (!row?.up) break;
    origin = row.up;
  }
  const family = [origin];
  for (let frontier = [origin]; frontier.length; ) {
    const next = (await tx.select({ id: hazards.id }).from(hazards).where(inArray(hazards.upstreamHazardId, frontier))).map((r) => r.id);
    family.push(...next);
    frontier = next;
  }
  return family;
}

export async function recordIncident(user: SessionUser, hazardId: string, input: NewIncident, requestId: string | null) {
  const { db, row, log } = await requireHazard(user, hazardId);
  const today = new Date().toISOString().slice(0, 10);
  if (input.occurredOn > today) throw new AppError("bad_request", "The incident date cannot be in the future", { fields: { occurredOn: "The date cannot be in the future" } });
  // Any reader organisation may report, through a member who works on safety (not viewers or admins).
  const member = incidentRecorderFor(user.memberships, log.facts);
  if (!member) throw forbidden("Only a CSO, contributor or approver can record an incident");
  return db.transaction(async (tx) => {
    const [created] = await tx.insert(incidents).values({ hazardId: row.id, organisationId: member.organisationId, kind: input.kind, occurredOn: input.occurredOn, description: input.description, createdBy: user.id }).returning();
    await appendAudit(tx, {
      organisationId: member.organisationId,
      actor: { userId: user.id, name: user.name, role: member.role },
      action: "incident.recorded",
      entityType: "hazard",
      entityId: row.id,
      changes: { incidentId: created.id, kind: input.kind, occurredOn: input.occurredOn },
      requestId,
    });
    return created;
  });
}

/** Incidents on the hazard's family, newest first, and whether the hazard needs review because of them. */
export async function incidentsFor(user: SessionUser, hazardId: string): Promise<{ incidents: IncidentView[]; needsReview: boolean }> {
  const { db, row } = await requireHazard(user, hazardId);
  // The family reaches into logs the caller may not read (another trust's copy of the hazard): read
  // it as the service, past row-level security; below, a description shows only where the caller
  // may read the hazard it was recorded against (canReadLog), the rest only that it happened.
  const rows = await asService(async () => {
    const family = await familyOf(db, row.id);
    return db
      .select({ i: incidents, org: organisations.name, logId: hazards.hazardLogId })
      .from(incidents)
      .innerJoin(organisations, eq(organisations.id, incidents.organisationId))
      .innerJoin(hazards, eq(hazards.id, incidents.hazardId))
      .where(inArray(incidents.hazardId, family))
      .orderBy(desc(incidents.createdAt));
  });
  const logs = new Map((await loadLogsWithFacts(db, [...new Set(rows.map((r) => r.logId))])).map((l) => [l.id, l]));
  const views = rows.map(({ i, org, logId }) => {
    const readable = logs.has(logId) && canReadLog(user.memberships, logs.get(logId)!.facts);
    return { id: i.id, hazardId: i.hazardId, kind: i.kind, occurredOn: i.occurredOn, recordedAt: i.createdAt.toISOString(), organisation: { id: i.organisationId, name: org }, description: readable ? i.description : null, here: i.hazardId === row.id };
  });
  return { incidents: views, needsReview: rows.some((r) => r.i.createdAt > row.updatedAt) };
}
