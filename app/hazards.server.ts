// Hazards: list (filters, sort, pagination in SQL), read, raise, edit (optimistic locking, reason,
// inherited-field protection, controls), deprecate, and their version history. Every change is one
// transaction with its hazard_versions row and its audit entry.
import { and, asc, count, desc, eq, ilike, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import { CONTROL_STATES, controls, hazardControls, hazards, hazardVersions, HAZARD_STATUSES, users, type HazardRow } from "#db/schema/index.ts";
import type { SessionUser } from "./auth.server.ts";
import { appendAudit } from "./audit.server.ts";
import { getDb } from "./db.server.ts";
import { diffSnapshots, fieldLabel, type FieldChange } from "./domain/hazard-diff.ts";
import { isUuid } from "./domain/ids.ts";
import { AssessmentInput, ControlInput, HAZARD_TYPES, HazardInput, LIMITS, SOURCES } from "./domain/hazard-fields.ts";
import { snapshotOf, type HazardView } from "./domain/hazard-view.ts";
import { lookupRiskOrNull, needsRiskBenefitJustification } from "./domain/risk.ts";
import { AppError, fieldErrors, forbidden, notFound } from "./errors.server.ts";
import { requireAcceptedEvidenceForVerified } from "./evidence-store.server.ts";
import { assessmentColumns, buildViews, insertHazard, loadHazardView, loadRiskScheme, searchTextOf, writeVersion, type Actor, type Tx } from "./hazard-store.server.ts";
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

const SORTS = ["ref", "-ref", "residualRisk", "-residualRisk", "reviewDue", "title"] as const;
const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

/** Query of GET /api/v1/hazard-logs/{id}/hazards; `status` and `residualRisk` take comma lists. */
export const HazardListQuery = z
  .object({
    q: text(200).optional(),
    status: z
      .string()
      .transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean))
      .pipe(z.array(z.enum(HAZARD_STATUSES, { error: "must be open, transferred or closed" })))
      .optional(),
    residualRisk: z
      .string()
      .transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean))
      .pipe(z.array(z.enum(["1", "2", "3", "4", "5", "none"], { error: "must be 1–5 or none" })))
      .optional(),
    hazardType: z.enum(HAZARD_TYPES).optional(),
    owner: text(LIMITS.short).optional(),
    overdue: bool.optional(),
    includeDeprecated: bool.optional(),
    sort: z.enum(SORTS).default("ref"),
    limit: z
      .string()
      .regex(/^-?\d+$/, "must be a whole number from 1 to 100")
      .transform((s) => Math.min(100, Math.max(1, Number(s))))
      .optional(),
    cursor: z.string().max(200).optional(),
  });
export type HazardListQuery = z.input<typeof HazardListQuery>;

export function parseListQuery(params: URLSearchParams | Record<string, string | undefined>) {
  const raw: Record<string, string> = {};
  if (params instanceof URLSearchParams) params.forEach((v, k) => (raw[k] = v));
  else for (const [k, v] of Object.entries(params)) if (v !== undefined) raw[k] = v;
  for (const k of Object.keys(raw)) if (raw[k] === "" && k !== "q") delete raw[k];
  const parsed = HazardListQuery.safeParse(raw);
  if (!parsed.success) throw new AppError("bad_request", "Some query parameters are not valid", { fields: fieldErrors(parsed.error.issues) });
  return parsed.data;
}

// ---------------------------------------------------------------------------------------------
// Helpers

function actorOf(user: SessionUser, log: LogWithFacts): Actor {
  return { userId: user.id, organisationId: log.organisationId };
}
function auditActor(user: SessionUser, log: LogWithFacts) {
  return { userId: user.id, name: user.name, role: user.memberships.find((m) => m.organisationId === log.organisationId)?.role ?? null };
}

/** The hazard's row and its log, if the user may do `permission` there (404 when unreadable). */
async function requireHazard(user: SessionUser, id: string, permission: "read:log" | "edit:hazard" = "read:log") {
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

/** Cursor: opaque base64url of the offset of the next page. */
function encodeCursor(offset: number) {
  return Buffer.from(JSON.stringify({ o: offset })).toString("base64url");
}
function decodeCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  try {
    const o = (JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { o?: unknown }).o;
    if (typeof o === "number" && Number.isInteger(o) && o >= 0) return o;
  } catch {
    /* fall through */
  }
  throw new AppError("bad_request", "Some query parameters are not valid", { fields: { cursor: "is not a cursor this API gave out" } });
}

