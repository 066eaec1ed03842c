// The platform roll-up (contract §4): every hazard against every organisation, limited to what the
// caller may read — the other supplier gets 404, a trust never sees another trust's local hazards.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "#db/client.ts";
import { platforms } from "#db/schema/index.ts";
import * as route from "#app/routes/api.v1.platforms.$id.rollup.ts";
import { closeTestDb, openTestDb } from "#tests/setup/test-db.ts";
import { matchesRollupFilter, parseRollupFilter } from "#app/domain/rollup-filter.ts";
import { platformRollup } from "#app/rollup.server.ts";
import { sessionUserFor } from "#tests/support/requests.ts";
import { tokenFor } from "../hazards/helpers.ts";

let db: Db;
let platformId: string;

beforeAll(async () => {
  ({ db } = await openTestDb());
  [{ id: platformId }] = await db.select({ id: platforms.id }).from(platforms);
});
afterAll(closeTestDb);

async function rollup(email: string, id = platformId) {
  const request = new Request(`http://localhost/api/v1/platforms/${id}/rollup`, { headers: { Authorization: `Bearer ${await tokenFor(db, email)}` } });
  const res = await route.loader({ request, params: { id }, context: {} } as never);
  return { status: res.status, body: await res.json() };
}

const names = (body: { organisations: { name: string }[] }) => body.organisations.map((o) => o.name);

it("the ICB sees every hazard against the supplier, itself and both trusts", async () => {
  const { status, body } = await rollup("cso@icb.example");
  expect(status).toBe(200);
  expect(names(body)).toEqual(["Acme Health Systems Ltd", "NHS Wessex Coast ICB", "Harbourside Hospital NHS Foundation Trust", "Northcliff Community Health NHS Trust"]);
  expect(body.hazards).toHaveLength(30 + 8 + 5 + 5);
  // A supplier hazard reaches all four columns; SUP-23 is pending at the ICB.
  const full = body.hazards.filter((h: { byOrganisation: object }) => Object.keys(h.byOrganisation).length === 4);
  expect(full).toHaveLength(30);
  const pendingAtIcb = full.filter((h: { byOrganisation: Record<string, { upstreamAccepted: boolean }> }) => h.byOrganisation[body.organisations[1].id].upstreamAccepted === false);
  expect(pendingAtIcb.length).toBeGreaterThan(0);
  for (const h of full) expect(h.byOrganisation[body.organisations[0].id].upstreamAccepted).toBeNull();
});

it("a trust sees the supplier, the ICB and itself, never the other trust's local hazards", async () => {
  const { status, body } = await rollup("cso@harbourside.example");
  expect(status).toBe(200);
  expect(names(body)).toEqual(["Acme Health Systems Ltd", "NHS Wessex Coast ICB", "Harbourside Hospital NHS Foundation Trust"]);
  expect(body.hazards).toHaveLength(30 + 8 + 5);
  const text = JSON.stringify(body);
  expect(text).not.toContain("Northcliff");
});

it("the supplier sees its own log and the ICB's shared log", async () => {
  const { body } = await rollup("cso@supplier.example");
  expect(names(body)).toEqual(["Acme Health Systems Ltd", "NHS Wessex Coast ICB"]);
  expect(body.hazards).toHaveLength(30 + 8);
});

it("the other supplier, an unknown id and a malformed id answer 404", async () => {
  expect((await rollup("cso@othersupplier.example")).status).toBe(404);
  expect((await rollup("cso@icb.example", "00000000-0000-4000-8000-000000000000")).status).toBe(404);
  expect((await rollup("cso@icb.example", "nope")).status).toBe(404);
});

it("transferred controls show as open obligations at the trusts", async () => {
  const { body } = await rollup("cso@icb.example");
  const trusts = body.organisations.slice(2).map((o: { id: string }) => o.id);
  const open = body.hazards.flatMap((h: { byOrganisation: Record<string, { openTransferredControls: number }> }) => trusts.map((t: string) => h.byOrganisation[t]?.openTransferredControls ?? 0));
  expect(open.reduce((a: number, b: number) => a + b, 0)).toBeGreaterThan(0);
});

it("pages with limit and cursor: every line once, in the same order as one big page, total alongside", async () => {
  const token = await tokenFor(db, "cso@icb.example");
  const get = async (query: string) => {
    const url = `http://localhost/api/v1/platforms/${platformId}/rollup${query}`;
    const res = await route.loader({ request: new Request(url, { headers: { Authorization: `Bearer ${token}` } }), params: { id: platformId }, context: {} } as never);
    return { status: res.status, body: await res.json() };
  };
  const whole = (await get("?limit=100")).body;
  expect(whole.total).toBe(48);
  expect(whole.nextCursor).toBeNull();
  const seen: unknown[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const { status, body } = await get(`?limit=7${cursor ? `&cursor=${cursor}` : ""}`);
    expect(status).toBe(200);
    expect(body.total).toBe(48);
    expect(body.organisations).toEqual(whole.organisations);
    seen.push(...body.hazards);
    cursor = body.nextCursor;
    pages++;
  } while (cursor);
  expect(pages).toBe(7);
  expect(seen).toEqual(whole.hazards);
  // The supplier's hazards come first, by ref.
  expect(whole.hazards.slice(0, 3).map((h: { ref: string }) => h.ref)).toEqual(["H-001", "H-002", "H-003"]);
  // Larger limits are clamped; bad values answer 400 naming the parameter.
  expect((await get("?limit=100000")).body.hazards).toHaveLength(48);
  const bad = await get("?limit=many");
  expect(bad.status).toBe(400);
  expect(Object.keys(bad.body.error.fields)).toEqual(["limit"]);
  const forged = await get("?cursor=not-ours");
  expect(forged.status).toBe(400);
  expect(Object.keys(forged.body.error.fields)).toEqual(["cursor"]);
});

it("the page's filters (applied in SQL) keep exactly the lines the filter rule keeps", async () => {
  const user = await sessionUserFor(db, "cso@icb.example");
  const all = (await platformRollup(user, platformId, { limit: 1000, offset: 0 })).hazards;
  for (const query of ["pending=true", "overdue=true", "minRisk=3", "minRisk=5", "q=h-01", "q=SUP", "q=%", "pending=true&minRisk=2&q=h"]) {
    const filter = parseRollupFilter(new URLSearchParams(query));
    const got = await platformRollup(user, platformId, { filter, limit: 1000, offset: 0 });
    const want = all.filter((h) => matchesRollupFilter(h, filter));
    expect(got.hazards, query).toEqual(want);
    expect(got.total, query).toBe(want.length);
    // The second page of two lines starts where the first ended.
    const second = await platformRollup(user, platformId, { filter, limit: 2, offset: 2 });
    expect(second.hazards, query).toEqual(want.slice(2, 4));
  }
});
