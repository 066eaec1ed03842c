// Hazards: read, raise, edit (optimistic locking, reason,
// inherited-field protection, controls), deprecate, and their version history. Every change is one
// transaction with its hazard_versions row and its audit entry.
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { CONTROL_STATES, controls, hazardControls, hazards, hazardVersions, HAZARD_STATUSES, users, type HazardRow } from "#db/schema/index.ts";
import type { SessionUser } from "./auth.server.ts";
import { appendAudit, appendAuditBatch, type AuditInput } from "./audit.server.ts";
import { getDb } from "./db.server.ts";
import { diffSnapshots, fieldLabel, type FieldChange } from "./domain/hazard-diff.ts";
import { isUuid } from "./domain/ids.ts";
import { AssessmentInput, ControlInput, HAZARD_TYPES, HazardInput, LIMITS, SOURCES } from "./domain/hazard-fields.ts";
import { snapshotOf, type HazardView } from "./domain/hazard-view.ts";
import { lookupRiskOrNull, needsRiskBenefitJustification, type RiskScheme } from "./domain/risk.ts";
import { AppError, forbidden, notFound } from "./errors.server.ts";
import { requireAcceptedEvidenceForVerified } from "./evidence-store.server.ts";
import { assessmentColumns, buildViews, insertHazard, insertHazards, loadHazardView, loadRiskScheme, searchTextOf, writeVersion, type Actor, type BulkContext, type Tx } from "./hazard-store.server.ts";
import { can, requireLog, type LogWithFacts } from "./permissions.server.ts";


// ---------------------------------------------------------------------------------------------
// Schemas

const text = (max: number) => z.string().trim().max(max, `must be ${max} characters or fewer`);
const optionalText = (max: number) => text(max).nullable().optional();

/** A control in a PATCH: with `id` it updates that control of this hazard (omitted attributes kept). */
export const PatchControl = ControlInput.extend({
  state: z.enum(CONTROL_STATES).optional(),
  evidenceRefs: z.array(text(LIMITS.short)).max(20).optional(),
}).strict();
export type PatchControl = z.infer<typeof PatchControl>;

/**
 * PATCH body: the changed writable fields (no defaults: an absent field is left as it is), the
 * `version` the caller read, a `reason`, and optionally `deprecate: { reason }` or `reopen: true`.
 * Strict: `risk` and unknown fields are refused.
 */
export const HazardPatch = z
  .object({
    version: z.number({ error: "is required (the version you last read)" }).int().positive(),
    reason: optionalText(LIMITS.reason),
    title: text(LIMITS.title).min(1, "is required").optional(),
    description: text(LIMITS.text).optional(),
    causes: z.array(text(LIMITS.cause).min(1, "must not be empty")).max(LIMITS.causes).optional(),
    effect: text(LIMITS.text).optional(),
    hazard: text(LIMITS.text).optional(),
    harm: text(LIMITS.text).optional(),
    hazardType: z.enum(HAZARD_TYPES).nullable().optional(),
    source: z.enum(SOURCES).nullable().optional(),
    owner: optionalText(LIMITS.short),
    reviewDue: z.string().date("must be a date (YYYY-MM-DD)").nullable().optional(),
    controls: z.array(PatchControl).max(LIMITS.controls).optional(),
    initial: AssessmentInput.optional(),
    residual: AssessmentInput.optional(),
    riskBenefitJustification: optionalText(LIMITS.text),
    status: z.enum(HAZARD_STATUSES).optional(),
    deprecate: z.object({ reason: text(LIMITS.reason).min(1, "is required") }).strict().optional(),
    reopen: z.boolean().optional(),
  })
  .strict();
export type HazardPatch = z.infer<typeof HazardPatch>;

export { HazardInput };

// ---------------------------------------------------------------------------------------------
// Helpers

export function actorOf(user: SessionUser, log: LogWithFacts): Actor {
  return { userId: user.id, organisationId: log.organisationId };
}
export function auditActor(user: SessionUser, log: LogWithFacts) {
  return { userId: user.id, name: user.name, role: user.memberships.find((m) => m.organisationId === log.organisationId)?.role ?? null };
}