/** `%q%` for ILIKE with q lower-cased and the LIKE wildcards escaped. */
export function likePattern(q: string) {
  return `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function requireRiskBenefit(residualRisk: number | null, justification: string | null | undefined) {
  if (needsRiskBenefitJustification(residualRisk) && !justification?.trim())
    throw new AppError("bad_request", "A residual risk of 4 or 5 needs a risk–benefit justification", {
      fields: { riskBenefitJustification: `is required when the residual risk is ${residualRisk}` },
    });
}

// ---------------------------------------------------------------------------------------------
// List and read

export type HazardPage = { items: HazardView[]; total: number; nextCursor: string | null };

export async function listHazards(user: SessionUser, logId: string, query: HazardListQuery | URLSearchParams): Promise<HazardPage> {
  const db = await getDb();
  await requireLog(db, user, logId, "read:log");
  const qy = query instanceof URLSearchParams ? parseListQuery(query) : HazardListQuery.parse(query);
  const limit = qy.limit ?? 50;
  const offset = decodeCursor(qy.cursor);

  // Inherited rows keep title and hazard type upstream (at most two levels: trust → ICB → supplier).
  const u1 = alias(hazards, "u1");
  const u2 = alias(hazards, "u2");
  const titleExpr = sql<string>`coalesce(${hazards.title}, ${u1.title}, ${u2.title}, '')`;
  const typeExpr = sql<string | null>`coalesce(${hazards.hazardType}, ${u1.hazardType}, ${u2.hazardType})`;

  const where: (SQL | undefined)[] = [eq(hazards.hazardLogId, logId)];
  if (!qy.includeDeprecated) where.push(isNull(hazards.deprecatedAt));
  if (qy.q) where.push(ilike(hazards.searchText, likePattern(qy.q)));
  if (qy.status?.length) where.push(inArray(hazards.status, qy.status));
  if (qy.residualRisk?.length) {
    const ratings = qy.residualRisk.filter((r) => r !== "none").map(Number);
    const parts: SQL[] = [];
    if (ratings.length) parts.push(inArray(hazards.residualRisk, ratings));
    if (qy.residualRisk.includes("none")) parts.push(isNull(hazards.residualRisk));
    where.push(sql`(${sql.join(parts, sql` or `)})`);
  }
  if (qy.hazardType) where.push(sql`${typeExpr} = ${qy.hazardType}`);
  if (qy.owner) where.push(sql`lower(${hazards.owner}) = ${qy.owner.toLowerCase()}`);
  if (qy.overdue !== undefined) {
    const overdue = sql`(${hazards.reviewDue} is not null and ${hazards.reviewDue} < current_date and ${hazards.status} <> 'closed')`;
    where.push(qy.overdue ? overdue : sql`not ${overdue}`);
  }
  const condition = and(...where);

  const order: SQL[] = {
    ref: [asc(hazards.refNumber)],
    "-ref": [desc(hazards.refNumber)],
    residualRisk: [sql`${hazards.residualRisk} asc nulls last`, asc(hazards.refNumber)],
    "-residualRisk": [sql`${hazards.residualRisk} desc nulls last`, asc(hazards.refNumber)],
    reviewDue: [sql`${hazards.reviewDue} asc nulls last`, asc(hazards.refNumber)],
    title: [sql`lower(${titleExpr}) asc`, asc(hazards.refNumber)],
  }[qy.sort];

  const [{ n }] = await db
    .select({ n: count() })
    .from(hazards)
    .leftJoin(u1, eq(u1.id, hazards.upstreamHazardId))
    .leftJoin(u2, eq(u2.id, u1.upstreamHazardId))
    .where(condition);
  const rows = await db
    .select({ h: hazards })
    .from(hazards)
    .leftJoin(u1, eq(u1.id, hazards.upstreamHazardId))
    .leftJoin(u2, eq(u2.id, u1.upstreamHazardId))
    .where(condition)
    .orderBy(...order)
    .limit(limit)
    .offset(offset);
  const items = await buildViews(db, rows.map((r) => r.h));
  const total = Number(n);
  return { items, total, nextCursor: offset + rows.length < total && rows.length > 0 ? encodeCursor(offset + rows.length) : null };
}

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
  return db.transaction(async (tx) => {
    const scheme = await loadRiskScheme(tx, log.riskSchemeId);
    requireRiskBenefit(lookupRiskOrNull(scheme, input.residual.likelihood, input.residual.severity), input.riskBenefitJustification);
    await requireAcceptedEvidenceForVerified(tx, input.controls, new Map());
    const view = await insertHazard(tx, { log, scheme, input, actor: actorOf(user, log), reason: null });
    await appendAudit(tx, {
      organisationId: log.organisationId,
      actor: auditActor(user, log),
      action: "hazard.created",
      entityType: "hazard",
      entityId: view.id,
      changes: { ref: view.ref, hazardLogId: log.id, snapshot: snapshotOf(view) },
      requestId: requestId ?? null,
    });
    return view;
  });
}

// ---------------------------------------------------------------------------------------------
// Update

/** Thrown inside the transaction when a patch changes nothing: roll back, answer the current view. */
class NothingChanged extends Error {
  constructor(readonly view: HazardView) {
    super("nothing changed");
  }
}

const UPSTREAM_FIELDS = ["title", "description", "effect", "hazard", "harm", "hazardType", "source"] as const;

export async function updateHazard(user: SessionUser, id: string, patch: HazardPatch, requestId?: string | null): Promise<HazardView> {
  const { db, log } = await requireHazard(user, id, "edit:hazard");
  const mayAssess = can(user, log, "assess:hazard");
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx.select().from(hazards).where(eq(hazards.id, id)).for("update");
      const before = (await buildViews(tx, [row]))[0];
      if (row.version !== patch.version)
        throw new AppError("stale_version", `The hazard has changed since you read it (you sent version ${patch.version}, it is now at version ${row.version})`, { current: before });
      return applyPatch(tx, { user, log, row, before, patch, mayAssess, requestId: requestId ?? null });
    });
  } catch (error) {
    if (error instanceof NothingChanged) return error.view;
    throw error;
  }
}

async function applyPatch(
  tx: Tx,
  a: { user: SessionUser; log: LogWithFacts; row: HazardRow; before: HazardView; patch: HazardPatch; mayAssess: boolean; requestId: string | null },
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
    await requireAcceptedEvidenceForVerified(tx, patch.controls, new Map(before.controls.map((c) => [c.id, c.state])));
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
export function methodNotAllowed(allow: string[]): Response {
  return Response.json(
    { error: { code: "method_not_allowed", message: `Use ${allow.join(" or ")} on this path` } },
    { status: 405, headers: { Allow: allow.join(", ") } },
  );
}
