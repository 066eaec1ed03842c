// What the hazard pages read: the hazard with its log, risk scheme, history and the organisations
// of its platform, and — after a stale edit — what changed since the version the user had read.
// Access goes through the hazard service and requireLog: 404 when unreadable, 403 when read-only.
import { and, asc, eq, gt } from "drizzle-orm";
import type { Db } from "#db/client.ts";
import { hazardLogs, hazardVersions, users } from "#db/schema/index.ts";
import type { SessionUser } from "./auth.server.ts";
import { getDb } from "./db.server.ts";
import { diffSnapshots, type FieldChange } from "./domain/hazard-diff.ts";
import { snapshotOf, type HazardView } from "./domain/hazard-view.ts";
import { HAZARD_TYPES, SOURCES } from "./domain/hazard-fields.ts";
import { incidentRecorderFor } from "./domain/permissions.ts";
import type { RiskScheme } from "./domain/risk.ts";
import { loadRiskScheme } from "./hazard-store.server.ts";
import { getHazard, hazardHistory } from "./hazards.server.ts";
import { platformOrganisations, type OrganisationOption } from "./organisations.server.ts";
import { can, requireLog, type LogWithFacts } from "./permissions.server.ts";

export type { OrganisationOption };

export type HazardFormContext = {
  log: { id: string; title: string; organisationId: string };
  scheme: RiskScheme;
  options: { hazardTypes: readonly string[]; sources: readonly string[] };
  organisations: OrganisationOption[];
  mayAssess: boolean;
  mayRecordIncident: boolean;
};

async function formContext(db: Db, user: SessionUser, log: LogWithFacts): Promise<HazardFormContext> {
  return {
    log: { id: log.id, title: log.title, organisationId: log.organisationId },
    scheme: await loadRiskScheme(db, log.riskSchemeId),
    options: { hazardTypes: HAZARD_TYPES, sources: SOURCES },
    organisations: await platformOrganisations(db, log),
    mayAssess: can(user, log, "assess:hazard"),
    mayRecordIncident: !!incidentRecorderFor(user.memberships, log.facts),
  };
}

/** For "Raise a hazard": the log if the user may raise hazards there (404 unreadable, 403 read-only). */
export async function loadNewHazardContext(user: SessionUser, logId: string): Promise<HazardFormContext> {
  const db = await getDb();
  return formContext(db, user, await requireLog(db, user, logId, "edit:hazard"));
}

async function upstreamLogOf(db: Db, hazard: HazardView) {
  if (!hazard.upstream) return null;
  const [log] = await db.select({ id: hazardLogs.id, title: hazardLogs.title }).from(hazardLogs).where(eq(hazardLogs.id, hazard.upstream.hazardLogId));
  return log ?? null;
}

/** For the edit page: the hazard and its form context, if the user may edit it. */
export async function loadHazardForEdit(user: SessionUser, id: string) {
  const hazard = await getHazard(user, id);
  const db = await getDb();
  const log = await requireLog(db, user, hazard.hazardLogId, "edit:hazard");
  return { hazard, upstreamLog: await upstreamLogOf(db, hazard), ...(await formContext(db, user, log)) };
}

/** Everything the hazard page shows, and what the user may do there. */
export async function loadHazardPage(user: SessionUser, id: string) {
  const hazard = await getHazard(user, id);
  const db = await getDb();
  const log = await requireLog(db, user, hazard.hazardLogId);
  return {
    hazard,
    history: await hazardHistory(user, id),
    upstreamLog: await upstreamLogOf(db, hazard),
    ...(await formContext(db, user, log)),
    mayEdit: can(user, log, "edit:hazard"),
  };
}

export type ChangesSince = {
  current: HazardView;
  /** The versions written since, oldest first: who and when. */
  versions: { version: number; at: string; user: string | null }[];
  changes: FieldChange[];
};

/** What changed from the version the user read to the current one (for a stale edit). */
export async function changesSince(user: SessionUser, id: string, readVersion: number): Promise<ChangesSince> {
  const current = await getHazard(user, id);
  const db = await getDb();
  const [read] = await db
    .select({ snapshot: hazardVersions.snapshot })
    .from(hazardVersions)
    .where(and(eq(hazardVersions.hazardId, id), eq(hazardVersions.version, readVersion)));
  const later = await db
    .select({ version: hazardVersions.version, at: hazardVersions.createdAt, user: users.name })
    .from(hazardVersions)
    .leftJoin(users, eq(users.id, hazardVersions.userId))
    .where(and(eq(hazardVersions.hazardId, id), gt(hazardVersions.version, readVersion)))
    .orderBy(asc(hazardVersions.version));
  return {
    current,
    versions: later.map((v) => ({ version: v.version, at: v.at.toISOString(), user: v.user })),
    changes: read ? diffSnapshots(read.snapshot, snapshotOf(current)) : [],
  };
}
