// The ICB's roll-up of one platform (contract §4 `GET /api/v1/platforms/{id}/rollup`): every hazard
// of the platform against every organisation taking part, limited to the logs the caller may read
// (the rule itself lives in app/domain/permissions.ts). A hazard is identified by its origin (the
// hazard with no upstream); each organisation's column shows its own row in the inheritance chain.
import { and, eq, inArray, isNotNull, isNull, ne, sql, type SQL } from "drizzle-orm";
import { controls, hazardControls, hazards, incidents, organisations, platforms } from "#db/schema/index.ts";
import type { SessionUser } from "./auth.server.ts";
import { getDb } from "./db.server.ts";
import { isReviewOverdue } from "./domain/hazard-view.ts";
import { isUuid } from "./domain/ids.ts";
import { canReadLog } from "./domain/permissions.ts";
import { notFound } from "./errors.server.ts";
import { loadLogsWithFacts } from "./permissions.server.ts";

export type RollupCell = {
  hazardId: string;
  ref: string;
  residualRisk: number | null;
  status: "open" | "transferred" | "closed";
  /** null where the hazard is the organisation's own (nothing upstream to accept). */
  upstreamAccepted: boolean | null;
  reviewOverdue: boolean;
  openTransferredControls: number;
  incidents: number;
};
export type Rollup = {
  platform: { id: string; name: string };
  organisations: { id: string; name: string; kind: string }[];
  hazards: { hazardId: string; ref: string; title: string; byOrganisation: Record<string, RollupCell> }[];
};

export async function platformRollup(user: SessionUser, platformId: string, today = new Date().toISOString().slice(0, 10)): Promise<Rollup> {
  if (!isUuid(platformId)) throw notFound("Platform");
  const db = await getDb();
  const [[platform], allLogs] = await Promise.all([db.select().from(platforms).where(eq(platforms.id, platformId)), loadLogsWithFacts(db)]);
  if (!platform) throw notFound("Platform");
  const logs = allLogs.filter((l) => l.platformId === platform.id && canReadLog(user.memberships, l.facts));
  if (logs.length === 0) throw notFound("Platform");
  const logIds = logs.map((l) => l.id);
  const orgOfLog = new Map(logs.map((l) => [l.id, l.organisationId]));
  const orgIds = [...new Set(logs.map((l) => l.organisationId))];

  // The roll-up's hazards: every live hazard of those logs. The counts select the same hazards by
  // the same condition (a join), not by a list of their ~13,000 ids, so every query here is small.
  const listed = and(inArray(hazards.hazardLogId, logIds), isNull(hazards.deprecatedAt));
  const [rows, openTransferred, incidentCounts, orgRows] = await Promise.all([
    db
      .select({
        id: hazards.id, ref: hazards.ref, title: hazards.title, hazardLogId: hazards.hazardLogId, upstreamHazardId: hazards.upstreamHazardId,
        acceptedVersion: hazards.upstreamAcceptedVersion, version: hazards.version, residualRisk: hazards.residualRisk, status: hazards.status, reviewDue: hazards.reviewDue,
      })
      .from(hazards)
      .where(listed)
      .orderBy(hazards.hazardLogId, hazards.refNumber),
    countBy(db, listed, "controls"),
    countBy(db, listed, "incidents"),
    db.select({ id: organisations.id, name: organisations.name, kind: organisations.kind }).from(organisations).where(inArray(organisations.id, orgIds)),
  ]);
  const byId = new Map(rows.map((r) => [r.id, r]));

  // Each hazard's origin, remembered along the way (every trust's copy of a hazard shares its chain).
  const origins = new Map<string, string>();
  const origin = (id: string): string => {
    const known = origins.get(id);
    if (known) return known;
    const seen = new Set<string>();
    let current = byId.get(id);
    while (current?.upstreamHazardId && byId.has(current.upstreamHazardId) && !seen.has(current.id)) {
      seen.add(current.id);
      current = byId.get(current.upstreamHazardId);
    }
    const found = current?.id ?? id;
    origins.set(id, found);
    return found;
  };

  const out = new Map<string, Rollup["hazards"][number]>();
  for (const r of rows) {
    const root = byId.get(origin(r.id))!;
    const line = out.get(root.id) ?? { hazardId: root.id, ref: root.ref, title: root.title ?? "", byOrganisation: {} };
    const upstream = r.upstreamHazardId ? byId.get(r.upstreamHazardId) : undefined;
    line.byOrganisation[orgOfLog.get(r.hazardLogId)!] = {
      hazardId: r.id,
      ref: r.ref,
      residualRisk: r.residualRisk,
      status: r.status,
      upstreamAccepted: r.upstreamHazardId ? !!upstream && r.acceptedVersion === upstream.version : null,
      reviewOverdue: isReviewOverdue(r, today),
      openTransferredControls: openTransferred.get(r.id) ?? 0,
      incidents: incidentCounts.get(r.id) ?? 0,
    };
    out.set(root.id, line);
  }

  const rank = { supplier: 0, icb: 1, deployer: 2 } as Record<string, number>;
  orgRows.sort((a, b) => rank[a.kind] - rank[b.kind] || a.name.localeCompare(b.name));
  return { platform: { id: platform.id, name: platform.name }, organisations: orgRows, hazards: [...out.values()] };
}

/** Per hazard matching `listed`: transferred-control obligations not yet verified (a trust's copies), or incidents recorded. */
async function countBy(db: Awaited<ReturnType<typeof getDb>>, listed: SQL | undefined, what: "controls" | "incidents") {
  const counts = new Map<string, number>();
  const rows =
    what === "controls"
      ? await db
          .select({ id: hazardControls.hazardId, n: sql<number>`count(*)::int` })
          .from(hazardControls)
          .innerJoin(controls, eq(controls.id, hazardControls.controlId))
          .innerJoin(hazards, eq(hazards.id, hazardControls.hazardId))
          .where(and(listed, isNotNull(controls.transferredFromControlId), ne(controls.state, "verified")))
          .groupBy(hazardControls.hazardId)
      : await db
          .select({ id: incidents.hazardId, n: sql<number>`count(*)::int` })
          .from(incidents)
          .innerJoin(hazards, eq(hazards.id, incidents.hazardId))
          .where(listed)
          .groupBy(incidents.hazardId);
  for (const r of rows) counts.set(r.id, r.n);
  return counts;
}
