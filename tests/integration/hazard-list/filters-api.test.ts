// The list filters through GET /api/v1/hazard-logs/{id}/hazards: each filter returns exactly the
// hazards it should (checked against the full list), search reads inherited hazards' live upstream
// text, the contract's own parameters keep working, and bad values answer 400 naming the field.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "#db/client.ts";
import { parseListQuery } from "#app/hazard-list.server.ts";
import { closeTestDb, openTestDb } from "#tests/setup/test-db.ts";
import { getHazard, listHazards, logIdByTitle, patchHazard, SUPPLIER_LOG, tokenFor } from "../hazards/helpers.ts";
import { PAST, seedVariedHazards } from "./fixture.ts";

type H = { id: string; ref: string; title: string; status: string; owner: string | null; reviewDue: string | null; hazardType: string | null; deprecated: unknown; initial: { severity: string | null; likelihood: string | null; risk: number | null }; residual: { severity: string | null; likelihood: string | null; risk: number | null } };

let db: Db;
let icbLog: string;
let icbToken: string;
let all: H[];
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  ({ db } = await openTestDb());
  ({ icbLog, icbToken } = await seedVariedHazards(db));
  all = (await listHazards(icbToken, icbLog, { limit: "100" })).body.items;
});
afterAll(closeTestDb);

const ids = (xs: H[]) => xs.map((h) => h.id).sort();
async function expectFilter(query: Record<string, string>, keep: (h: H) => boolean) {
  const res = await listHazards(icbToken, icbLog, { limit: "100", ...query });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const want = all.filter(keep);
  expect(want.length, `${JSON.stringify(query)} should match something`).toBeGreaterThan(0);
  expect(want.length, `${JSON.stringify(query)} should leave something out`).toBeLessThan(all.length);
  expect(ids(res.body.items)).toEqual(ids(want));
  expect(res.body.total).toBe(want.length);
}

describe("filters", () => {
  it("status: several, as a comma list or repeated", async () => {
    await expectFilter({ status: "open,closed" }, (h) => h.status !== "transferred");
    // An HTML form sends checkboxes as repeated parameters: the same query.
    expect(parseListQuery(new URLSearchParams("status=open&status=closed&residualRisk=5&residualRisk=unassessed"))).toEqual(parseListQuery({ status: "open,closed", residualRisk: "5,unassessed" }));
  });

  it("residual risk: several ratings, and unassessed (or its older spelling none)", async () => {
    await expectFilter({ residualRisk: "4,5" }, (h) => h.residual.risk === 4 || h.residual.risk === 5);
    await expectFilter({ residualRisk: "1,unassessed" }, (h) => h.residual.risk === 1 || h.residual.risk === null);
    await expectFilter({ residualRisk: "none" }, (h) => h.residual.risk === null);
  });

  it("initial and residual heatmap cells", async () => {
    const withInitial = all.find((h) => h.initial.risk)!;
    const withResidual = all.find((h) => h.residual.risk)!;
    await expectFilter({ initialCell: `${withInitial.initial.likelihood}:${withInitial.initial.severity}` }, (h) => h.initial.likelihood === withInitial.initial.likelihood && h.initial.severity === withInitial.initial.severity);
    await expectFilter({ residualCell: `${withResidual.residual.likelihood}:${withResidual.residual.severity}` }, (h) => h.residual.likelihood === withResidual.residual.likelihood && h.residual.severity === withResidual.residual.severity);
  });

  it("hazard type, inherited hazards by their upstream's type", async () => {
    await expectFilter({ hazardType: "WrongPatient" }, (h) => h.hazardType === "WrongPatient");
    await expectFilter({ hazardType: "WrongPatient,SystemCrash" }, (h) => h.hazardType === "WrongPatient" || h.hazardType === "SystemCrash");
    const inheritedType = (all.find((h) => (h as unknown as { upstream?: unknown }).upstream && h.hazardType) as H).hazardType!;
    const res = await listHazards(icbToken, icbLog, { limit: "100", hazardType: inheritedType });
    expect(res.body.items.some((h: { upstream?: unknown }) => h.upstream)).toBe(true);
  });

  it("owner, ignoring case", async () => {
    await expectFilter({ owner: "WARD manager" }, (h) => h.owner?.toLowerCase() === "ward manager");
  });

  it("overdue reviews only, and the others", async () => {
    await expectFilter({ overdue: "true" }, (h) => !!h.reviewDue && h.reviewDue < today && h.status !== "closed");
    await expectFilter({ overdue: "false" }, (h) => !(!!h.reviewDue && h.reviewDue < today && h.status !== "closed"));
    expect(all.some((h) => h.reviewDue === PAST && h.status === "closed")).toBe(true); // a closed one is never overdue
  });

  it("free text over title, description and causes, with LIKE wildcards taken literally", async () => {
    await expectFilter({ q: "CAPYBARA" }, (h) => h.title.includes("capybara"));
    await expectFilter({ q: "stale data after" }, (h) => (h as unknown as { description: string }).description.includes("stale data after"));
    await expectFilter({ q: "queue backlog" }, (h) => (h as unknown as { causes: string[] }).causes.some((c) => c.includes("queue backlog")));
    expect((await listHazards(icbToken, icbLog, { q: "%" })).body.total).toBe(0);
  });

  it("filters combine (AND)", async () => {
    await expectFilter({ status: "open", residualRisk: "unassessed,1,2,3" }, (h) => h.status === "open" && (h.residual.risk ?? 0) <= 3);
  });
});

