// Everything the log page shows: one page of hazard rows (only the columns the table needs, not full
// hazard views), the two heatmaps, the options of the filters and what the user may do here.
import type { SessionUser } from "./auth.server.ts";
import { getDb } from "./db.server.ts";
import { HAZARD_TYPES } from "./domain/hazard-fields.ts";
import { isReviewOverdue } from "./domain/hazard-view.ts";
import { describeRisk, type RiskScheme } from "./domain/risk.ts";
import { heatmapCounts } from "./hazard-heatmap.server.ts";
import { ownTextMatchIds } from "./hazard-list-sql.server.ts";
import { distinctOwners, parseListQuery, querySummaryRows, todayIso, type ListRow, type SummaryRow } from "./hazard-list.server.ts";
import { riskSchemeById } from "./risk-schemes.server.ts";
import { readWithLog } from "./log-reads.server.ts";
import { can, requireLog } from "./permissions.server.ts";

type Badge = { rating: number; label: string; colour: string };
/** One object per scheme and rating, shared by every row: the page's data then names it once (turbo-stream). */
const badges = new Map<string, Badge>();

/** A rating as the table shows it: number, label and colour (the acceptability is on the hazard page). */
function badge(scheme: RiskScheme, rating: number): Badge {
  const key = `${scheme.id}@${scheme.version}:${rating}`;
  let b = badges.get(key);
  if (!b) {
    const { label, colour } = describeRisk(scheme, rating);
    badges.set(key, (b = { rating, label, colour }));
  }
  return b;
}

function rowSummary(scheme: RiskScheme, today: string, { h, title, upstreamVersion }: ListRow<SummaryRow>) {
  const inherited = !!h.upstreamHazardId;
  return {
    id: h.id,
    ref: h.ref,
    title,
    status: h.status,
    owner: h.owner,
    reviewDue: h.reviewDue,
    overdue: isReviewOverdue(h, today),
    deprecated: !!h.deprecatedAt,
    inherited,
    // The upstream has moved on since this organisation last accepted it (or never accepted it).
    upstreamPending: inherited && h.upstreamAcceptedVersion !== upstreamVersion,
    initial: h.initialRisk ? badge(scheme, h.initialRisk) : null,
    residual: h.residualRisk ? badge(scheme, h.residualRisk) : null,
  };
}
export type LogPageRow = ReturnType<typeof rowSummary>;

export async function loadLogPage(user: SessionUser, logId: string, params: URLSearchParams, today = todayIso()) {
  const db = await getDb();
  // Kept per content revision of the log (log-reads.server.ts); read after the access check when not.
  // Independent reads, issued together (on PostgreSQL one pipelined transaction: db/caller-reads.ts);
  // the page takes its count from the heatmap query rather than counting again. A search finds its
  // matching ids first, once, for all of them.
  const { log, prepared: qy, result } = await readWithLog(
    logId,
    () => requireLog(db, user, logId, "read:log", { contentKey: true }),
    () => parseListQuery(params),
    async (inherits, qy) => {
      // A log with no upstream log holds only its own hazards.
      const matches = qy.q && !inherits ? await ownTextMatchIds(db, logId, qy.q) : undefined;
      const heatmapsRead = heatmapCounts(db, logId, qy, today, inherits, matches);
      const [heatmaps, page, owners] = await Promise.all([
        heatmapsRead,
        querySummaryRows(db, logId, qy, today, { total: heatmapsRead.then((h) => h.total), inherits, matches }),
        distinctOwners(db, logId),
      ]);
      return { heatmaps, page, owners };
    },
    { db, kind: "log page", today },
  );
  const { heatmaps, page, owners } = result;
  const scheme = await riskSchemeById(db, log.riskSchemeId);
  return {
    log: { id: log.id, title: log.title, standard: log.standard, scope: log.scope, platformId: log.platformId, platformName: log.platformName },
    may: { raise: can(user, log, "edit:hazard"), import: can(user, log, "import:log") },
    query: {
      q: qy.q ?? "",
      status: qy.status ?? [],
      residualRisk: (qy.residualRisk ?? []).map(String),
      hazardType: qy.hazardType?.[0] ?? "",
      owner: qy.owner ?? "",
      overdue: qy.overdue === true,
      includeDeprecated: qy.includeDeprecated === true,
      sort: qy.sort,
      initialCell: qy.initialCell ? `${qy.initialCell.likelihood}:${qy.initialCell.severity}` : null,
      residualCell: qy.residualCell ? `${qy.residualCell.likelihood}:${qy.residualCell.severity}` : null,
    },
    // The whole §3.8 taxonomy: listing only the types in use would cost a join over every row.
    options: { owners, hazardTypes: [...HAZARD_TYPES] },
    scheme: { id: scheme.id, name: scheme.name, version: scheme.version, severities: scheme.severities, likelihoods: scheme.likelihoods, matrix: scheme.matrix, acceptability: scheme.acceptability, labels: scheme.labels, colours: scheme.colours },
    heatmaps,
    page: {
      rows: page.rows.map((r) => rowSummary(scheme, today, r)),
      total: page.total,
      start: page.start,
      nextCursor: page.nextCursor,
      prevCursor: page.prevCursor,
    },
  };
}
export type LogPageData = Awaited<ReturnType<typeof loadLogPage>>;
