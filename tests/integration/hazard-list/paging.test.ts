// Sorting and keyset paging: for any sort, page size and filters, walking the pages forwards (and
// back again) yields every matching hazard exactly once, in the order of the one-page answer; the
// orders are the ones documented; a hazard raised between two pages does not shift the others.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "#db/client.ts";
import { parseListQuery, queryRows, SORTS, type ParsedListQuery } from "#app/hazard-list.server.ts";
import { closeTestDb, openTestDb } from "#tests/setup/test-db.ts";
import { createHazard } from "../hazards/helpers.ts";
import { OWNERS, seedVariedHazards, TYPES } from "./fixture.ts";

let db: Db;
let icbLog: string;
let icbToken: string;
const TODAY = "2026-01-15";

beforeAll(async () => {
  ({ db } = await openTestDb());
  ({ icbLog, icbToken } = await seedVariedHazards(db));
});
afterAll(closeTestDb);

const query = (params: Record<string, string | undefined>): ParsedListQuery => parseListQuery(params);

/** Every page, following nextCursor; then back from the last page following prevCursor. */
async function walk(params: Record<string, string | undefined>) {
  const forward: string[][] = [];
  let cursor: string | undefined;
  let last: Awaited<ReturnType<typeof queryRows>> | undefined;
  for (let guard = 0; guard < 200; guard++) {
    const page = await queryRows(db, icbLog, query({ ...params, cursor }), TODAY);
    expect(page.start).toBe(forward.flat().length);
    forward.push(page.rows.map((r) => r.h.ref));
    last = page;
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  const backward: string[][] = [forward.at(-1)!];
  cursor = last?.prevCursor ?? undefined;
  while (cursor) {
    const page = await queryRows(db, icbLog, query({ ...params, cursor }), TODAY);
    backward.unshift(page.rows.map((r) => r.h.ref));
    cursor = page.prevCursor ?? undefined;
  }
  return { forward, backward, total: last?.total ?? 0 };
}

// Each filter is present in about a third of the runs, so many runs still span several pages.
const filters = fc.record(
  {
    status: fc.subarray(["open", "transferred", "closed"], { minLength: 1 }).map((xs) => xs.join(",")),
    residualRisk: fc.subarray(["1", "2", "3", "4", "5", "unassessed"], { minLength: 1 }).map((xs) => xs.join(",")),
    hazardType: fc.constantFrom(...TYPES),
    owner: fc.constantFrom(...OWNERS.filter((o) => o !== null)),
    overdue: fc.constantFrom("true", "false"),
    includeDeprecated: fc.constant("true"),
    q: fc.constantFrom("hazard", "medication", "interface", "the", "results"),
  },
  { requiredKeys: [] },
).chain((f) => fc.subarray(Object.keys(f)).map((keep) => Object.fromEntries(Object.entries(f).filter(([k]) => keep.includes(k)))));

describe("paging through any sort", () => {
  it("yields every matching hazard exactly once, in the one-page order, forwards and backwards", async () => {
    let multiPage = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SORTS), fc.integer({ min: 1, max: 13 }), filters, async (sort, limit, f) => {
        const params = { ...f, sort, limit: String(limit) };
        const whole = await queryRows(db, icbLog, query({ ...params, limit: "100" }), TODAY);
        expect(whole.total).toBeLessThanOrEqual(100); // the reference answer fits one page
        const { forward, backward, total } = await walk(params);
        const refs = forward.flat();
        expect(total).toBe(whole.total);
        expect(refs).toEqual(whole.rows.map((r) => r.h.ref));
        expect(new Set(refs).size).toBe(refs.length);
        expect(backward).toEqual(forward);
        for (const page of forward.slice(0, -1)) expect(page.length).toBe(limit);
        if (forward.length >= 3) multiPage++;
      }),
      { numRuns: 80, seed: 7 },
    );
    // The property means little if most runs fit one page.
    expect(multiPage).toBeGreaterThanOrEqual(25);
  }, 120_000); // 80 property runs of many queries each: slow on a busy 2-core machine
});