describe("search on inherited hazards reads the upstream's current text", () => {
  it("finds new upstream words, and no longer finds removed ones, two levels down", async () => {
    const supplierLog = await logIdByTitle(db, SUPPLIER_LOG);
    const supplierToken = await tokenFor(db, "cso@supplier.example");
    const trustToken = await tokenFor(db, "cso@harbourside.example");
    const harbourLog = await logIdByTitle(db, "Wessex Shared EPR — Harbourside DCB0160 hazard log");
    const upstream = (await listHazards(supplierToken, supplierLog, { limit: "1" })).body.items[0];
    const oldWord = upstream.title.split(" ").find((w: string) => w.length > 6)!.toLowerCase();
    const renamed = await patchHazard(supplierToken, upstream.id, { version: upstream.version, reason: "Clearer wording", title: "Wombat alert suppressed on the ward view", causes: ["Numbat cache"] });
    expect(renamed.status).toBe(200);
    for (const [token, log] of [[icbToken, icbLog], [trustToken, harbourLog]] as const) {
      for (const word of ["wombat", "numbat"]) {
        const found = (await listHazards(token, log, { q: word })).body.items;
        expect(found.length, `${word} in ${log}`).toBe(1);
        expect(found[0].title).toBe("Wombat alert suppressed on the ward view");
      }
      const stale = (await listHazards(token, log, { q: oldWord, limit: "100" })).body.items as H[];
      expect(stale.every((h) => `${h.title} ${(h as unknown as { description: string }).description} ${(h as unknown as { causes: string[] }).causes.join(" ")}`.toLowerCase().includes(oldWord))).toBe(true);
    }
    expect((await getHazard(supplierToken, upstream.id)).body.title).toMatch(/^Wombat/);
  });
});

describe("the contract's parameters and bad input", () => {
  it("keeps q, status, limit, cursor and includeDeprecated as documented", async () => {
    const deprecatedCount = all.filter((h) => h.deprecated).length;
    expect(deprecatedCount).toBe(0);
    const withDeprecated = await listHazards(icbToken, icbLog, { limit: "100", includeDeprecated: "true" });
    expect(withDeprecated.body.total).toBe(all.length + 1);
    const clamped = await listHazards(icbToken, icbLog, { limit: "1000" });
    expect(clamped.body.items).toHaveLength(Math.min(100, all.length));
    const page1 = await listHazards(icbToken, icbLog, { limit: "5", status: "open" });
    expect(Object.keys(page1.body).sort()).toEqual(["items", "nextCursor", "prevCursor", "total"]);
    const page2 = await listHazards(icbToken, icbLog, { limit: "5", status: "open", cursor: page1.body.nextCursor });
    expect(page2.body.items[0].ref > page1.body.items[4].ref).toBe(true);
  });

  it.each([
    [{ residualRisk: "9" }, "residualRisk"],
    [{ residualRisk: "1,x" }, "residualRisk"],
    [{ sort: "bogus" }, "sort"],
    [{ status: "pending" }, "status"],
    [{ initialCell: "high" }, "initialCell"],
    [{ residualCell: "extreme:major" }, "residualCell"],
    [{ hazardType: "Nope" }, "hazardType"],
    [{ overdue: "maybe" }, "overdue"],
    [{ limit: "ten" }, "limit"],
    [{ cursor: "garbage!" }, "cursor"],
    [{ cursor: Buffer.from(JSON.stringify({ s: "ref", d: "n", k: ["x'); drop table hazards; --"], o: 0 })).toString("base64url") }, "cursor"],
    [{ cursor: Buffer.from(JSON.stringify({ s: "-residualRisk", d: "n", k: ["3", "4"], o: 5 })).toString("base64url") }, "cursor"],
  ])("answers 400 for %j naming %s", async (query, field) => {
    const res = await listHazards(icbToken, icbLog, query as Record<string, string>);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("bad_request");
    expect(Object.keys(res.body.error.fields)).toEqual([field]);
  });
});
