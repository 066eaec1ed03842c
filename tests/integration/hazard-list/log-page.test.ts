// The log page's loader: heatmaps, filter options, rows with links' data, what the user may do, and
// refusals (400 for a bad filter, 404 for a log the user may not read), also when the answer is kept
// (app/log-reads.server.ts; tests/integration/hazard-list/kept-reads.test.ts: kept answers follow changes).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "#db/client.ts";
import { closeTestDb, openTestDb } from "#tests/setup/test-db.ts";
import { forgetKeptReads } from "#app/log-reads.server.ts";
import { ICB_LOG, listHazards, logIdByTitle, tokenFor } from "../hazards/helpers.ts";
import { loadLogPage, seedVariedHazards } from "./fixture.ts";

let db: Db;
let icbLog: string;

beforeAll(async () => {
  ({ db } = await openTestDb());
  await seedVariedHazards(db);
  icbLog = await logIdByTitle(db, ICB_LOG);
});
afterAll(closeTestDb);

const open = (email: string, query = "") => loadLogPage(db, email, icbLog, query);

describe("the log page loader", () => {
  it("gives the ICB's CSO the heatmaps, filters, first page and the right to raise and import", async () => {
    const res = await open("cso@icb.example");
    expect(res.status).toBe(200);
    const data = await res.json();
    expect(data.may).toEqual({ raise: true, import: true });
    expect(data.page.total).toBe(77); // 38 demo hazards + 40 raised - the deprecated one
    expect(data.page.rows).toHaveLength(50);
    expect(data.page.start).toBe(0);
    expect(data.page.nextCursor).toBeTruthy();
    expect(data.page.prevCursor).toBeNull();
    expect(data.options.owners).toEqual(["Chief clinical information officer", "Pharmacy lead", "Ward manager"]);
    expect(data.options.hazardTypes).toContain("WrongPatient");
    const inherited = data.page.rows.filter((r: { inherited: boolean }) => r.inherited);
    expect(inherited.length).toBeGreaterThan(0);
    expect(inherited.some((r: { upstreamPending: boolean }) => r.upstreamPending)).toBe(true); // SUP-23 is left pending at the ICB
    const sum = Object.values(data.heatmaps.residual.cells as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(sum + data.heatmaps.residual.unassessed).toBe(77);
  });

  it("marks overdue reviews and follows a heatmap cell", async () => {
    const data = await (await open("auditor@icb.example", "?overdue=true&sort=-residualRisk")).json();
    expect(data.page.rows.length).toBeGreaterThan(0);
    expect(data.page.rows.every((r: { overdue: boolean }) => r.overdue)).toBe(true);
    const [cell, count] = Object.entries(data.heatmaps.residual.cells as Record<string, number>)[0];
    const filtered = await (await open("auditor@icb.example", `?overdue=true&sort=-residualRisk&residualCell=${cell}`)).json();
    expect(filtered.page.total).toBe(count);
    expect(filtered.query.residualCell).toBe(cell);
  });

  it("does not offer raising or importing to a viewer, or to another organisation's CSO", async () => {
    expect((await (await open("auditor@icb.example")).json()).may).toEqual({ raise: false, import: false });
    expect((await (await open("cso@harbourside.example")).json()).may).toEqual({ raise: false, import: false });
  });

  it("answers 400 for a bad filter and 404 for a log the user may not read", async () => {
    expect((await open("cso@icb.example", "?residualRisk=9")).status).toBe(400);
    expect((await open("cso@icb.example", "?sort=bogus")).status).toBe(400);
    expect((await open("cso@othersupplier.example")).status).toBe(404);
  });

  it("never gives a kept answer to a caller who may not read the log: 404 before 400, nothing of the rows", async () => {
    expect((await open("cso@icb.example")).status).toBe(200); // kept now
    expect((await open("cso@icb.example", "?q=allergy")).status).toBe(200);
    for (const query of ["", "?residualRisk=9", "?q=allergy"]) {
      const res = await open("cso@othersupplier.example", query);
      expect(res.status, query).toBe(404);
      expect(await res.text()).not.toContain("H-0");
    }
    const other = await listHazards(await tokenFor(db, "cso@othersupplier.example"), icbLog, { residualRisk: "9" });
    expect(other.status).toBe(404);
  });

  it("answers the same from a kept answer as from reading", async () => {
    const token = await tokenFor(db, "cso@icb.example");
    const answers = [];
    for (const prepare of [() => forgetKeptReads(), () => undefined]) {
      prepare();
      const page = await (await open("cso@icb.example", "?q=a")).json();
      const api = await listHazards(token, icbLog, { q: "a", limit: "100" });
      expect(api.status).toBe(200);
      const rows = page.page.rows as { id: string; inherited: boolean }[];
      answers.push({ page: page.page, heatmaps: page.heatmaps, owners: page.options.owners, api: api.body });
      expect(rows.filter((r) => r.inherited).length).toBeGreaterThan(0);
    }
    expect(answers[1]).toEqual(answers[0]);
  });
});
