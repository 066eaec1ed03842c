// Inheritance by reference and change propagation (issue 5): a supplier edit flags the ICB and both
// trusts with the right diff and lapses their acceptance; acceptance and "not applicable" are kept;
// a trust's local override never changes the supplier's hazard; a new supplier hazard appears
// downstream unaccepted.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "#db/client.ts";
import { hazards } from "#db/schema/index.ts";
import { sessionUserFor } from "#tests/support/requests.ts";
import * as acceptRoute from "#app/routes/api.v1.hazards.$id.upstream.accept.ts";
import { upstreamReview } from "#app/upstream.server.ts";
import { closeTestDb, openTestDb } from "#tests/setup/test-db.ts";
import { createHazard, getHazard, ICB_LOG, listHazards, logIdByTitle, patchHazard, SUPPLIER_LOG, tokenFor } from "../hazards/helpers.ts";

let db: Db;
const t: Record<string, string> = {};
let supplierLog: string;
let icbLog: string;

const sessionUser = (email: string) => sessionUserFor(db, email);

async function accept(token: string, id: string, body: unknown) {
  const request = new Request(`http://localhost/api/v1/hazards/${id}/upstream/accept`, { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const res = await acceptRoute.action({ request, params: { id }, context: { requestId: "t", cspNonce: "n", clientIp: "127.0.0.1" } } as never);
  return { status: res.status, body: await res.json() };
}

/** The rows inheriting `id`, as { icb } or { harbourside, northcliff }. */
async function inheritors(id: string) {
  return db.select().from(hazards).where(eq(hazards.upstreamHazardId, id));
}

beforeAll(async () => {
  ({ db } = await openTestDb());
  supplierLog = await logIdByTitle(db, SUPPLIER_LOG);
  icbLog = await logIdByTitle(db, ICB_LOG);
  for (const [k, email] of Object.entries({ supplier: "cso@supplier.example", icb: "cso@icb.example", harbour: "cso@harbourside.example", northcliff: "cso@northcliff.example", auditor: "auditor@icb.example" }))
    t[k] = await tokenFor(db, email);
});
afterAll(closeTestDb);

describe("a supplier edit", () => {
  let supplierId: string;
  let icbRow: typeof hazards.$inferSelect;
  let trustRows: (typeof hazards.$inferSelect)[];

  beforeAll(async () => {
    const page = await listHazards(t.supplier, supplierLog, { limit: "100" });
    // A hazard the ICB and both trusts have accepted at its current version.
    for (const h of page.body.items) {
      const [icb] = await inheritors(h.id);
      if (!icb || icb.upstreamAcceptedVersion !== h.version) continue;
      const trusts = await inheritors(icb.id);
      if (trusts.length === 2 && trusts.every((r) => r.upstreamAcceptedVersion === icb.version)) {
        supplierId = h.id;
        icbRow = icb;
        trustRows = trusts;
        break;
      }
    }
    expect(supplierId).toBeTruthy();
    const h = (await getHazard(t.supplier, supplierId)).body;
    const res = await patchHazard(t.supplier, supplierId, { version: h.version, harm: "Delayed treatment; possible deterioration before review", reason: "Harm restated after incident review" });
    expect(res.status).toBe(200);
  });

  it("flags the ICB's copy: its acceptance lapses and the diff names the changed field", async () => {
    const icb = (await getHazard(t.icb, icbRow.id)).body;
    expect(icb.harm).toBe("Delayed treatment; possible deterioration before review");
    expect(icb.upstream.currentVersion).toBeGreaterThan(icb.upstream.acceptedVersion);
    const review = await upstreamReview(await sessionUser("cso@icb.example"), icbRow.id);
    expect(review?.changes.map((c) => c.field)).toEqual(["harm"]);
    expect(review?.changes[0].to).toBe("Delayed treatment; possible deterioration before review");
  });

  it("flags both trusts too (the change reached them through the ICB's log)", async () => {
    for (const [token, email, row] of [[t.harbour, "cso@harbourside.example", trustRows[0]], [t.northcliff, "cso@northcliff.example", trustRows[1]]] as const) {
      const trust = (await getHazard(token, row.id)).body;
      expect(trust.upstream.currentVersion).toBeGreaterThan(trust.upstream.acceptedVersion);
      const review = await upstreamReview(await sessionUser(email), row.id);
      expect(review?.changes.map((c) => c.field)).toContain("harm");
    }
  });

  it("the ICB accepts the current upstream version; a stale version is 409; a viewer may not (403)", async () => {
    const icb = (await getHazard(t.icb, icbRow.id)).body;
    expect((await accept(t.auditor, icbRow.id, { version: icb.upstream.currentVersion })).status).toBe(403);
    expect((await accept(t.icb, icbRow.id, { version: icb.upstream.acceptedVersion })).status).toBe(409);
    const res = await accept(t.icb, icbRow.id, { version: icb.upstream.currentVersion, comment: "Reviewed at the ICB safety panel" });
    expect(res.status).toBe(200);
    expect(res.body.upstream.acceptedVersion).toBe(res.body.upstream.currentVersion);
    expect(res.body.version).toBe(icb.version + 1);
  });

  it("the ICB's acceptance is no news downstream: the trusts stay at the one review they owe", async () => {
    const trust = (await getHazard(t.harbour, trustRows[0].id)).body;
    const review = await upstreamReview(await sessionUser("cso@harbourside.example"), trustRows[0].id);
    expect(review?.currentVersion).toBe(trust.upstream.currentVersion);
    const res = await accept(t.harbour, trustRows[0].id, { version: trust.upstream.currentVersion });
    expect(res.status).toBe(200);
    expect(res.body.upstream.acceptedVersion).toBe(res.body.upstream.currentVersion);
  });

  it("Northcliff records the hazard as not applicable: accepted, closed locally with the reason, still listed", async () => {
    const trust = (await getHazard(t.northcliff, trustRows[1].id)).body;
    expect((await accept(t.northcliff, trustRows[1].id, { version: trust.upstream.currentVersion, notApplicable: true })).status).toBe(400);
    const res = await accept(t.northcliff, trustRows[1].id, { version: trust.upstream.currentVersion, notApplicable: true, comment: "Module not deployed at Northcliff" });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("closed");
    const again = (await getHazard(t.northcliff, trustRows[1].id)).body;
    expect(again.status).toBe("closed");
  });

  it("a trust's local override never changes the supplier's hazard", async () => {
    const before = (await getHazard(t.supplier, supplierId)).body;
    const trust = (await getHazard(t.harbour, trustRows[0].id)).body;
    const res = await patchHazard(t.harbour, trustRows[0].id, { version: trust.version, owner: "Harbourside digital safety", residual: { severity: "minor", likelihood: "low" }, reason: "Local controls in place" });
    expect(res.status).toBe(200);
    const after = (await getHazard(t.supplier, supplierId)).body;
    expect(after.version).toBe(before.version);
    expect(after.residual).toEqual(before.residual);
    expect(after.owner).toBe(before.owner);
  });
});

it("a new supplier hazard appears in the ICB's log and both trusts' logs, not yet accepted", async () => {
  const res = await createHazard(t.supplier, supplierLog, { title: "Allergy banner hidden on narrow screens", harm: "Allergen given" });
  expect(res.status).toBe(201);
  const [icb] = await inheritors(res.body.id);
  expect(icb.hazardLogId).toBe(icbLog);
  expect(icb.upstreamAcceptedVersion).toBeNull();
  const trusts = await inheritors(icb.id);
  expect(trusts).toHaveLength(2);
  expect(trusts.every((r) => r.upstreamAcceptedVersion === null)).toBe(true);
  const seen = (await getHazard(t.harbour, trusts[0].id)).body;
  expect(seen.title).toBe("Allergy banner hidden on narrow screens");
});