describe("the orders", () => {
  const refNo = (ref: string) => Number(ref.slice(2));
  const rows = async (sort: string) => (await queryRows(db, icbLog, query({ sort, limit: "100" }), TODAY)).rows;

  it("residual risk high to low, unassessed last, ties by ref", async () => {
    const got = (await rows("-residualRisk")).map((r) => [r.h.residualRisk ?? -1, refNo(r.h.ref)] as const);
    const want = [...got].sort((a, b) => (a[0] === -1) !== (b[0] === -1) ? (a[0] === -1 ? 1 : -1) : b[0] - a[0] || a[1] - b[1]);
    expect(got).toEqual(want);
    expect(got.some(([r]) => r === -1)).toBe(true);
  });

  it("initial risk, review due (soonest first, none last), title (case-insensitive) and ref both ways", async () => {
    const initial = (await rows("initialRisk")).map((r) => [r.h.initialRisk ?? 99, refNo(r.h.ref)] as const);
    expect(initial).toEqual([...initial].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
    const due = (await rows("reviewDue")).map((r) => [r.h.reviewDue ?? "9999", refNo(r.h.ref)] as const);
    expect(due).toEqual([...due].sort((a, b) => a[0].localeCompare(b[0]) || a[1] - b[1]));
    const dueDesc = (await rows("-reviewDue")).map((r) => r.h.reviewDue);
    expect(dueDesc.indexOf(null)).toBeGreaterThan(dueDesc.lastIndexOf("2001-02-03"));
    const titles = (await rows("title")).map((r) => r.title.toLowerCase());
    expect(titles.filter((t) => /^(medication|referral|results) hazard/.test(t))).toEqual(
      titles.filter((t) => /^(medication|referral|results) hazard/.test(t)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    );
    const refs = (await rows("-ref")).map((r) => refNo(r.h.ref));
    expect(refs).toEqual([...refs].sort((a, b) => b - a));
  });

  it("last updated, newest first, with rows updated in the same instant kept apart by ref", async () => {
    const got = (await rows("-updatedAt")).map((r) => [r.h.updatedAt.getTime(), refNo(r.h.ref)] as const);
    // The demo rows were seeded in one transaction, so many share one timestamp: ties are real.
    expect(new Set(got.map(([t]) => t)).size).toBeLessThan(got.length);
    // Milliseconds only here (a JavaScript Date); the database orders by the full microseconds.
    for (let i = 1; i < got.length; i++) expect(got[i - 1][0]).toBeGreaterThanOrEqual(got[i][0]);
    const seeded = got.filter(([t]) => t === got.at(-1)![0]).map(([, ref]) => ref);
    expect(seeded).toEqual([...seeded].sort((a, b) => a - b));
  });
});

describe("keyset paging under change", () => {
  it("a hazard raised between two pages neither repeats nor hides the others", async () => {
    const first = await queryRows(db, icbLog, query({ sort: "-residualRisk", limit: "10" }), TODAY);
    const raised = await createHazard(icbToken, icbLog, {
      title: "Raised while someone was paging",
      residual: { severity: "catastrophic", likelihood: "very_high" },
      riskBenefitJustification: "Test",
    });
    expect(raised.status).toBe(201);
    const seen = first.rows.map((r) => r.h.ref);
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await queryRows(db, icbLog, query({ sort: "-residualRisk", limit: "10", cursor }), TODAY);
      seen.push(...page.rows.map((r) => r.h.ref));
      cursor = page.nextCursor;
    }
    const now = (await queryRows(db, icbLog, query({ sort: "-residualRisk", limit: "100" }), TODAY)).rows.map((r) => r.h.ref);
    // Everything except the new risk-5 hazard (sorted before the page already read) is seen once.
    expect(seen).toEqual(now.filter((ref) => ref !== raised.body.ref));
  });
});
