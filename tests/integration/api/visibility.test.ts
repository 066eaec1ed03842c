// Contract §3: who sees which hazard log. Expected answers are written out from the contract, not
// computed by the app's own rule.
import { afterAll, beforeAll, expect, test } from "vitest";
import { closeTestDb, openTestDb, type Db } from "#tests/setup/test-db.ts";
import { bearer, context, getRequest, settle } from "#tests/support/requests.ts";
import { loader as hazardLogs } from "#app/routes/api.v1.hazard-logs.ts";

let db: Db;
beforeAll(async () => ({ db } = await openTestDb()));
afterAll(closeTestDb);

const SUPPLIER = "Wessex Shared EPR — DCB0129 hazard log";
const SHARED = "Wessex Shared EPR — ICB shared DCB0160 hazard log";
const HARBOURSIDE = "Wessex Shared EPR — Harbourside DCB0160 hazard log";
const NORTHCLIFF = "Wessex Shared EPR — Northcliff DCB0160 hazard log";

const EXPECTED: Record<string, { sees: string[]; edits: string[] }> = {
  "cso@icb.example": { sees: [SUPPLIER, SHARED, HARBOURSIDE, NORTHCLIFF], edits: [SHARED] },
  "approver@icb.example": { sees: [SUPPLIER, SHARED, HARBOURSIDE, NORTHCLIFF], edits: [] },
  "auditor@icb.example": { sees: [SUPPLIER, SHARED, HARBOURSIDE, NORTHCLIFF], edits: [] },
  "admin@icb.example": { sees: [SUPPLIER, SHARED, HARBOURSIDE, NORTHCLIFF], edits: [] },
  "cso@supplier.example": { sees: [SUPPLIER, SHARED], edits: [SUPPLIER] },
  "engineer@supplier.example": { sees: [SUPPLIER, SHARED], edits: [SUPPLIER] },
  "cso@harbourside.example": { sees: [SUPPLIER, SHARED, HARBOURSIDE], edits: [HARBOURSIDE] },
  "cso@northcliff.example": { sees: [SUPPLIER, SHARED, NORTHCLIFF], edits: [NORTHCLIFF] },
  "consultant@wessex.example": { sees: [SUPPLIER, SHARED, HARBOURSIDE, NORTHCLIFF], edits: [] },
  "cso@othersupplier.example": { sees: [], edits: [] },
  "admin@othersupplier.example": { sees: [], edits: [] },
};

for (const [email, expected] of Object.entries(EXPECTED)) {
  test(`${email} reads exactly the logs contract §3 allows`, async () => {
    const response = await settle(async () => hazardLogs({ request: getRequest("/api/v1/hazard-logs", await bearer(db, email)), params: {}, context: context() } as never));
    expect(response.status).toBe(200);
    const { items } = (await response.json()) as { items: { title: string; canEdit: boolean }[] };
    expect(items.map((i) => i.title).sort()).toEqual([...expected.sees].sort());
    expect(items.filter((i) => i.canEdit).map((i) => i.title).sort()).toEqual([...expected.edits].sort());
  });
}
