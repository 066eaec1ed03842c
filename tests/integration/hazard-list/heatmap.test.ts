// Heatmap counts (GROUP BY in the database) equal the counts of the listed hazards per cell, under
// any filters; each heatmap ignores only its own cell; the unassessed count covers half-rated hazards.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "#db/client.ts";
import { heatmapCounts } from "#app/hazard-heatmap.server.ts";
import { parseListQuery, queryRows } from "#app/hazard-list.server.ts";
import { closeTestDb, openTestDb } from "#tests/setup/test-db.ts";
import { seedVariedHazards } from "./fixture.ts";

let db: Db;
let icbLog: string;
const TODAY = "2026-01-15";

beforeAll(async () => {
  ({ db } = await openTestDb());
  ({ icbLog } = await seedVariedHazards(db));
});
afterAll(closeTestDb);

/** Per-cell counts of the listed hazards (one page of up to 100 holds them all here). */
async function listedCounts(params: Record<string, string>, which: "initial" | "residual") {
  const page = await queryRows(db, icbLog, parseListQuery({ ...params, limit: "100" }), TODAY);
  expect(page.total).toBeLessThanOrEqual(100);
  const cells: Record<string, number> = {};
  let unassessed = 0;
  for (const { h } of page.rows) {
    const [l, s] = which === "initial" ? [h.initialLikelihood, h.initialSeverity] : [h.residualLikelihood, h.residualSeverity];
    if (l && s) cells[`${l}:${s}`] = (cells[`${l}:${s}`] ?? 0) + 1;
    else unassessed++;
  }
  return { cells, unassessed };
}

const withoutKey = (o: Record<string, string>, k: string) => Object.fromEntries(Object.entries(o).filter(([key]) => key !== k));

describe("heatmap counts", () => {
  it("equal the listed hazards per cell, each map leaving out only its own cell filter", async () => {
    const cell = fc.tuple(fc.constantFrom("very_low", "low", "medium", "high", "very_high"), fc.constantFrom("minor", "significant", "considerable", "major", "catastrophic")).map(([l, s]) => `${l}:${s}`);
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            status: fc.constantFrom("open", "closed", "open,transferred"),
            residualRisk: fc.constantFrom("1,2", "3", "4,5,unassessed"),
            q: fc.constantFrom("hazard", "the", "medication"),
            overdue: fc.constantFrom("true", "false"),
            includeDeprecated: fc.constant("true"),
            initialCell: cell,
            residualCell: cell,
          },
          { requiredKeys: [] },
        ),
        async (params) => {
          const maps = await heatmapCounts(db, icbLog, parseListQuery(params), TODAY);
          expect(maps.initial).toEqual(await listedCounts(withoutKey(params, "initialCell"), "initial"));
          expect(maps.residual).toEqual(await listedCounts(withoutKey(params, "residualCell"), "residual"));
          expect(maps.total).toBe((await queryRows(db, icbLog, parseListQuery({ ...params, limit: "1" }), TODAY)).total);
        },
      ),
      { numRuns: 40, seed: 11 },
    );
  });

  it("a cell's count is the total listed when that cell is selected", async () => {
    const maps = await heatmapCounts(db, icbLog, parseListQuery({}), TODAY);
    const entries = Object.entries(maps.residual.cells);
    expect(entries.length).toBeGreaterThan(3);
    for (const [key, count] of entries) {
      const page = await queryRows(db, icbLog, parseListQuery({ residualCell: key, limit: "1" }), TODAY);
      expect(page.total, key).toBe(count);
    }
    const all = await queryRows(db, icbLog, parseListQuery({ limit: "1" }), TODAY);
    expect(entries.reduce((n, [, c]) => n + c, 0) + maps.residual.unassessed).toBe(all.total);
  });
});
