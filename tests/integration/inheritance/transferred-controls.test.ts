// Transferred controls (issue 5): obligations appear in both trusts' logs; the supplier and the ICB
// see each trust's progress; a trust sees only its own; progress made at a trust shows upstream.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "#db/client.ts";
import { platforms } from "#db/schema/index.ts";
import { sessionUserFor } from "#tests/support/requests.ts";
import { platformTransferredControls } from "#app/transferred-controls.server.ts";
import { AppError } from "#app/errors.server.ts";
import { closeTestDb, openTestDb } from "#tests/setup/test-db.ts";
import { getHazard, patchHazard, tokenFor } from "../hazards/helpers.ts";

let db: Db;
let platformId: string;

const as = (email: string) => sessionUserFor(db, email);

beforeAll(async () => {
  ({ db } = await openTestDb());
  [{ id: platformId }] = await db.select({ id: platforms.id }).from(platforms);
});
afterAll(closeTestDb);

it("the supplier and the ICB see every trust's obligation for each transferred control", async () => {
  for (const email of ["cso@supplier.example", "cso@icb.example"]) {
    const view = await platformTransferredControls(await as(email), platformId);
    expect(view.organisations.map((o) => o.name)).toEqual(["Harbourside Hospital NHS Foundation Trust", "Northcliff Community Health NHS Trust"]);
    expect(view.controls.length).toBeGreaterThan(0);
    for (const c of view.controls) expect(Object.keys(c.byOrganisation)).toHaveLength(2);
  }
});

it("a trust sees only its own column; another supplier gets 404", async () => {
  const view = await platformTransferredControls(await as("cso@harbourside.example"), platformId);
  expect(view.organisations.map((o) => o.name)).toEqual(["Harbourside Hospital NHS Foundation Trust"]);
  expect(JSON.stringify(view)).not.toContain("Northcliff");
  await expect(platformTransferredControls(await as("cso@othersupplier.example"), platformId)).rejects.toBeInstanceOf(AppError);
});

it("progress recorded at Harbourside shows in the supplier's view", async () => {
  const before = await platformTransferredControls(await as("cso@supplier.example"), platformId);
  const harbourside = before.organisations[0].id;
  const item = before.controls[0];
  const obligation = item.byOrganisation[harbourside];
  expect(obligation.state).toBe("planned");
  const token = await tokenFor(db, "cso@harbourside.example");
  const hazard = (await getHazard(token, obligation.hazardId)).body;
  const controls = hazard.controls.filter((c: { upstream: boolean }) => !c.upstream).map((c: Record<string, unknown>) => ({
    id: c.id, kind: c.kind, type: c.type, description: c.description, ownerOrganisationId: c.ownerOrganisationId, evidenceRefs: c.evidenceRefs,
    state: c.id === obligation.controlId ? "implemented" : c.state,
  }));
  const res = await patchHazard(token, obligation.hazardId, { version: hazard.version, controls, reason: "Training delivered to all ward staff" });
  expect(res.status).toBe(200);
  const after = await platformTransferredControls(await as("cso@supplier.example"), platformId);
  expect(after.controls.find((c) => c.controlId === item.controlId)!.byOrganisation[harbourside].state).toBe("implemented");
});
