// The require… helpers: load the facts about an object, ask app/domain/permissions.ts, and refuse
// with 404 (may not read: exactly as if it did not exist) or 403 (may read, may not do this).
import { eq, inArray, sql } from "drizzle-orm";
import type { Db } from "#db/client.ts";
import { controls, deployments, hazardControls, hazardLogs, hazards, organisations, platforms, type ControlRow, type HazardLogRow } from "#db/schema/index.ts";
import type { SessionUser } from "./auth.server.ts";
import { isUuid } from "./domain/ids.ts";
import { canOnLog, canReadControl, canReadLog, type ControlFacts, type LogFacts, type Permission } from "./domain/permissions.ts";
import { forbidden, notFound } from "./errors.server.ts";
import { prepared } from "./prepared.server.ts";

/** `contentKey` only when asked for (loadLogsWithFacts' option): see contentKeyOf. */
export type LogWithFacts = HazardLogRow & { facts: LogFacts; platformName: string; contentKey?: string };

/**
 * What the reads of a log's list (its page, GET …/hazards) depend on, for keeping them
 * (app/log-reads.server.ts): the content revision of the log and of every log upstream of it
 * (migration 0011 bumps them), and which logs the caller may read (row-level security decides which
 * of those rows the caller sees). Read in the same statement as the log itself.
 */
const contentKeyOf = sql<string>`(with recursive chain(id, up, rev, depth) as (
    select ${hazardLogs.id}, ${hazardLogs.upstreamLogId}, ${hazardLogs.contentRevision}, 0
    union all
    select l.id, l.upstream_log_id, l.content_revision, c.depth + 1 from hazard_logs l join chain c on l.id = c.up where c.depth < 5
  ) select string_agg(c.id::text || '@' || c.rev::text, ',' order by c.depth) from chain c) || '/' || md5(cswf_readable_log_ids()::text)`;


/** The columns of a log with the facts that decide who reads it (the platform and its deployers joined). */
const logFactsColumns = (contentKey: boolean) => ({
  ...(contentKey ? { contentKey: contentKeyOf } : {}),
  log: hazardLogs,
  platformName: platforms.name,
  supplierOrganisationId: platforms.supplierOrganisationId,
  icbOrganisationId: platforms.icbOrganisationId,
  // Comma-joined uuids: both drivers return text alike (array types they parse differently).
  // In organisation name order: deployments made in one transaction share a creation time.
  deployers: sql<string>`coalesce((select string_agg(d.organisation_id::text, ',' order by o.name, d.organisation_id) from ${deployments} d join ${organisations} o on o.id = d.organisation_id where d.platform_id = ${platforms.id}), '')`,
});
type LogFactsRow = { log: HazardLogRow; platformName: string; supplierOrganisationId: string; icbOrganisationId: string; deployers: string; contentKey?: string };

function withFacts({ log, platformName, supplierOrganisationId, icbOrganisationId, deployers, contentKey }: LogFactsRow): LogWithFacts {
  return {
    ...log,
    platformName,
    ...(contentKey !== undefined ? { contentKey } : {}),
    facts: {
      scope: log.scope,
      organisationId: log.organisationId,
      platform: { supplierOrganisationId, icbOrganisationId, deployerOrganisationIds: deployers ? deployers.split(",") : [] },
    },
  };
}

/** Every log with the facts that decide who reads it: one query. */
export async function loadLogsWithFacts(db: Db, ids?: string[], { contentKey = false } = {}): Promise<LogWithFacts[]> {
  if (ids && ids.length === 0) return [];
  const rows = await db
    .select(logFactsColumns(contentKey))
    .from(hazardLogs)
    .innerJoin(platforms, eq(platforms.id, hazardLogs.platformId))
    .where(ids ? inArray(hazardLogs.id, ids) : undefined);
  return (rows as LogFactsRow[]).map(withFacts);
}

/** One log with its facts: asked on every request of a log's pages, so prepared once (prepared.server.ts). */
async function loadLogWithFacts(db: Db, id: string, contentKey: boolean): Promise<LogWithFacts | undefined> {
  const name = contentKey ? "log_with_facts_and_key" : "log_with_facts";
  const query = prepared(db, name, (db) =>
    db.select(logFactsColumns(contentKey)).from(hazardLogs).innerJoin(platforms, eq(platforms.id, hazardLogs.platformId)).where(eq(hazardLogs.id, sql.placeholder("id"))).prepare(name),
  );
  const [row] = (await query.execute({ id })) as LogFactsRow[];
  return row && withFacts(row);
}

/** The log if the user may do `permission` on it; 404 when they may not even read it. */
export async function requireLog(db: Db, user: SessionUser, logId: string, permission: Permission = "read:log", options: { contentKey?: boolean } = {}): Promise<LogWithFacts> {
  if (!isUuid(logId)) throw notFound("Hazard log");
  const log = await loadLogWithFacts(db, logId, options.contentKey ?? false);
  if (!log || !canReadLog(user.memberships, log.facts)) throw notFound("Hazard log");
  if (!canOnLog(user.memberships, log.facts, permission)) throw forbidden();
  return log;
}

export function can(user: SessionUser, log: LogWithFacts, permission: Permission) {
  return canOnLog(user.memberships, log.facts, permission);
}

export async function requireOrganisationBySlug(db: Db, user: SessionUser, slug: string) {
  const membership = user.memberships.find((m) => m.slug === slug);
  if (!membership) throw notFound("Organisation");
  return membership;
}


export type ControlWithFacts = { control: ControlRow; facts: ControlFacts; logs: LogWithFacts[] };

/** Inheritance chains are supplier → ICB → trust; a few more levels cost nothing and stop loops. */
const MAX_INHERITANCE_DEPTH = 5;

/** The control and every log that shows it: its own, its linked hazards' logs, and inheriting logs. */
export async function loadControlFacts(db: Db, controlId: string): Promise<ControlWithFacts | null> {
  const [control] = await db.select().from(controls).where(eq(controls.id, controlId));
  if (!control) return null;
  const logIds = new Set([control.hazardLogId]);
  const linked = await db.select({ id: hazards.id, logId: hazards.hazardLogId }).from(hazardControls).innerJoin(hazards, eq(hazards.id, hazardControls.hazardId)).where(eq(hazardControls.controlId, controlId));
  let frontier = linked;
  const seen = new Set(linked.map((h) => h.id));
  for (let depth = 0; frontier.length && depth < MAX_INHERITANCE_DEPTH; depth++) {
    frontier.forEach((h) => logIds.add(h.logId));
    const next = await db.select({ id: hazards.id, logId: hazards.hazardLogId }).from(hazards).where(inArray(hazards.upstreamHazardId, frontier.map((h) => h.id)));
    frontier = next.filter((h) => !seen.has(h.id));
    frontier.forEach((h) => seen.add(h.id));
  }
  frontier.forEach((h) => logIds.add(h.logId));
  const logs = await loadLogsWithFacts(db, [...logIds]);
  const own = logs.find((l) => l.id === control.hazardLogId)!;
  return { control, logs, facts: { ownerOrganisationId: control.ownerOrganisationId, logOrganisationId: own.organisationId, logs: logs.map((l) => l.facts) } };
}

/** The control if the user may read it (through any log that shows it); 404 otherwise. */
export async function requireControl(db: Db, user: SessionUser, controlId: string): Promise<ControlWithFacts> {
  if (!isUuid(controlId)) throw notFound("Control");
  const found = await loadControlFacts(db, controlId);
  if (!found || !canReadControl(user.memberships, found.facts)) throw notFound("Control");
  return found;
}