/** The hazard's row and its log, if the user may do `permission` there (404 when unreadable). */
export async function requireHazard(user: SessionUser, id: string, permission: "read:log" | "edit:hazard" | "assess:hazard" = "read:log") {
  if (!isUuid(id)) throw notFound("Hazard");
  const db = await getDb();
  const [row] = await db.select().from(hazards).where(eq(hazards.id, id));
  if (!row) throw notFound("Hazard");
  try {
    const log = await requireLog(db, user, row.hazardLogId, permission);
    return { db, row, log };
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") throw notFound("Hazard");
    throw error;
  }
}

function requireRiskBenefit(residualRisk: number | null, justification: string | null | undefined) {
  if (needsRiskBenefitJustification(residualRisk) && !justification?.trim())
    throw new AppError("bad_request", "A residual risk of 4 or 5 needs a risk–benefit justification", {
      fields: { riskBenefitJustification: `is required when the residual risk is ${residualRisk}` },
    });
}

// ---------------------------------------------------------------------------------------------
// Read

export async function getHazard(user: SessionUser, id: string): Promise<HazardView> {
  const { db, row } = await requireHazard(user, id);
  const [view] = await buildViews(db, [row]);
  return view;
}

// ---------------------------------------------------------------------------------------------
// Create

const hasAssessment = (a: { severity?: unknown; likelihood?: unknown } | undefined) => !!a && (a.severity != null || a.likelihood != null);

export async function createHazard(user: SessionUser, logId: string, input: HazardInput, requestId?: string | null): Promise<HazardView> {
  const db = await getDb();
  const log = await requireLog(db, user, logId, "edit:hazard");
  // The risk–benefit justification is part of accepting a risk, so it is the assessor's too.
  if ((hasAssessment(input.initial) || hasAssessment(input.residual) || !!input.riskBenefitJustification || input.status !== "open") && !can(user, log, "assess:hazard"))
    throw forbidden("Only the clinical safety officer may assess a hazard or set its status");
  return db.transaction(async (tx) => createHazardInTx(tx, { user, log, scheme: await loadRiskScheme(tx, log.riskSchemeId), input, reason: null, requestId: requestId ?? null }));
}

/**
 * An import carries the control states the organisation already recorded in its own log (with the
 * reason "Imported from <file>" in the history), so "verified needs accepted evidence" applies to
 * changes made here, not to imported records.
 */
type Imported = { imported?: boolean };

/** Raises a hazard inside the caller's transaction (permissions already checked): the import
 * applies many of these in one transaction, with the same rules and audit entries as one by one. */
export async function createHazardInTx(
  tx: Tx,
  a: { user: SessionUser; log: LogWithFacts; scheme: RiskScheme; input: HazardInput; reason: string | null; requestId: string | null } & Imported,
): Promise<HazardView> {
  const { user, log, input } = a;
  await checkNewHazard(tx, a.scheme, input, a.imported);
  const view = await insertHazard(tx, { log, scheme: a.scheme, input, actor: actorOf(user, log), reason: a.reason });
  await appendAudit(tx, createdEntry(a, view));
  return view;
}

/** The rules a new hazard must meet, whichever way it is created (throws AppError bad_request). */
export async function checkNewHazard(tx: Tx, scheme: RiskScheme, input: HazardInput, imported?: boolean) {
  requireRiskBenefit(lookupRiskOrNull(scheme, input.residual.likelihood, input.residual.severity), input.riskBenefitJustification);
  if (!imported) await requireAcceptedEvidenceForVerified(tx, input.controls, new Map());
}

function createdEntry(a: { user: SessionUser; log: LogWithFacts; reason: string | null; requestId: string | null }, view: HazardView): AuditInput {
  return {
    organisationId: a.log.organisationId,
    actor: auditActor(a.user, a.log),
    action: "hazard.created",
    entityType: "hazard",
    entityId: view.id,
    changes: { ref: view.ref, hazardLogId: a.log.id, snapshot: snapshotOf(view) },
    reason: a.reason,
    requestId: a.requestId,
  };
}

