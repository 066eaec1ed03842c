// Property test over the JSON API's write endpoints: random bodies never produce a 5xx; a 2xx never
// stores a field the API refuses (risk, ids, unknown fields); text that is stored comes back exactly.
import fc from "fast-check";
import { hostileText } from "#tests/support/hostile-text.ts";
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { closeTestDb, openTestDb, type Db } from "#tests/setup/test-db.ts";
import { bearer, context, jsonRequest, settle, sessionUserFor } from "#tests/support/requests.ts";
import { hazardLogs, hazards } from "#db/schema/index.ts";
import { createSafetyCase } from "#app/safety-cases.server.ts";
import * as createRoute from "#app/routes/api.v1.hazard-logs.$id.hazards.ts";
import * as hazardRoute from "#app/routes/api.v1.hazards.$id.ts";
import * as eventsRoute from "#app/routes/api.v1.safety-cases.$id.events.ts";
import * as tokensRoute from "#app/routes/api.v1.tokens.ts";

let db: Db;
let auth: Record<string, string>;
let logId: string;
let hazardId: string;
let caseId: string;
let tried = 0;
let fiveHundreds = 0;

beforeAll(async () => {
  ({ db } = await openTestDb());
  auth = await bearer(db, "cso@supplier.example");
  [{ id: logId }] = await db.select({ id: hazardLogs.id }).from(hazardLogs).where(eq(hazardLogs.title, "Wessex Shared EPR — DCB0129 hazard log"));
  [{ id: hazardId }] = await db.select({ id: hazards.id }).from(hazards).where(and(eq(hazards.hazardLogId, logId), isNull(hazards.upstreamHazardId))).limit(1);
  caseId = (await createSafetyCase(await sessionUserFor(db, "cso@supplier.example"), { hazardLogId: logId, title: "Fuzz case" }, null)).id;
});
afterAll(async () => {
  console.log(`fuzz: ${tried} inputs tried, ${fiveHundreds} 5xx`);
  await closeTestDb();
});

const nasty = hostileText(
  fc.integer({ min: 150, max: 210 }).map((n) => "x".repeat(n)), // around the title limit
  fc.integer({ min: 3990, max: 4100 }).map((n) => "é".repeat(n)), // around the long-text limit
);
const anyValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small", maxDepth: 6 }, nasty, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(tie("value"), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 8 }), tie("value"), { maxKeys: 4 })),
})).value;
const deep = fc.integer({ min: 50, max: 3000 }).map((d) => { let v: unknown = "x"; for (let i = 0; i < d; i++) v = { a: v }; return v; });
const field = <T,>(valid: fc.Arbitrary<T>) => fc.oneof(valid, anyValue);

const hazardBody = fc.record(
  {
    title: field(nasty), description: field(nasty), causes: field(fc.array(nasty, { maxLength: 3 })), effect: field(nasty), hazard: field(nasty), harm: field(nasty),
    owner: field(nasty), reviewDue: field(fc.constantFrom("2026-01-01", "2026-02-30", "yesterday")), status: field(fc.constantFrom("open", "closed", "transferred")),
    initial: field(fc.record({ severity: fc.constantFrom("minor", "major", "bogus"), likelihood: fc.constantFrom("low", "high"), risk: fc.integer() }, { requiredKeys: [] })),
    risk: anyValue, id: anyValue, ref: anyValue, hazardLogId: anyValue, version: field(fc.integer()), reason: field(nasty), unknownField: anyValue,
    controls: field(fc.array(fc.record({ kind: fc.constantFrom("existing", "additional"), type: fc.constantFrom("design", "test", "x"), description: nasty }, { requiredKeys: [] }), { maxLength: 3 })),
  },
  { requiredKeys: [] },
);
const bodies = (record: fc.Arbitrary<unknown>) => fc.oneof({ weight: 6, arbitrary: record }, { weight: 1, arbitrary: anyValue }, { weight: 1, arbitrary: deep });

