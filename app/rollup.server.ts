// The ICB's roll-up of one platform (contract §4 `GET /api/v1/platforms/{id}/rollup`): every hazard
// of the platform against every organisation taking part, limited to the logs the caller may read
// (the rule itself lives in app/domain/permissions.ts). A line is a hazard's origin (a live hazard
// whose upstream the caller cannot see live: none, deprecated, or in a log it may not read); each
// organisation's column shows its own row in the inheritance chain below it.
//
// The largest platform holds about 215,000 hazard rows (40 trusts each holding a copy of every
// shared hazard), so nothing here loads them all: one SQL statement picks a page of lines (the
// count of all lines alongside) and returns only that page's cells, with their counts.
import { eq, sql, type SQL } from "drizzle-orm";
import { organisations, platforms } from "#db/schema/index.ts";
import type { SessionUser } from "./auth.server.ts";
import { getDb } from "./db.server.ts";
import { isUuid } from "./domain/ids.ts";
import { canReadLog } from "./domain/permissions.ts";
import type { RollupFilter } from "./domain/rollup-filter.ts";
import { notFound } from "./errors.server.ts";
import { likePattern, todayIso } from "./hazard-list.server.ts";
import { loadLogsWithFacts } from "./permissions.server.ts";
import { pgArray, rowsOf } from "./sql-values.server.ts";

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
export type RollupLine = { hazardId: string; ref: string; title: string; byOrganisation: Record<string, RollupCell> };
export type Rollup = {
  platform: { id: string; name: string };
  organisations: { id: string; name: string; kind: string }[];
  /** One page of lines, in the organisations' column order (supplier, ICB, trusts) then ref. */
  hazards: RollupLine[];
  /** Lines matching the filter on every page. */
  total: number;
};
export type RollupPage = { filter?: Partial<RollupFilter>; limit: number; offset: number };

/** Deeper chains than supplier → ICB → trust do not exist; the bound only stops a loop. */
const MAX_DEPTH = 5;

export async function platformRollup(user: SessionUser, platformId: string, page: RollupPage, today = todayIso()): Promise<Rollup> {
  if (!isUuid(platformId)) throw notFound("Platform");
  const db = await getDb();
  const [[platform], allLogs] = await Promise.all([db.select().from(platforms).where(eq(platforms.id, platformId)), loadLogsWithFacts(db)]);
  if (!platform) throw notFound("Platform");
  const logs = allLogs.filter((l) => l.platformId === platform.id && canReadLog(user.memberships, l.facts));
  if (logs.length === 0) throw notFound("Platform");
  const orgOfLog = new Map(logs.map((l) => [l.id, l.organisationId]));
  const orgIds = [...new Set(logs.map((l) => l.organisationId))];
  const orgRows = await db.select({ id: organisations.id, name: organisations.name, kind: organisations.kind }).from(organisations).where(sql`${organisations.id} = any(${pgArray(orgIds)})`);
  const rank = { supplier: 0, icb: 1, deployer: 2 } as Record<string, number>;
  orgRows.sort((a, b) => rank[a.kind] - rank[b.kind] || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));

  // Lines come in column order: the logs of the first organisation's column first.
  const column = new Map(orgRows.map((o, i) => [o.id, i]));
  const logOrder = logs.map((l) => l.id).sort((a, b) => column.get(orgOfLog.get(a)!)! - column.get(orgOfLog.get(b)!)! || a.localeCompare(b));
  const listed = new Set(logOrder);
  // Logs whose upstream log the caller may not read: their inherited rows head lines of their own.
  // (A log without an upstream log holds no inherited rows: copies are made from the upstream log.)
  const cutOff = logs.filter((l) => l.upstreamLogId && !listed.has(l.upstreamLogId)).map((l) => l.id);

  const rows = rowsOf<CellRow>(await db.execute(rollupQuery({ logs: logOrder, cutOff, filter: page.filter ?? {}, limit: page.limit, offset: page.offset, today })));
  let total = rows.length ? Number(rows[0].total) : 0;
  if (rows.length === 0 && page.offset > 0) total = Number(rowsOf<{ total: number }>(await db.execute(rollupQuery({ logs: logOrder, cutOff, filter: page.filter ?? {}, limit: 0, offset: 0, today, countOnly: true })))[0].total);

  const lines = new Map<string, RollupLine>();
  for (const r of rows) {
    let line = lines.get(r.root_id);
    if (!line) lines.set(r.root_id, (line = { hazardId: r.root_id, ref: r.root_ref, title: r.root_title ?? "", byOrganisation: {} }));
    line.byOrganisation[orgOfLog.get(r.hazard_log_id)!] = {
      hazardId: r.id,
      ref: r.ref,
      residualRisk: r.residual_risk,
      status: r.status,
      upstreamAccepted: r.upstream_accepted,
      reviewOverdue: r.review_overdue,
      openTransferredControls: Number(r.open_transferred),
      incidents: Number(r.incidents),
    };
  }
  return { platform: { id: platform.id, name: platform.name }, organisations: orgRows, hazards: [...lines.values()], total };
}

type CellRow = {
  total: number; root_id: string; root_ref: string; root_title: string | null;
  id: string; ref: string; hazard_log_id: string; residual_risk: number | null; status: RollupCell["status"];
  upstream_accepted: boolean | null; review_overdue: boolean; open_transferred: number; incidents: number;
};

/**
 * The statement: the lines (origin hazards) matching the filter, their count, one page of them in
 * column-then-ref order, and every cell of that page — each listed live hazard below a line's
 * origin, walked down the inheritance chain (`hazards_upstream_idx`) — with its open transferred
 * obligations and incidents counted. `countOnly` answers just `total`.
 */