/** createHazardInTx for many inputs (the import): the same checks, rows and audit entries, in
 * input order, written in bulk (multi-row INSERTs, one ref allocation, one audit batch). */
export async function createHazardsInTx(
  tx: Tx,
  a: { user: SessionUser; log: LogWithFacts; scheme: RiskScheme; inputs: HazardInput[]; reason: string | null; requestId: string | null; ctx?: BulkContext } & Imported,
): Promise<HazardView[]> {
  for (const input of a.inputs) await checkNewHazard(tx, a.scheme, input, a.imported);
  const views = await insertHazards(tx, { log: a.log, scheme: a.scheme, inputs: a.inputs, actor: actorOf(a.user, a.log), reason: a.reason, ctx: a.ctx });
  await appendAuditBatch(tx, views.map((view) => createdEntry(a, view)));
  return views;
}

// ---------------------------------------------------------------------------------------------
// Update

/** Thrown inside the transaction when a patch changes nothing: roll back, answer the current view. */
export class NothingChanged extends Error {
  constructor(readonly view: HazardView) {
    super("nothing changed");
  }
}

const UPSTREAM_FIELDS = ["title", "description", "effect", "hazard", "harm", "hazardType", "source"] as const;

export async function updateHazard(user: SessionUser, id: string, patch: HazardPatch, requestId?: string | null): Promise<HazardView> {
  const { db, log } = await requireHazard(user, id, "edit:hazard");
  const mayAssess = can(user, log, "assess:hazard");
  try {
    return await db.transaction(async (tx) => updateHazardInTx(tx, { user, log, id, patch, mayAssess, requestId: requestId ?? null }));
  } catch (error) {
    if (error instanceof NothingChanged) return error.view;
    throw error;
  }
}

/** Locks the hazard, checks the version read and applies the patch, inside the caller's
 * transaction (permissions on the log already checked). Throws NothingChanged after writing:
 * the caller must roll back (a savepoint will do). */
export async function updateHazardInTx(
  tx: Tx,
  a: { user: SessionUser; log: LogWithFacts; id: string; patch: HazardPatch; mayAssess: boolean; requestId: string | null } & Imported,
): Promise<HazardView> {
  const { patch } = a;
  const [row] = await tx.select().from(hazards).where(and(eq(hazards.id, a.id), eq(hazards.hazardLogId, a.log.id))).for("update");
  if (!row) throw notFound("Hazard");
  const before = (await buildViews(tx, [row]))[0];
  if (row.version !== patch.version)
    throw new AppError("stale_version", `The hazard has changed since you read it (you sent version ${patch.version}, it is now at version ${row.version})`, { current: before });
  return applyPatch(tx, { user: a.user, log: a.log, row, before, patch, mayAssess: a.mayAssess, requestId: a.requestId, imported: a.imported });
}

