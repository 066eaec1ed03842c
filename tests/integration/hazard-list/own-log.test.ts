// A log with no upstream log (the supplier's DCB0129 log) is listed without joining upstream rows
// (app/hazard-list-sql.server.ts, `inherits`): every filter, search, sort and heatmap must answer
// exactly what the joined query answers for the same log, whether the search runs inside each query
// or its matching ids are found once (ownTextMatchIds, as the log page and the API do).
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "#db/client.ts";
import { heatmapCounts } from "#app/hazard-heatmap.server.ts";
import { parseListQuery, queryRows, todayIso } from "#app/hazard-list.server.ts";
import { ownTextMatchIds } from "#app/hazard-list-sql.server.ts";
import { closeTestDb, openTestDb } from "#tests/setup/test-db.ts";
import { logIdByTitle, SUPPLIER_LOG } from "../hazards/helpers.ts";

let db: Db;
let logId: string;
beforeAll(async () => {
  ({ db } = await openTestDb());
  logId = await logIdByTitle(db, SUPPLIER_LOG);
});
afterAll(closeTestDb);

const QUERIES: Record<string, string>[] = [
  {}, { q: "alert" }, { q: "allerg" }, { q: "ALLERGY" }, { q: "no such words anywhere" }, { q: "%" }, { q: "_" }, { q: "a\\" }, { q: "dose", residualRisk: "unassessed,4" }, { hazardType: "WrongDrugDose" }, { sort: "title" }, { sort: "-title" },
  { sort: "title", q: "dose" }, { sort: "-residualRisk", status: "open" }, { includeDeprecated: "true", sort: "title", limit: "7" },
];

it("answers the same rows, order, total and heatmaps with and without the upstream joins", async () => {
  const today = todayIso();
  for (const raw of QUERIES) {
    const qy = parseListQuery(new URLSearchParams(raw));
    const [joined, own] = await Promise.all([queryRows(db, logId, qy, today, { inherits: true }), queryRows(db, logId, qy, today, { inherits: false })]);
    expect(own.rows.map((r) => [r.h.id, r.title]), JSON.stringify(raw)).toEqual(joined.rows.map((r) => [r.h.id, r.title]));
    expect({ total: own.total, next: own.nextCursor }).toEqual({ total: joined.total, next: joined.nextCursor });
    const joinedMaps = await heatmapCounts(db, logId, qy, today, true);
    expect(await heatmapCounts(db, logId, qy, today, false)).toEqual(joinedMaps);
    if (!qy.q) continue;
    const matches = await ownTextMatchIds(db, logId, qy.q);
    const found = await queryRows(db, logId, qy, today, { inherits: false, matches });
    expect(found.rows.map((r) => [r.h.id, r.title]), JSON.stringify(raw)).toEqual(joined.rows.map((r) => [r.h.id, r.title]));
    expect({ total: found.total, next: found.nextCursor }).toEqual({ total: joined.total, next: joined.nextCursor });
    expect(await heatmapCounts(db, logId, qy, today, false, matches)).toEqual(joinedMaps);
  }
  // The queries above do find something (a test of nothing would pass either way).
  const found = await queryRows(db, logId, parseListQuery(new URLSearchParams({ q: "alert" })), today, { inherits: false });
  expect(found.total).toBeGreaterThan(0);
});
