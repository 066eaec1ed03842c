// The platform roll-up (contract §4): every hazard against every organisation, limited to what the
// caller may read — the other supplier gets 404, a trust never sees another trust's local hazards.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "#db/client.ts";
import { platforms } from "#db/schema/index.ts";
import * as route from "#app/routes/api.v1.platforms.$id.rollup.ts";
import { closeTestDb, openTestDb } from "#tests/setup/test-db.ts";
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
