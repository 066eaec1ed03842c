// Reading the audit trail: whose trail a user may read (a hazard, a log, a safety case, or their
// organisation's whole chain), its entries page by page or in batches for the CSV, the audited
// export, and chain verification for the API.
//
// An entity's trail draws on every organisation's chain: entries are found by the entity they are
// about, whoever's chain holds them (the owner's edits, another organisation's exports of it), and
// the right to see them follows the right to read the entity. A log's trail also holds the entries
// of its hazards and safety cases. An inherited hazard is its own row: its trail holds the local
// changes; the upstream hazard has its own trail.
import { and, asc, count, desc, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "#db/client.ts";
import { auditEntries, hazards, organisations, safetyCases } from "#db/schema/index.ts";
import type { SessionUser } from "./auth.server.ts";
import { appendAudit, verifyChain } from "./audit.server.ts";
import { getDb } from "./db.server.ts";
import { AUDIT_PAGE_SIZE, AuditTrailQuery, type TrailEntry } from "./domain/audit-trail.ts";
import { isUuid } from "./domain/ids.ts";
import { canReadOrganisationAudit, readerOrganisationIds, roleHas } from "./domain/permissions.ts";
import { AppError, fieldErrors, forbidden, notFound } from "./errors.server.ts";
import { loadHazardView } from "./hazard-store.server.ts";
import { requireLog, type LogWithFacts } from "./permissions.server.ts";

export type TrailScope = {
  entityType: AuditTrailQuery["entityType"] | "organisation";
  entityId: string;
  /** What the trail is of, for the heading and the file name. */
  title: string;
  /** The page the trail sits under (the hazard's, case's or log's own log page), for the breadcrumbs. */
  parent: { label: string; href: string } | null;
  /** The chain an export of this trail is recorded in: one of the user's organisations allowed to read it. */
  readingOrganisationId: string;
};

/** The audit page's and the CSV's first steps: parse the filter, check the user may read that trail (errors as responses). */
export async function requireTrailRequest(request: Request, user: SessionUser) {
  try {
    const parsed = AuditTrailQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success) throw new AppError("bad_request", "Some query parameters are not valid", { fields: fieldErrors(parsed.error.issues) });
    const db = await getDb();
    return { db, query: parsed.data, scope: await requireTrailScope(db, user, parsed.data) };
  } catch (error) {
    if (error instanceof AppError) throw new Response(error.message, { status: error.status });
    throw error;
  }
}

/** The scope the query asks for, if this user may read it: 404 when they may not read the thing, 403 when their role may not read audit. */
export async function requireTrailScope(db: Db, user: SessionUser, query: AuditTrailQuery): Promise<TrailScope> {
  const { entityType, entityId } = query;
  if (!entityType || !entityId) return organisationScope(db, user);
  const what = { hazard: "Hazard", hazard_log: "Hazard log", safety_case: "Safety case" }[entityType];
  if (!isUuid(entityId)) throw notFound(what);
  if (entityType === "hazard") {
    const [row] = await db.select({ logId: hazards.hazardLogId }).from(hazards).where(eq(hazards.id, entityId));
    const log = await requireAuditLog(db, user, row?.logId, what);
    const view = await loadHazardView(db, entityId);
    return { entityType, entityId, title: `${view.ref} ${view.title}`, parent: logPage(log), readingOrganisationId: readingOrganisation(user, log) };
  }
  if (entityType === "safety_case") {
    const [row] = await db.select({ logId: safetyCases.hazardLogId, title: safetyCases.title }).from(safetyCases).where(eq(safetyCases.id, entityId));
    const log = await requireAuditLog(db, user, row?.logId, what);
    return { entityType, entityId, title: row.title, parent: logPage(log), readingOrganisationId: readingOrganisation(user, log) };
  }
  const log = await requireAuditLog(db, user, entityId, what);
  return { entityType, entityId, title: log.title, parent: logPage(log), readingOrganisationId: readingOrganisation(user, log) };
}

const logPage = (log: LogWithFacts) => ({ label: log.title, href: `/hazard-logs/${log.id}` });

async function requireAuditLog(db: Db, user: SessionUser, logId: string | undefined, what: string): Promise<LogWithFacts> {
  if (!logId) throw notFound(what);
  try {
    return await requireLog(db, user, logId, "read:audit");
  } catch (error) {
    // The log's 404 would name the log: say the thing asked for is not found, as if it did not exist.
    if (error instanceof AppError && error.code === "not_found") throw notFound(what);
    throw error;
  }
}

/** The active organisation when it may read the trail, else the first that may (canOnLog said one does). */
function readingOrganisation(user: SessionUser, log: LogWithFacts): string {
  const readers = readerOrganisationIds(log.facts);
  const allowed = user.memberships.filter((m) => readers.has(m.organisationId) && roleHas(m.role, "read:audit"));
  return (allowed.find((m) => m.organisationId === user.activeOrganisationId) ?? allowed[0]).organisationId;
}

