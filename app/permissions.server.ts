// The require… helpers: load the facts about an object, ask app/domain/permissions.ts, and refuse
// with 404 (may not read: exactly as if it did not exist) or 403 (may read, may not do this).
import { inArray } from "drizzle-orm";
import type { Db } from "#db/client.ts";
import { deployments, hazardLogs, platforms, type HazardLogRow } from "#db/schema/index.ts";
import type { SessionUser } from "./auth.server.ts";
import { isUuid } from "./domain/ids.ts";
import { canOnLog, canReadLog, type LogFacts, type Permission } from "./domain/permissions.ts";
import { forbidden, notFound } from "./errors.server.ts";

export type LogWithFacts = HazardLogRow & { facts: LogFacts; platformName: string };


/** Every log with the facts that decide who reads it (one query per table, not per log). */
export async function loadLogsWithFacts(db: Db, ids?: string[]): Promise<LogWithFacts[]> {
  const logs = ids ? (ids.length ? await db.select().from(hazardLogs).where(inArray(hazardLogs.id, ids)) : []) : await db.select().from(hazardLogs);
  if (logs.length === 0) return [];
  const platformIds = [...new Set(logs.map((l) => l.platformId))];
  const platformRows = await db.select().from(platforms).where(inArray(platforms.id, platformIds));
  const deploymentRows = await db.select().from(deployments).where(inArray(deployments.platformId, platformIds));
  return logs.map((log) => {
    const p = platformRows.find((x) => x.id === log.platformId)!;
    return {
      ...log,
      platformName: p.name,
      facts: {
        scope: log.scope,
        organisationId: log.organisationId,
        platform: {
          supplierOrganisationId: p.supplierOrganisationId,
          icbOrganisationId: p.icbOrganisationId,
          deployerOrganisationIds: deploymentRows.filter((d) => d.platformId === p.id).map((d) => d.organisationId),
        },
      },
    };
  });
}

/** The log if the user may do `permission` on it; 404 when they may not even read it. */
export async function requireLog(db: Db, user: SessionUser, logId: string, permission: Permission = "read:log"): Promise<LogWithFacts> {
  if (!isUuid(logId)) throw notFound("Hazard log");
  const [log] = await loadLogsWithFacts(db, [logId]);
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

