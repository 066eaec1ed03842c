// Incidents (issue 5): one trust records an incident on an inherited hazard; it flags the hazard for
// review upstream (ICB and supplier) and at the other trust, which sees that it happened but not the
// description of a log it may not read. Text holding an NHS number is refused.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "#db/client.ts";
import { hazards, incidents } from "#db/schema/index.ts";
import * as route from "#app/routes/api.v1.hazards.$id.incidents.ts";
import { looksLikeNhsNumber } from "#app/domain/incident-text.ts";
import { closeTestDb, openTestDb } from "#tests/setup/test-db.ts";
import { getHazard, patchHazard, tokenFor } from "../hazards/helpers.ts";

let db: Db;
const family: Record<string, string> = {};

async function call(email: string, id: string, body?: unknown) {
  const request = new Request(`http://localhost/api/v1/hazards/${id}/incidents`, {
    method: body ? "POST" : "GET",
    headers: { Authorization: `Bearer ${await tokenFor(db, email)}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const args = { request, params: { id }, context: { requestId: "t", cspNonce: "n", clientIp: "127.0.0.1" } } as never;
  const res = body ? await route.action(args) : await route.loader(args);
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  ({ db } = await openTestDb());
  // A supplier hazard, its ICB copy and both trusts' copies.
  const all = await db.select().from(hazards);
  const byId = new Map(all.map((h) => [h.id, h]));
  const icbRows = all.filter((h) => h.upstreamHazardId && byId.get(h.upstreamHazardId)?.upstreamHazardId === null && all.filter((t) => t.upstreamHazardId === h.id).length === 2);
  const icb = icbRows[0];
  family.supplier = icb.upstreamHazardId!;
  family.icb = icb.id;
  const trusts = all.filter((t) => t.upstreamHazardId === icb.id);
  const harbour = await getHazard(await tokenFor(db, "cso@harbourside.example"), trusts[0].id);
  [family.harbourside, family.northcliff] = harbour.status === 200 ? [trusts[0].id, trusts[1].id] : [trusts[1].id, trusts[0].id];
});
afterAll(closeTestDb);

it("recognises NHS numbers (valid check digit), not other 10-digit numbers", () => {
  expect(looksLikeNhsNumber("Patient 943 476 5919 was given the wrong dose")).toBe(true);
  expect(looksLikeNhsNumber("ref 9434765919")).toBe(true);
  expect(looksLikeNhsNumber("ticket 1234567890")).toBe(false);
  expect(looksLikeNhsNumber("Happened at 10:30 on ward 7")).toBe(false);
});

it("refuses an NHS number, a future date and a viewer, and writes nothing", async () => {
  const before = (await db.select().from(incidents)).length;
  const nhs = await call("cso@harbourside.example", family.harbourside, { kind: "near_miss", occurredOn: "2026-11-01", description: "Patient 943 476 5919 nearly got the wrong record" });
  expect(nhs.status).toBe(400);
  expect(nhs.body.error.fields.description).toMatch(/NHS number/);
  expect((await call("cso@harbourside.example", family.harbourside, { kind: "near_miss", occurredOn: "2999-01-01", description: "x" })).status).toBe(400);
  expect((await call("consultant@wessex.example", family.harbourside, { kind: "near_miss", occurredOn: "2026-11-01", description: "x" })).status).toBe(403);
  expect((await db.select().from(incidents)).length).toBe(before);
});

it("an incident at Harbourside flags the hazard at the ICB, the supplier and Northcliff", async () => {
  const res = await call("cso@harbourside.example", family.harbourside, { kind: "near_miss", occurredOn: "2026-11-20", description: "Wrong patient opened from the ward list; caught before any order" });
  expect(res.status).toBe(201);
  for (const [email, id] of [["cso@icb.example", family.icb], ["cso@supplier.example", family.supplier], ["cso@northcliff.example", family.northcliff], ["cso@harbourside.example", family.harbourside]] as const) {
    const seen = await call(email, id);
    expect(seen.status, email).toBe(200);
    expect(seen.body.needsReview, email).toBe(true);
    expect(seen.body.incidents[0]).toMatchObject({ kind: "near_miss", occurredOn: "2026-11-20", organisation: { name: "Harbourside Hospital NHS Foundation Trust" } });
  }
  // Northcliff may not read Harbourside's log, so it sees that it happened, not what was written.
  expect((await call("cso@northcliff.example", family.northcliff)).body.incidents[0].description).toBeNull();
  expect((await call("cso@icb.example", family.icb)).body.incidents[0].description).toMatch(/Wrong patient/);
});

it("reviewing the hazard (any new version) clears its flag, only there", async () => {
  const token = await tokenFor(db, "cso@icb.example");
  const h = (await getHazard(token, family.icb)).body;
  expect((await patchHazard(token, family.icb, { version: h.version, reviewDue: "2027-01-31", reason: "Reviewed after the Harbourside near miss" })).status).toBe(200);
  expect((await call("cso@icb.example", family.icb)).body.needsReview).toBe(false);
  expect((await call("cso@northcliff.example", family.northcliff)).body.needsReview).toBe(true);
});

it("another supplier cannot see the incidents (404)", async () => {
  expect((await call("cso@othersupplier.example", family.supplier)).status).toBe(404);
});
