// The board assurance summary page's data: sign-off per organisation, principal risks highest first,
// gaps and planned actions, limited to what the reader may see.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "#db/client.ts";
import { platforms } from "#db/schema/index.ts";
import { sessionUserFor } from "#tests/support/requests.ts";
import { boardSummary } from "#app/board-summary.server.ts";
import { closeTestDb, openTestDb } from "#tests/setup/test-db.ts";

let db: Db;
let platformId: string;
const as = (email: string) => sessionUserFor(db, email);
beforeAll(async () => {
  ({ db } = await openTestDb());
  [{ id: platformId }] = await db.select({ id: platforms.id }).from(platforms);
});
afterAll(closeTestDb);

it("the ICB sees every organisation's sign-off and the principal risks, highest residual risk first", async () => {
  const s = await boardSummary(await as("cso@icb.example"), platformId);
  expect(s.signOff.map((o) => o.organisation)).toHaveLength(4);
  expect(s.principal.length).toBeGreaterThan(0);
  expect(s.principal.length).toBeLessThanOrEqual(15);
  const risks = s.principal.map((p) => p.residualRisk ?? 0);
  expect([...risks].sort((a, b) => b - a)).toEqual(risks);
  expect(s.principal.every((p) => p.status !== "closed")).toBe(true);
  for (const g of s.gaps) expect(g.inPlace).toEqual([]);
  expect(s.actions.some((a) => a.transferred)).toBe(true);
});

it("a trust's summary leaves out the other trust; another supplier gets 404", async () => {
  const s = await boardSummary(await as("cso@harbourside.example"), platformId);
  // Northcliff is named as a signatory of the shared case Harbourside can read, but none of its local hazards show.
  for (const list of [s.principal, s.gaps, s.actions]) expect(list.every((p) => p.organisation !== "Northcliff Community Health NHS Trust")).toBe(true);
  await expect(boardSummary(await as("cso@othersupplier.example"), platformId)).rejects.toMatchObject({ status: 404 });
});
