// Heatmap counts: how many of the listed hazards sit in each likelihood × severity cell, for the
// initial and for the residual assessment. Counted by the database (GROUP BY), never by loading the
// rows. Each heatmap applies every filter of the list except its own cell ("cross-filtering"): the
// residual map keeps showing every residual cell while one is selected, and the initial map shows
// where the hazards of that residual cell started.
import { sql } from "drizzle-orm";
import type { Db } from "#db/client.ts";
import { hazards } from "#db/schema/index.ts";
import { cellKey } from "./domain/risk-grid.ts";
import type { ParsedListQuery } from "./hazard-list.server.ts";
import { cellCondition, filterCondition, needsUpstream, u1, u2, upstreamJoin1, upstreamJoin2 } from "./hazard-list-sql.server.ts";

export type CellCounts = {
  /** `cells["high:major"]` = hazards rated High likelihood × Major severity. */
  cells: Record<string, number>;
  /** Hazards with no rating yet (likelihood or severity missing). */
  unassessed: number;
};
/** Both heatmaps, and `total`: the hazards matching every filter (the list's count). */
export type Heatmaps = { initial: CellCounts; residual: CellCounts; total: number };

const IL = hazards.initialLikelihood;
const IS = hazards.initialSeverity;
const RL = hazards.residualLikelihood;
const RS = hazards.residualSeverity;

/**
 * One scan for both maps and the total: the rows matching every filter but the two cells, grouped
 * by initial cell, by residual cell and not at all (GROUPING SETS), each count keeping only the
 * rows its map needs (FILTER). Free-text search over 5,000 rows is the costly part of the page, so
 * it is evaluated once here rather than once per map and once for the count.
 */
export async function heatmapCounts(db: Db, logId: string, qy: ParsedListQuery, today: string, inherits = true, matches?: readonly string[]): Promise<Heatmaps> {
  const inInitialCell = cellCondition("initial", qy.initialCell);
  const inResidualCell = cellCondition("residual", qy.residualCell);
  const base = db
    .select({
      // grouping(): bit set for each column the row is NOT grouped by (3 = initial cell, 12 = residual, 15 = total).
      set: sql<number>`grouping(${IL}, ${IS}, ${RL}, ${RS})`.mapWith(Number),
      il: IL, is: IS, rl: RL, rs: RS,
      forInitial: sql<number>`count(*) filter (where ${inResidualCell})`.mapWith(Number),
      forResidual: sql<number>`count(*) filter (where ${inInitialCell})`.mapWith(Number),
      forList: sql<number>`count(*) filter (where ${inInitialCell} and ${inResidualCell})`.mapWith(Number),
    })
    .from(hazards)
    .$dynamic();
  const rows = await (needsUpstream(qy, inherits) ? base.leftJoin(u1, upstreamJoin1).leftJoin(u2, upstreamJoin2) : base)
    .where(filterCondition(logId, qy, today, "bothCells", inherits, matches))
    .groupBy(sql`grouping sets ((${IL}, ${IS}), (${RL}, ${RS}), ())`);

  const out: Heatmaps = { initial: { cells: {}, unassessed: 0 }, residual: { cells: {}, unassessed: 0 }, total: 0 };
  for (const r of rows) {
    if (r.set === 15) out.total = r.forList;
    const [map, l, s, n] = r.set === 3 ? [out.initial, r.il, r.is, r.forInitial] : r.set === 12 ? [out.residual, r.rl, r.rs, r.forResidual] : [null, null, null, 0];
    if (!map || n === 0) continue;
    // A rating needs both (lookupRiskOrNull): half an assessment is still unassessed.
    if (l && s) map.cells[cellKey(l, s)] = n;
    else map.unassessed += n;
  }
  return out;
}