export function rollupQuery(a: { logs: string[]; cutOff: string[]; filter: Partial<RollupFilter>; limit: number; offset: number; today: string; countOnly?: boolean }): SQL {
  const logs = pgArray(a.logs);
  const f = a.filter;
  const cellFilters = [
    f.pending ? sql`bool_or(c.upstream_accepted = false)` : null,
    f.overdue ? sql`bool_or(c.review_overdue)` : null,
    f.minRisk ? sql`bool_or(coalesce(c.residual_risk, 0) >= ${f.minRisk})` : null,
  ].filter((x): x is SQL => x !== null);
  // A cell's facts, `p` being its parent cell in the walk (null at the line's origin).
  const cell = (h: string, parentVersion: string) =>
    `${h}.id, ${h}.hazard_log_id, ${h}.ref, ${h}.residual_risk, ${h}.status, ${h}.version,
      case when ${h}.upstream_hazard_id is null then null else coalesce(${h}.upstream_accepted_version = ${parentVersion}, false) end as upstream_accepted,
      (${h}.review_due is not null and ${h}.review_due < '${a.today}'::date and ${h}.status <> 'closed') as review_overdue`;
  // Walks down from the lines in `from` (a CTE with an `id` column) over the listed live hazards.
  const walk = (name: string, from: string) =>
    sql.raw(`${name} as (
      select o.id as root_id, 0 as depth, ${cell("h", "null")} from ${from} o join hazards h on h.id = o.id
      union all
      select w.root_id, w.depth + 1, ${cell("h", "w.version")} from ${name} w join hazards h on h.upstream_hazard_id = w.id
      where h.hazard_log_id = any(`).append(sql`${logs}`).append(sql.raw(`) and h.deprecated_at is null and w.depth < ${MAX_DEPTH}
    )`));
  if (!/^\d{4}-\d{2}-\d{2}$/.test(a.today)) throw new Error("today must be an ISO date");

  const cutOff = pgArray(a.cutOff);
  // A copy heading a line shows its upstream's title (copies keep the upstream fields null).
  const titled = (from: string) =>
    sql.raw(`select r.id, r.hazard_log_id, r.ref_number, r.ref, coalesce(r.title, u1.title, u2.title) as title from ${from} r
      left join hazards u1 on u1.id = r.upstream_hazard_id left join hazards u2 on u2.id = u1.upstream_hazard_id`);

  return sql`
    with recursive
    -- The origins: own hazards (hazards_roots_idx); copies of a deprecated hazard, where the chain
    -- stops (hazards_deprecated_idx); inherited rows of a log whose upstream log the caller may not
    -- read. The three never overlap, so no de-duplication.
    roots as (
      select h.id, h.hazard_log_id, h.ref_number, h.ref, h.title, h.upstream_hazard_id from hazards h
      where h.hazard_log_id = any(${logs}) and h.upstream_hazard_id is null and h.deprecated_at is null
      union all
      select c.id, c.hazard_log_id, c.ref_number, c.ref, c.title, c.upstream_hazard_id from hazards d join hazards c on c.upstream_hazard_id = d.id
      where d.hazard_log_id = any(${logs}) and d.deprecated_at is not null
        and c.hazard_log_id = any(${logs}) and c.hazard_log_id <> all(${cutOff}) and c.deprecated_at is null
      union all
      select h.id, h.hazard_log_id, h.ref_number, h.ref, h.title, h.upstream_hazard_id from hazards h
      where h.hazard_log_id = any(${cutOff}) and h.upstream_hazard_id is not null and h.deprecated_at is null
    ),
    searched as (
      ${f.q ? sql`select * from (${titled("roots")}) t where lower(t.ref || ' ' || coalesce(t.title, '')) like ${likePattern(f.q)}` : sql`select * from roots`}
    ),
    ${
      cellFilters.length
        ? sql`${walk("everything", "searched")},
    matching as (
      select s.* from searched s join (
        select c.root_id from everything c group by c.root_id having ${sql.join(cellFilters, sql` and `)}
      ) m on m.root_id = s.id
    ),`
        : sql`matching as (select * from searched),`
    }
    ordered as (
      select m.*, array_position(${logs}, m.hazard_log_id) as column_order from matching m
      order by array_position(${logs}, m.hazard_log_id), m.ref_number
      limit ${a.limit} offset ${a.offset}
    ),
    page as (${f.q ? sql`select * from ordered` : sql`select t.*, o.column_order from (${titled("ordered")}) t join ordered o on o.id = t.id`}),
    ${walk("cells", "page")}
    ${
      a.countOnly
        ? sql`select count(*)::int as total from matching`
        : // An uncorrelated subquery: counted once (an InitPlan), whatever the join below does.
          sql`select (select count(*)::int from matching) as total, p.id as root_id, p.ref as root_ref, p.title as root_title,
      c.id, c.ref, c.hazard_log_id, c.residual_risk, c.status, c.upstream_accepted, c.review_overdue,
      (select count(*)::int from hazard_controls hc join controls t on t.id = hc.control_id
        where hc.hazard_id = c.id and t.transferred_from_control_id is not null and t.state <> 'verified') as open_transferred,
      (select count(*)::int from incidents i where i.hazard_id = c.id) as incidents
    from cells c join page p on p.id = c.root_id
    order by p.column_order, p.ref_number, c.depth, array_position(${logs}, c.hazard_log_id)`
    }`;
}