async function applyPatch(
  tx: Tx,
  a: { user: SessionUser; log: LogWithFacts; row: HazardRow; before: HazardView; patch: HazardPatch; mayAssess: boolean; requestId: string | null } & Imported,
): Promise<HazardView> {
  const { user, log, row, before, patch, mayAssess } = a;
  const inherited = !!row.upstreamHazardId;
  const fields: Record<string, string> = {};

  // Upstream fields are read-only on an inherited hazard (sending the same value is harmless).
  if (inherited)
    for (const f of UPSTREAM_FIELDS)
      if (patch[f] !== undefined && patch[f] !== before[f]) fields[f] = "is inherited from the upstream log and read-only here";
  if (Object.keys(fields).length) throw new AppError("bad_request", "Some fields are inherited from the upstream log and cannot be changed here", { fields });

  // Status: `reopen` is the same as status "open".
  const targetStatus = patch.reopen ? "open" : (patch.status ?? row.status);
  const statusChanges = targetStatus !== row.status;
  const riskBenefitChanges = patch.riskBenefitJustification !== undefined && patch.riskBenefitJustification !== before.riskBenefitJustification;
  const assessing = hasAssessment(patch.initial) || hasAssessment(patch.residual) || riskBenefitChanges || statusChanges || !!patch.deprecate;
  if (assessing && !mayAssess) throw forbidden("Only the clinical safety officer may assess, close, transfer, reopen or deprecate a hazard");
  if (patch.deprecate && row.deprecatedAt) throw new AppError("not_allowed", "The hazard is already deprecated");

  const assessed = [row.initialSeverity, row.initialLikelihood, row.residualSeverity, row.residualLikelihood].some((x) => x != null) || row.status !== "open";
  // A deprecation carries its own reason, which serves as the change's reason when none is given.
  const reason = patch.reason?.trim() || patch.deprecate?.reason || null;
  if (!reason && (assessed || statusChanges || patch.deprecate))
    throw new AppError("bad_request", "Give a reason for this change", {
      fields: { reason: row.status === "closed" && statusChanges ? "is required to reopen a closed hazard" : "is required once the hazard has been assessed, and for a change of status or deprecation" },
    });

  // Assessment: fields sent replace, fields not sent are kept; risk is always the scheme's lookup.
  const merge = (current: HazardView["initial"], sent: z.infer<typeof AssessmentInput> | undefined) => {
    const out = { severity: current.severity, likelihood: current.likelihood, justification: current.justification };
    if (sent) for (const k of ["severity", "likelihood", "justification"] as const) if (sent[k] !== undefined) out[k] = sent[k] ?? null;
    return out as { severity: never; likelihood: never; justification: string | null };
  };
  const scheme = await loadRiskScheme(tx, log.riskSchemeId);
  const assessment = assessmentColumns(scheme, { initial: merge(before.initial, patch.initial), residual: merge(before.residual, patch.residual) });
  const riskBenefitJustification = patch.riskBenefitJustification !== undefined ? patch.riskBenefitJustification || null : row.riskBenefitJustification;
  requireRiskBenefit(assessment.residualRisk, riskBenefitJustification);

  // Controls: validate before any write.
  const ownControlIds = new Set(before.controls.filter((c) => !c.upstream).map((c) => c.id));
  if (patch.controls) {
    patch.controls.forEach((c, i) => {
      if (c.id && !ownControlIds.has(c.id))
        fields[`controls.${i}.id`] = before.controls.some((u) => u.id === c.id) ? "is an upstream control and read-only here" : "is not a control of this hazard";
    });
    if (Object.keys(fields).length) throw new AppError("bad_request", "Some controls cannot be changed here", { fields });
    if (!a.imported) await requireAcceptedEvidenceForVerified(tx, patch.controls, new Map(before.controls.map((c) => [c.id, c.state])));
  }

  const causes = patch.causes ?? row.causes;
  const upstreamCauses = inherited ? before.causes.slice(0, before.causes.length - (before.localCauses?.length ?? 0)) : [];
  const title = inherited ? before.title : (patch.title ?? row.title);
  const description = inherited ? before.description : (patch.description ?? row.description);

  const updated = await tx
    .update(hazards)
    .set({
      ...(inherited ? {} : { title, description, effect: patch.effect ?? row.effect, hazard: patch.hazard ?? row.hazard, harm: patch.harm ?? row.harm }),
      ...(!inherited && patch.hazardType !== undefined ? { hazardType: patch.hazardType } : {}),
      ...(!inherited && patch.source !== undefined ? { source: patch.source } : {}),
      causes,
      owner: patch.owner !== undefined ? patch.owner || null : row.owner,
      reviewDue: patch.reviewDue !== undefined ? patch.reviewDue : row.reviewDue,
      ...assessment,
      riskBenefitJustification,
      status: targetStatus,
      ...(patch.deprecate ? { deprecatedAt: new Date(), deprecatedReason: patch.deprecate.reason } : {}),
      searchText: searchTextOf([title, description, ...upstreamCauses, ...causes]),
      version: sql`${hazards.version} + 1`,
      updatedAt: new Date(),
    })
    .where(and(eq(hazards.id, row.id), eq(hazards.version, patch.version)))
    .returning({ id: hazards.id });
  if (updated.length === 0) throw new AppError("stale_version", "The hazard has changed since you read it", { current: await loadHazardView(tx, row.id) });

  if (patch.controls) await replaceControls(tx, row.id, log, patch.controls, ownControlIds);

  const after = await loadHazardView(tx, row.id);
  const changes: FieldChange[] = diffSnapshots(snapshotOf(before), snapshotOf(after));
  if (changes.length === 0) throw new NothingChanged(before);

  await writeVersion(tx, after, changes, reason, actorOf(user, log));
  await appendAudit(tx, {
    organisationId: log.organisationId,
    actor: auditActor(user, log),
    action: "hazard.updated",
    entityType: "hazard",
    entityId: row.id,
    changes: { ref: after.ref, version: after.version, diff: changes },
    reason,
    requestId: a.requestId,
  });
  return after;
}

