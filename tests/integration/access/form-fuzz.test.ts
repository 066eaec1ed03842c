// Bad input through the browser forms and at size: random form fields (unicode, control
// characters, SQL and HTML fragments, unknown names, 1 MB values) posted to the raise-hazard form,
// and 1 MB JSON bodies to the API's write endpoints. None may answer 5xx; a form that creates a
// hazard stores its title exactly as typed (trimmed); nothing oversized is stored.
import fc from "fast-check";
import { hostileText } from "#tests/support/hostile-text.ts";
import { and, count, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { closeTestDb, openTestDb, type Db } from "#tests/setup/test-db.ts";
import { RAISE_FIELDS } from "#tests/integration/hazards/page-helpers.ts";
import { BASE, bearer, context, formRequest, jsonRequest, settle, userId } from "#tests/support/requests.ts";
import { hazardLogs, hazards } from "#db/schema/index.ts";
import { startSession } from "#app/auth.server.ts";
import * as raiseRoute from "#app/routes/hazard-logs.$id_.hazards.new.tsx";
import * as createRoute from "#app/routes/api.v1.hazard-logs.$id.hazards.ts";
import * as hazardRoute from "#app/routes/api.v1.hazards.$id.ts";
import * as tokensRoute from "#app/routes/api.v1.tokens.ts";

let db: Db;
let cookie: string;
let auth: Record<string, string>;
let logId: string;
let hazardId: string;
let tried = 0;
let fiveHundreds = 0;
let created = 0;

beforeAll(async () => {
  ({ db } = await openTestDb());
  cookie = (await startSession(new Request(BASE), await userId(db, "cso@supplier.example"))).split(";")[0];
  auth = await bearer(db, "cso@supplier.example");
  [{ id: logId }] = await db.select({ id: hazardLogs.id }).from(hazardLogs).where(eq(hazardLogs.title, "Wessex Shared EPR — DCB0129 hazard log"));
  [{ id: hazardId }] = await db.select({ id: hazards.id }).from(hazards).where(and(eq(hazards.hazardLogId, logId), isNull(hazards.upstreamHazardId))).limit(1);
});
afterAll(async () => {
  console.log(`form and size fuzz: ${tried} inputs tried, ${fiveHundreds} 5xx`);
  await closeTestDb();
});

const MB = "x".repeat(1024 * 1024);
const nasty = hostileText(fc.constantFrom("", "   ", MB));
const FIELD_NAMES = ["title", "description", "effect", "hazard", "harm", "owner", "hazardType", "source", "reviewDue", "causes.0", "causes.1", "controls.0.description", "controls.0.kind", "controls.0.ownerOrganisationId", "initial.severity", "initial.likelihood", "risk", "organisationId", "createdBy", "intent"];
const formFields = fc.dictionary(fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string({ maxLength: 12 })), nasty, { maxKeys: 10 });

async function call(run: () => Promise<unknown>, what: string): Promise<Response> {
  tried++;
  const response = await settle(run);
  if (response.status >= 500) fiveHundreds++;
  expect(response.status, what).toBeLessThan(500);
  return response;
}

const hazardCount = async () => (await db.select({ n: count() }).from(hazards).where(eq(hazards.hazardLogId, logId)))[0].n;

test("the raise-hazard form: random fields never give a 5xx; a created hazard keeps its title exactly", async () => {
  await fc.assert(
    // Half the time on top of a complete, valid form, so the stored-exactly check runs too.
    fc.asyncProperty(formFields, nasty, fc.boolean(), async (fields, title, complete) => {
      const sent = { ...(complete ? RAISE_FIELDS : {}), ...fields, title };
      const before = await hazardCount();
      const response = await call(
        () => raiseRoute.action({ request: formRequest(`/hazard-logs/${logId}/hazards/new`, sent, { Cookie: cookie }), params: { id: logId }, context: context(`10.9.${tried % 250}.3`) } as never),
        `form ${JSON.stringify(sent).slice(0, 300)}`,
      );
      const after = await hazardCount();
      if (response.status === 302) {
        created++;
        expect(after).toBe(before + 1);
        const id = /\/hazards\/([0-9a-f-]{36})/.exec(response.headers.get("Location") ?? "")?.[1];
        expect(id, `redirected to the new hazard: ${response.headers.get("Location")}`).toBeTruthy();
        const [made] = await db.select({ title: hazards.title }).from(hazards).where(eq(hazards.id, id!));
        expect(made.title).toBe(title.trim());
      } else {
        expect(after, "a refused form stores nothing").toBe(before);
      }
    }),
    { numRuns: 120 },
  );
  expect(created, "some random forms were valid and created a hazard").toBeGreaterThan(0);
}, 300_000);

test("1 MB JSON bodies to the write endpoints: a 4xx, never a 5xx, nothing stored", async () => {
  const before = await hazardCount();
  const bodies = [{ title: MB }, { title: "ok", description: MB }, { title: "ok", causes: [MB] }, MB, [MB], { unknown: MB }];
  for (const body of bodies) {
    const created = await call(() => createRoute.action({ request: jsonRequest(`/api/v1/hazard-logs/${logId}/hazards`, "POST", body, auth), params: { id: logId }, context: context() } as never), "POST hazards 1 MB");
    expect(created.status).toBeGreaterThanOrEqual(400);
    const patched = await call(() => hazardRoute.action({ request: jsonRequest(`/api/v1/hazards/${hazardId}`, "PATCH", body, auth), params: { id: hazardId }, context: context() } as never), "PATCH hazard 1 MB");
    expect(patched.status).toBeGreaterThanOrEqual(400);
    const token = await call(() => tokensRoute.action({ request: jsonRequest("/api/v1/tokens", "POST", body, {}), params: {}, context: context(`10.10.${tried % 250}.4`) } as never), "POST tokens 1 MB");
    expect(token.status).toBeGreaterThanOrEqual(400);
  }
  expect(await hazardCount()).toBe(before);
}, 120_000);