async function organisationScope(db: Db, user: SessionUser): Promise<TrailScope> {
  const membership = user.memberships.find((m) => m.organisationId === user.activeOrganisationId);
  if (!membership) throw notFound("Organisation");
  if (!canReadOrganisationAudit(user.memberships, membership.organisationId)) throw forbidden("Your role in this organisation may not read its audit trail");
  return { entityType: "organisation", entityId: membership.organisationId, title: membership.organisationName, parent: null, readingOrganisationId: membership.organisationId };
}

/** Which entries belong to the scope (see the top of this file). */
function scopeFilter(scope: TrailScope): SQL {
  const about = (type: string, ids: SQL | string) =>
    and(eq(auditEntries.entityType, type), typeof ids === "string" ? eq(auditEntries.entityId, ids) : inArray(auditEntries.entityId, ids))!;
  switch (scope.entityType) {
    case "organisation":
      return eq(auditEntries.organisationId, scope.entityId);
    case "hazard_log":
      return or(
        about("hazard_log", scope.entityId),
        about("hazard", sql`(select ${hazards.id}::text from ${hazards} where ${hazards.hazardLogId} = ${scope.entityId})`),
        about("safety_case", sql`(select ${safetyCases.id}::text from ${safetyCases} where ${safetyCases.hazardLogId} = ${scope.entityId})`),
      )!;
    default:
      return about(scope.entityType ?? "", scope.entityId);
  }
}

/** Newest first. One chain is in sequence order; entries of several chains by database time. */
function scopeOrder(scope: TrailScope) {
  return scope.entityType === "organisation"
    ? [desc(auditEntries.sequence)]
    : [desc(auditEntries.createdAt), asc(auditEntries.organisationId), desc(auditEntries.sequence)];
}

async function selectEntries(db: Db, scope: TrailScope, limit: number, offset: number): Promise<TrailEntry[]> {
  const rows = await db
    .select({ sequence: auditEntries.sequence, hash: auditEntries.hash, entry: auditEntries.entry, organisationName: organisations.name })
    .from(auditEntries)
    .innerJoin(organisations, eq(organisations.id, auditEntries.organisationId))
    .where(scopeFilter(scope))
    .orderBy(...scopeOrder(scope))
    .limit(limit)
    .offset(offset);
  return rows.map((r) => {
    const e = r.entry as Partial<TrailEntry>;
    return {
      sequence: Number(r.sequence),
      organisationName: r.organisationName,
      at: String(e.at ?? ""),
      actor: e.actor ?? null,
      action: String(e.action ?? ""),
      entity: e.entity ?? null,
      changes: e.changes ?? null,
      reason: e.reason ?? null,
      requestId: e.requestId ?? null,
      hash: r.hash,
    };
  });
}

export async function loadTrailPage(db: Db, scope: TrailScope, page: number) {
  const [{ total }] = await db.select({ total: count() }).from(auditEntries).where(scopeFilter(scope));
  const entries = await selectEntries(db, scope, AUDIT_PAGE_SIZE, (page - 1) * AUDIT_PAGE_SIZE);
  return { entries, total, page, pages: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)) };
}

/** Every entry of the scope, a batch at a time (the CSV streams them: a whole chain can be long). */
export async function* trailBatches(db: Db, scope: TrailScope, batchSize = 1000): AsyncGenerator<TrailEntry[]> {
  for (let offset = 0; ; offset += batchSize) {
    const batch = await selectEntries(db, scope, batchSize, offset);
    if (batch.length) yield batch;
    if (batch.length < batchSize) return;
  }
}

/**
 * Taking a copy of the trail out of the system is itself recorded (who took which trail, when),
 * in the chain of the organisation through which the user reads it. Reading the page is not: that
 * would bury the changes under views.
 */
export async function recordExport(db: Db, user: SessionUser, scope: TrailScope, requestId: string | null) {
  const role = user.memberships.find((m) => m.organisationId === scope.readingOrganisationId)?.role ?? null;
  await db.transaction((tx) =>
    appendAudit(tx, {
      organisationId: scope.readingOrganisationId,
      actor: { userId: user.id, name: user.name, role },
      action: "audit.exported",
      entityType: scope.entityType ?? "organisation",
      entityId: scope.entityId,
      changes: { format: "csv" },
      requestId,
    }),
  );
}

/**
 * `GET /api/v1/audit/verify`: the chain of `organisationId` (one of the caller's organisations;
 * default the active one, which for a bearer token is the first by name). 404 for an organisation
 * the caller is not a member of, 403 for a role that may not read audit.
 */
export async function verifyForUser(db: Db, user: SessionUser, organisationId?: string) {
  const id = organisationId ?? user.activeOrganisationId;
  const membership = user.memberships.find((m) => m.organisationId === id);
  if (!membership) throw notFound("Organisation");
  if (!canReadOrganisationAudit(user.memberships, membership.organisationId)) throw forbidden("Your role in this organisation may not read its audit trail");
  const report = await verifyChain(db, membership.organisationId);
  return { organisation: { id: membership.organisationId, name: membership.organisationName }, ...report };
}
