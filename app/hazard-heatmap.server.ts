// Heatmap counts: how many of the listed hazards sit in each likelihood × severity cell, for the
// initial and for the residual assessment. Counted by the database (GROUP BY), never by loading the
// rows. Each heatmap applies every filter of the list except its own cell ("cross-filtering"): the
// residual map keeps showing every residual cell while one is selected, and the initial map shows
// where the hazards of that residual cell started.
import { count, sql } from "drizzle-orm";
import type { Db } from "#db/client.ts";
import { hazards } from "#db/schema/index.ts";
import { cellKey } from "./domain/risk-grid.ts";
import type { ParsedListQuery } from "./hazard-list.server.ts";
import { filterCondition, needsUpstream, u1, u2, upstreamJoin1, upstreamJoin2 } from "./hazard-list-sql.server.ts";

export type CellCounts = {
  /** `cells["high:major"]` = hazards rated High likelihood × Major severity. */
  cells: Record<string, number>;
  /** Hazards with no rating yet (likelihood or severity missing). */
  unassessed: number;
};
export type Heatmaps = { initial: CellCounts; residual: CellCounts };


async function countCells(db: Db, logId: string, qy: ParsedListQuery, today: string, which: "initial" | "residual"): Promise<CellCounts> {
  const l = which === "initial" ? hazards.initialLikelihood : hazards.residualLikelihood;
  const s = which === "initial" ? hazards.initialSeverity : hazards.residualSeverity;
  const base = db.select({ likelihood: l, severity: s, n: count() }).from(hazards).$dynamic();
  // The upstream joins only when a filter reads the upstream (search, hazard type).
  const rows = await (needsUpstream(qy) ? base.leftJoin(u1, upstreamJoin1).leftJoin(u2, upstreamJoin2) : base)
    .where(filterCondition(logId, qy, today, which === "initial" ? "initialCell" : "residualCell"))
    .groupBy(sql`1`, sql`2`);
  const out: CellCounts = { cells: {}, unassessed: 0 };
  for (const r of rows) {
    // A rating needs both (lookupRiskOrNull): half an assessment is still unassessed.
    if (r.likelihood && r.severity) out.cells[cellKey(r.likelihood, r.severity)] = Number(r.n);
    else out.unassessed += Number(r.n);
  }
  return out;
}

export async function heatmapCounts(db: Db, logId: string, qy: ParsedListQuery, today: string): Promise<Heatmaps> {
  const [initial, residual] = await Promise.all([countCells(db, logId, qy, today, "initial"), countCells(db, logId, qy, today, "residual")]);
  return { initial, residual };
}
