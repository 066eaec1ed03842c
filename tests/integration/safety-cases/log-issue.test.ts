// Issuing a hazard log through the API: draft → in review → issued freezes a baseline; request
// changes returns to draft with the comment; upstream changes not yet reviewed block submission;
// an unchanged log cannot be issued twice; roles and stale versions are refused.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "#db/client.ts";
import * as route from "#app/routes/api.v1.hazard-logs.$id.issue.ts";
import { closeTestDb, openTestDb } from "#tests/setup/test-db.ts";
import { ICB_LOG, listHazards, logIdByTitle, patchHazard, SUPPLIER_LOG, tokenFor } from "../hazards/helpers.ts";

let db: Db;
let supplierLog: string;
let icbLog: string;
const t: Record<string, string> = {};

beforeAll(async () => {
  ({ db } = await openTestDb());
  supplierLog = await logIdByTitle(db, SUPPLIER_LOG);
  icbLog = await logIdByTitle(db, ICB_LOG);
  for (const [k, email] of Object.entries({ cso: "cso@supplier.example", engineer: "engineer@supplier.example", icbCso: "cso@icb.example", other: "cso@othersupplier.example" }))
    t[k] = await tokenFor(db, email);
});
afterAll(closeTestDb);

async function call(token: string, id: string, body?: unknown) {
  const request = new Request(`http://localhost/api/v1/hazard-logs/${id}/issue`, {
    method: body ? "POST" : "GET",
    headers: { Authorization: `Bearer ${token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const args = { request, params: { id }, context: { requestId: "t", cspNonce: "n", clientIp: "127.0.0.1" } } as never;
  const res = body ? await route.action(args) : await route.loader(args);
  return { status: res.status, body: await res.json() };
}

it("a CSO submits, has changes requested, resubmits and issues: the baseline is frozen", async () => {
  const start = await call(t.cso, supplierLog);
  expect(start.body).toMatchObject({ state: "draft", version: 0, issued: [] });
  expect(start.body.allowedEvents).toEqual(["SUBMIT_FOR_REVIEW"]);
  expect((await call(t.engineer, supplierLog, { type: "SUBMIT_FOR_REVIEW", expectedVersion: 0 })).status).toBe(403);
  expect((await call(t.other, supplierLog, { type: "SUBMIT_FOR_REVIEW", expectedVersion: 0 })).status).toBe(404);
  const submitted = await call(t.cso, supplierLog, { type: "SUBMIT_FOR_REVIEW", expectedVersion: 0 });
  expect(submitted.status).toBe(200);
  expect(submitted.body.state).toBe("in_review");
  expect((await call(t.cso, supplierLog, { type: "REQUEST_CHANGES", expectedVersion: submitted.body.version })).status).toBe(400);
  const back = await call(t.cso, supplierLog, { type: "REQUEST_CHANGES", expectedVersion: submitted.body.version, comment: "Add the interface hazards" });
  expect(back.body).toMatchObject({ state: "draft", changeRequest: { comment: "Add the interface hazards" } });
  expect((await call(t.cso, supplierLog, { type: "SUBMIT_FOR_REVIEW", expectedVersion: 0 })).status).toBe(409);
  const again = await call(t.cso, supplierLog, { type: "SUBMIT_FOR_REVIEW", expectedVersion: back.body.version });
  const issued = await call(t.cso, supplierLog, { type: "ISSUE", expectedVersion: again.body.version });
  expect(issued.status).toBe(200);
  expect(issued.body.state).toBe("issued");
  expect(issued.body.issued).toHaveLength(1);
  expect(issued.body.issued[0].sha256).toMatch(/^[0-9a-f]{64}$/);
});

it("an unchanged log cannot be issued again; a changed one can, as the next version", async () => {
  const now = await call(t.cso, supplierLog);
  const next = await call(t.cso, supplierLog, { type: "START_NEW_VERSION", expectedVersion: now.body.version });
  expect(next.body).toMatchObject({ state: "draft", number: 2 });
  const sub = await call(t.cso, supplierLog, { type: "SUBMIT_FOR_REVIEW", expectedVersion: next.body.version });
  const refused = await call(t.cso, supplierLog, { type: "ISSUE", expectedVersion: sub.body.version });
  expect(refused.status).toBe(422);
  expect(refused.body.error.message).toMatch(/already been issued/);
  const h = (await listHazards(t.cso, supplierLog, { limit: "1" })).body.items[0];
  expect((await patchHazard(t.cso, h.id, { version: h.version, owner: "Clinical safety team", reason: "Owner confirmed" })).status).toBe(200);
  const issued = await call(t.cso, supplierLog, { type: "ISSUE", expectedVersion: sub.body.version });
  expect(issued.status).toBe(200);
  expect(issued.body.issued.map((i: { hazardLogVersion: number }) => i.hazardLogVersion)).toEqual([2, 1]);
});

it("the ICB cannot submit its log while an upstream change is pending (422, with the count)", async () => {
  const view = await call(t.icbCso, icbLog);
  expect(view.body.pendingUpstreamChanges).toBeGreaterThan(0);
  const res = await call(t.icbCso, icbLog, { type: "SUBMIT_FOR_REVIEW", expectedVersion: 0 });
  expect(res.status).toBe(422);
  expect(res.body.error.message).toMatch(/upstream change/);
});