/** The patch's list replaces this hazard's own controls: kept ids updated, new inserted, missing unlinked. */
async function replaceControls(tx: Tx, hazardId: string, log: LogWithFacts, list: PatchControl[], ownIds: Set<string>) {
  const keep = new Set(list.map((c) => c.id).filter((x): x is string => !!x));
  const removed = [...ownIds].filter((id) => !keep.has(id));
  if (removed.length) await tx.delete(hazardControls).where(and(eq(hazardControls.hazardId, hazardId), inArray(hazardControls.controlId, removed)));
  for (const [position, c] of list.entries()) {
    if (c.id) {
      await tx
        .update(controls)
        .set({
          type: c.type,
          description: c.description,
          ...(c.state ? { state: c.state } : {}),
          ...(c.evidenceRefs ? { evidenceRefs: c.evidenceRefs } : {}),
          ...(c.ownerOrganisationId ? { ownerOrganisationId: c.ownerOrganisationId } : {}),
          updatedAt: new Date(),
        })
        .where(eq(controls.id, c.id));
      await tx.update(hazardControls).set({ kind: c.kind, position }).where(and(eq(hazardControls.hazardId, hazardId), eq(hazardControls.controlId, c.id)));
    } else {
      const [control] = await tx
        .insert(controls)
        .values({
          hazardLogId: log.id,
          type: c.type,
          description: c.description,
          ownerOrganisationId: c.ownerOrganisationId ?? log.organisationId,
          state: c.state ?? "planned",
          evidenceRefs: c.evidenceRefs ?? [],
        })
        .returning({ id: controls.id });
      await tx.insert(hazardControls).values({ hazardId, controlId: control.id, kind: c.kind, position });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// History

export type HazardHistoryEntry = {
  version: number;
  at: string;
  user: { id: string; name: string } | null;
  reason: string | null;
  changes: (FieldChange & { label: string })[];
};

/** Every version of the hazard, newest first. */
export async function hazardHistory(user: SessionUser, id: string): Promise<HazardHistoryEntry[]> {
  const { db } = await requireHazard(user, id);
  const rows = await db
    .select({ v: hazardVersions, userName: users.name })
    .from(hazardVersions)
    .leftJoin(users, eq(users.id, hazardVersions.userId))
    .where(eq(hazardVersions.hazardId, id))
    .orderBy(desc(hazardVersions.version));
  return rows.map(({ v, userName }) => ({
    version: v.version,
    at: v.createdAt.toISOString(),
    user: v.userId ? { id: v.userId, name: userName ?? "" } : null,
    reason: v.reason,
    changes: v.changes.map((c) => ({ ...c, label: fieldLabel(c.field) })),
  }));
}

/** 405 in the API's error shape, with the methods the path does take. */
// Routes import it from here as well as from the API plumbing, where it lives.
export { methodNotAllowed } from "./api.server.ts";
