import { afterAll, beforeAll, expect, test } from "vitest";
import { closeTestDb, openTestDb, type Db } from "#tests/setup/test-db.ts";
import { bearer, context, getRequest, settle } from "#tests/support/requests.ts";
import { loader as riskMatrix } from "#app/routes/api.v1.risk-matrix.ts";

let db: Db;
beforeAll(async () => ({ db } = await openTestDb()));
afterAll(closeTestDb);

// Domain reference §4.3, typed out cell by cell (likelihood rows × severity columns).
const EXPECTED = {
  very_high: { minor: 3, significant: 4, considerable: 4, major: 5, catastrophic: 5 },
  high: { minor: 2, significant: 3, considerable: 3, major: 4, catastrophic: 5 },
  medium: { minor: 2, significant: 2, considerable: 3, major: 3, catastrophic: 4 },
  low: { minor: 1, significant: 2, considerable: 2, major: 3, catastrophic: 4 },
  very_low: { minor: 1, significant: 1, considerable: 2, major: 2, catastrophic: 3 },
};

test("GET /api/v1/risk-matrix equals the NHS matrix of domain reference §4.3 cell for cell", async () => {
  const response = await settle(async () => riskMatrix({ request: getRequest("/api/v1/risk-matrix", await bearer(db, "auditor@icb.example")), params: {}, context: context() } as never));
  expect(response.status).toBe(200);
  const body = await response.json();
  expect(body.severities).toEqual(["minor", "significant", "considerable", "major", "catastrophic"]);
  expect(body.likelihoods).toEqual(["very_low", "low", "medium", "high", "very_high"]);
  expect(body.rating).toEqual(EXPECTED);
  expect(body.acceptability["5"]).toBe("Unacceptable level of risk");
  expect(body.acceptability["1"]).toBe("Acceptable, no further action required");
});