async function send(mod: { action: (a: never) => Promise<unknown> }, path: string, method: string, body: unknown, id: string, headers = auth) {
  tried++;
  const response = await settle(() => mod.action({ request: jsonRequest(path, method, body, headers), params: { id }, context: context(`10.8.${tried % 250}.2`) } as never));
  if (response.status >= 500) fiveHundreds++;
  expect(response.status, `${method} ${path} ${JSON.stringify(body).slice(0, 300)}`).toBeLessThan(500);
  return response;
}

const TEXT_FIELDS = ["title", "description", "effect", "hazard", "harm", "owner"] as const;
function checkStored(sent: Record<string, unknown>, got: Record<string, unknown>) {
  for (const f of TEXT_FIELDS) if (typeof sent[f] === "string" && got[f] !== undefined) expect(typeof got[f] === "string" && [sent[f], (sent[f] as string).trim()].includes(got[f] as string), `${f} comes back exactly`).toBe(true);
  expect(got).not.toHaveProperty("unknownField");
  if (sent.risk !== undefined) expect(got).not.toHaveProperty("risk");
  if (typeof sent.id === "string") expect(got.id).not.toBe(sent.id);
  if (got.initial && typeof got.initial === "object") {
    const initial = got.initial as { severity: string | null; likelihood: string | null; risk: number | null };
    if (!initial.severity || !initial.likelihood) expect(initial.risk).toBeNull();
  }
}

test("POST /api/v1/hazard-logs/{id}/hazards: no 5xx, refused fields never stored, text round-trips", async () => {
  await fc.assert(fc.asyncProperty(bodies(hazardBody), async (body) => {
    const response = await send(createRoute as never, `/api/v1/hazard-logs/${logId}/hazards`, "POST", body, logId);
    if (response.status === 201) checkStored(body as Record<string, unknown>, await response.json());
  }), { numRuns: 150 });
}, 120_000);

test("PATCH /api/v1/hazards/{id}: no 5xx, refused fields never stored, text round-trips", async () => {
  await fc.assert(fc.asyncProperty(bodies(hazardBody), fc.boolean(), async (body, current) => {
    let sent = body;
    if (current && body && typeof body === "object" && !Array.isArray(body)) {
      const now = (await (await settle(() => hazardRoute.loader({ request: new Request(`http://app.test/api/v1/hazards/${hazardId}`, { headers: auth }), params: { id: hazardId }, context: context() } as never))).json()) as { version: number };
      sent = { ...body, version: now.version, reason: "fuzz" };
    }
    const response = await send(hazardRoute as never, `/api/v1/hazards/${hazardId}`, "PATCH", sent, hazardId);
    if (response.status === 200) checkStored(sent as Record<string, unknown>, await response.json());
  }), { numRuns: 150 });
}, 120_000);

test("POST /api/v1/safety-cases/{id}/events: no 5xx", async () => {
  const event = fc.record({ type: field(fc.constantFrom("SUBMIT", "SIGN", "REQUEST_CHANGES", "EDIT_SIGNATORIES", "DELETE")), expectedVersion: field(fc.integer({ min: -1, max: 3 })), password: field(nasty), meaning: field(fc.constantFrom("approved", "reviewed", "x")), comment: field(nasty), signatories: anyValue, extra: anyValue }, { requiredKeys: [] });
  await fc.assert(fc.asyncProperty(bodies(event), async (body) => {
    await send(eventsRoute as never, `/api/v1/safety-cases/${caseId}/events`, "POST", body, caseId);
  }), { numRuns: 120 });
}, 120_000);

test("POST /api/v1/tokens: no 5xx, never a token for a wrong password", async () => {
  const creds = fc.record({ email: field(fc.constantFrom("cso@supplier.example", "nobody@x.example", "CSO@SUPPLIER.EXAMPLE ")), password: field(nasty), name: field(nasty), admin: anyValue }, { requiredKeys: [] });
  await fc.assert(fc.asyncProperty(bodies(creds), async (body) => {
    const response = await send(tokensRoute as never, "/api/v1/tokens", "POST", body, "", {});
    expect(response.status).not.toBe(201);
  }), { numRuns: 120 });
}, 120_000);
