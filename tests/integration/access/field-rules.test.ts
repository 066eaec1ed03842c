// Field-level rules over every JSON write endpoint of the OpenAPI document: schemas are strict (an
// unknown field is a 400 that names it); who acted, for which organisation and when always come from
// the server (organisationId, createdBy, createdAt, signedAt, userId, risk, id… sent in a body are
// refused and nothing is stored; a real write records the caller, their organisation and the
// database's time); ids are random UUID v4 (defaultRandom) in every table.
import { randomUUID } from "node:crypto";
import { and, count, eq, gte, isNotNull, isNull, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { closeTestDb, openTestDb, type Db } from "#tests/setup/test-db.ts";
import { bearer, context, jsonRequest, sessionUserFor, settle, userId } from "#tests/support/requests.ts";
import { apiTokens, auditEntries, controls, evidenceRequests, hazardLogs, hazards, incidents, organisations, safetyCases } from "#db/schema/index.ts";
import * as openApiRoute from "#app/routes/api.v1.openapi[.]json.ts";
import * as tokensRoute from "#app/routes/api.v1.tokens.ts";
import * as issueRoute from "#app/routes/api.v1.hazard-logs.$id.issue.ts";
import * as casesRoute from "#app/routes/api.v1.safety-cases.ts";
import * as eventsRoute from "#app/routes/api.v1.safety-cases.$id.events.ts";
import * as createHazardRoute from "#app/routes/api.v1.hazard-logs.$id.hazards.ts";
import * as incidentsRoute from "#app/routes/api.v1.hazards.$id.incidents.ts";
import * as acceptRoute from "#app/routes/api.v1.hazards.$id.upstream.accept.ts";
import * as hazardRoute from "#app/routes/api.v1.hazards.$id.ts";
import * as requestsRoute from "#app/routes/api.v1.controls.$id.evidence-requests.ts";
import * as reviewRoute from "#app/routes/api.v1.evidence.$id.review.ts";

let db: Db;
beforeAll(async () => ({ db } = await openTestDb()));
afterAll(closeTestDb);

type Action = (args: never) => Promise<unknown>;
/** One JSON write endpoint: a caller allowed to use it, an object, a valid body, and the table a success writes to. */
type Endpoint = { method: "POST" | "PATCH"; path: string; route: { action: Action }; email: string; id: string; body: Record<string, unknown>; rows?: () => Promise<number> };

const SUPPLIER_LOG = "Wessex Shared EPR — DCB0129 hazard log";
const SHARED_LOG = "Wessex Shared EPR — ICB shared DCB0160 hazard log";
const STALE = 999_999;
const rowsOf = (table: PgTable) => async () => Number((await db.select({ n: count() }).from(table))[0].n);

let endpoints: Endpoint[];
let supplierOrg: string;
let tried = 0;
let fiveHundreds = 0;

beforeAll(async () => {
  const [supplierLog] = await db.select().from(hazardLogs).where(eq(hazardLogs.title, SUPPLIER_LOG));
  const [sharedLog] = await db.select().from(hazardLogs).where(eq(hazardLogs.title, SHARED_LOG));
  supplierOrg = supplierLog.organisationId;
  const [own] = await db.select({ id: hazards.id }).from(hazards).where(and(eq(hazards.hazardLogId, supplierLog.id), isNull(hazards.upstreamHazardId))).limit(1);
  const [inherited] = await db.select({ id: hazards.id }).from(hazards).where(and(eq(hazards.hazardLogId, sharedLog.id), isNotNull(hazards.upstreamHazardId))).limit(1);
  const [control] = await db.select({ id: controls.id }).from(controls).where(and(eq(controls.hazardLogId, supplierLog.id), eq(controls.ownerOrganisationId, supplierOrg))).limit(1);
  const caseId = await (async () => {
    const res = await send({ method: "POST", path: "/api/v1/safety-cases", route: casesRoute, email: "cso@supplier.example", id: "", body: {} }, { hazardLogId: supplierLog.id, title: "Field rules case" });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  })();
  endpoints = [
    { method: "POST", path: "/api/v1/tokens", route: tokensRoute, email: "", id: "", body: { email: "cso@supplier.example", password: "demo-password", name: "field rules" }, rows: rowsOf(apiTokens) },
    { method: "POST", path: `/api/v1/hazard-logs/{id}/issue`, route: issueRoute, email: "cso@supplier.example", id: supplierLog.id, body: { type: "SUBMIT_FOR_REVIEW", expectedVersion: STALE } },
    { method: "POST", path: "/api/v1/safety-cases", route: casesRoute, email: "cso@supplier.example", id: "", body: { hazardLogId: supplierLog.id, title: "Field rules case" }, rows: rowsOf(safetyCases) },
    { method: "POST", path: `/api/v1/safety-cases/{id}/events`, route: eventsRoute, email: "cso@supplier.example", id: caseId, body: { type: "SUBMIT", expectedVersion: STALE } },
    { method: "POST", path: `/api/v1/hazard-logs/{id}/hazards`, route: createHazardRoute, email: "cso@supplier.example", id: supplierLog.id, body: { title: "Field rules hazard" }, rows: rowsOf(hazards) },
    { method: "POST", path: `/api/v1/hazards/{id}/incidents`, route: incidentsRoute, email: "cso@supplier.example", id: own.id, body: { kind: "near_miss", occurredOn: "2025-03-01", description: "Field rules incident" }, rows: rowsOf(incidents) },
    { method: "POST", path: `/api/v1/hazards/{id}/upstream/accept`, route: acceptRoute, email: "cso@icb.example", id: inherited.id, body: { version: STALE } },
    { method: "PATCH", path: `/api/v1/hazards/{id}`, route: hazardRoute, email: "cso@supplier.example", id: own.id, body: { version: STALE, reason: "field rules", title: "Stale" } },
    { method: "POST", path: `/api/v1/controls/{id}/evidence-requests`, route: requestsRoute, email: "cso@icb.example", id: control.id, body: { fromOrganisationId: supplierOrg, description: "Field rules request" }, rows: rowsOf(evidenceRequests) },
    { method: "POST", path: `/api/v1/evidence/{id}/review`, route: reviewRoute, email: "cso@supplier.example", id: randomUUID(), body: { decision: "accept" } },
  ];
});

const auths = new Map<string, Record<string, string>>();
async function send(e: Endpoint, body: unknown): Promise<Response> {
  const auth = e.email ? (auths.get(e.email) ?? (await bearer(db, e.email))) : {};
  if (e.email) auths.set(e.email, auth);
  tried++;
  const path = e.path.replace("{id}", e.id);
  const response = await settle(() => e.route.action({ request: jsonRequest(path, e.method, body, auth), params: { id: e.id }, context: context(`10.11.${tried % 250}.3`) } as never));
  if (response.status >= 500) fiveHundreds++;
  return response;
}

/** The 400's `fields` name the field: as a key, or in an "Unrecognized key" message. */
function names(text: string, field: string): boolean {
  const fields = (JSON.parse(text) as { error?: { fields?: Record<string, string> } }).error?.fields ?? {};
  return field in fields || Object.values(fields).some((m) => m.includes(`"${field}"`));
}

afterAll(() => console.log(`field rules: ${tried} requests, ${fiveHundreds} 5xx`));

test("every JSON write endpoint of the OpenAPI document is covered here", async () => {
  const doc = (await (await openApiRoute.loader()).json()) as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>> };
  const jsonWrites = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).filter(([, op]) => op.requestBody?.content["application/json"]).map(([method]) => `${method.toUpperCase()} ${path}`),
  );
  expect(jsonWrites.sort()).toEqual(endpoints.map((e) => `${e.method} ${e.path}`).sort());
});

test("an unknown field is refused (400) and named, and nothing is stored", async () => {
  const problems: string[] = [];
  for (const e of endpoints) {
    const before = await e.rows?.();
    const response = await send(e, { ...e.body, notAFieldXyz: "x" });
    const text = await response.text();
    if (response.status !== 400 || !names(text, "notAFieldXyz")) problems.push(`${e.method} ${e.path}: ${response.status} ${text.slice(0, 200)}`);
    if (e.rows) expect(await e.rows(), `${e.method} ${e.path} stored a row`).toBe(before);
  }
  expect(problems).toEqual([]);
});

// Fields the server alone decides. Each is sent with a plausible value (another organisation, another
// user, a time in the past): refused with a 400 naming it, or — if some endpoint accepted it — never stored.
const SERVER_FIELDS = ["id", "organisationId", "createdBy", "createdAt", "updatedAt", "signedAt", "userId", "risk", "ref", "requestedByOrganisationId", "uploadedByUserId", "reviewedByUserId", "state", "sha256", "version"] as const;

test("identity, organisation, time and computed fields sent in a body are refused and never stored", async () => {
  const strangerOrg = (await db.select({ id: organisations.id }).from(organisations).where(eq(organisations.slug, "other-supplier")))[0].id;
  const stranger = await userId(db, "cso@othersupplier.example");
  const value: Record<(typeof SERVER_FIELDS)[number], unknown> = {
    id: randomUUID(), organisationId: strangerOrg, createdBy: stranger, createdAt: "2001-01-01T00:00:00Z", updatedAt: "2001-01-01T00:00:00Z", signedAt: "2001-01-01T00:00:00Z",
    userId: stranger, risk: 1, ref: "H-999", requestedByOrganisationId: strangerOrg, uploadedByUserId: stranger, reviewedByUserId: stranger, state: "accepted", sha256: "0".repeat(64), version: 1,
  };
  const problems: string[] = [];
  let checks = 0;
  for (const e of endpoints) {
    for (const field of SERVER_FIELDS) {
      if (field in e.body) continue; // a field the endpoint takes (version on PATCH and accept)
      const before = await e.rows?.();
      const response = await send(e, { ...e.body, [field]: value[field] });
      const text = await response.text();
      checks++;
      if (response.status !== 400 || !names(text, field)) problems.push(`${e.method} ${e.path} with ${field}: ${response.status} ${text.slice(0, 160)}`);
      if (e.rows) expect(await e.rows(), `${e.method} ${e.path} with ${field} stored a row`).toBe(before);
    }
  }
  // Nested: a risk inside a rating, and the ids of a control, on a new hazard.
  const create = endpoints.find((e) => e.path.endsWith("/hazards"))!;
  for (const body of [
    { title: "Nested risk", initial: { severity: "major", likelihood: "high", risk: 1 } },
    { title: "Nested residual risk", residual: { severity: "minor", likelihood: "very_low", risk: 5 } },
  ]) {
    const before = await create.rows!();
    const response = await send(create, body);
    checks++;
    if (response.status !== 400) problems.push(`nested ${JSON.stringify(body)}: ${response.status} ${(await response.text()).slice(0, 600)}`);
    else expect(await create.rows!()).toBe(before);
  }
  // A control's id on a new hazard is ignored: the server gives the control a random id of its own.
  const chosen = randomUUID();
  const made = await send(create, { title: "Control with an id", controls: [{ id: chosen, kind: "existing", type: "design", description: "x" }] });
  checks++;
  expect([201, 400]).toContain(made.status);
  if (made.status === 201) expect(((await made.json()) as { controls: { id: string }[] }).controls[0].id).not.toBe(chosen);
  expect(await db.select({ id: controls.id }).from(controls).where(eq(controls.id, chosen))).toEqual([]);
  // Another organisation's control id in a PATCH of one's own hazard: refused, the other control untouched.
  const patch = endpoints.find((e) => e.method === "PATCH")!;
  const [foreign] = await db.select().from(controls).where(and(eq(controls.ownerOrganisationId, strangerOrg))).limit(1);
  const [theirs] = foreign ? [foreign] : await db.select().from(controls).innerJoin(hazardLogs, eq(hazardLogs.id, controls.hazardLogId)).where(eq(hazardLogs.title, "Wessex Shared EPR — Harbourside DCB0160 hazard log")).limit(1).then((r) => r.map((x) => x.controls));
  const current = (await (await settle(() => hazardRoute.loader({ request: new Request(`http://app.test/api/v1/hazards/${patch.id}`, { headers: auths.get(patch.email)! }), params: { id: patch.id }, context: context() } as never))).json()) as { version: number };
  const hijack = await send(patch, { version: current.version, reason: "field rules", controls: [{ id: theirs.id, kind: "existing", type: "design", description: "Overwritten by another organisation" }] });
  checks++;
  if (hijack.status !== 400) problems.push(`PATCH with another organisation's control id: ${hijack.status}`);
  expect((await db.select().from(controls).where(eq(controls.id, theirs.id)))[0].description).toBe(theirs.description);
  console.log(`field rules: ${checks} server-owned field probes over ${endpoints.length} endpoints`);
  expect(problems).toEqual([]);
});

test("a real write records the caller, the caller's organisation and the database's time, whatever the client's clock", async () => {
  const started = new Date(Date.now() - 1000);
  const writes = endpoints.filter((e) => ["/api/v1/safety-cases", "/api/v1/hazard-logs/{id}/hazards", "/api/v1/hazards/{id}/incidents", "/api/v1/controls/{id}/evidence-requests"].includes(e.path));
  expect(writes).toHaveLength(4);
  for (const e of writes) {
    const response = await send(e, e.body);
    expect(response.status, `${e.method} ${e.path}`).toBe(201);
    const { id } = (await response.json()) as { id: string };
    const me = await userId(db, e.email);
    // An incident is recorded in the audit trail of the hazard it is about.
    const entityId = e.path.endsWith("/incidents") ? e.id : id;
    const [entry] = await db.select().from(auditEntries).where(and(eq(auditEntries.entityId, entityId), gte(auditEntries.createdAt, started)));
    expect(entry, `${e.path}: an audit entry for ${entityId}`).toBeTruthy();
    const actor = (entry.entry as { actor: { userId: string } }).actor;
    expect(actor.userId).toBe(me);
    expect((await sessionUserFor(db, e.email)).memberships.map((m) => m.organisationId)).toContain(entry.organisationId);
    expect(entry.createdAt.getTime()).toBeGreaterThanOrEqual(started.getTime());
    expect(entry.createdAt.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    if (e.path.endsWith("/incidents")) {
      const [row] = await db.select().from(incidents).where(eq(incidents.id, id));
      expect(row.createdBy).toBe(me);
      expect(row.organisationId).toBe(entry.organisationId);
      expect(row.createdAt.getTime()).toBeGreaterThanOrEqual(started.getTime());
    }
    if (e.path.endsWith("/evidence-requests")) {
      const [row] = await db.select().from(evidenceRequests).where(eq(evidenceRequests.id, id));
      expect(row.requestedByUserId).toBe(me);
      expect(row.requestedByOrganisationId).not.toBe(supplierOrg); // the ICB asked, not whoever the body might name
    }
  }
});

// ---------------------------------------------------------------------------------------------
// Non-guessable ids

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test("every table's uuid primary key defaults to gen_random_uuid() (v4), and every stored id is a v4 UUID", async () => {
  type Col = { table_name: string; column_name: string; data_type: string; column_default: string | null };
  const result = await db.execute(sql`
    select c.table_name, c.column_name, c.data_type, c.column_default
    from information_schema.table_constraints t
    join information_schema.key_column_usage k on k.constraint_name = t.constraint_name and k.table_schema = t.table_schema
    join information_schema.columns c on c.table_schema = k.table_schema and c.table_name = k.table_name and c.column_name = k.column_name
    where t.constraint_type = 'PRIMARY KEY' and t.table_schema = 'public' order by 1, 2`);
  const cols = ((result as unknown as { rows?: Col[] }).rows ?? (result as unknown as Col[])) as Col[];
  const keys = cols.filter((c) => c.column_name === "id");
  expect(keys.length).toBeGreaterThan(10);
  const problems: string[] = [];
  let idsChecked = 0;
  for (const c of keys) {
    if (c.data_type !== "uuid" || c.column_default !== "gen_random_uuid()") {
      problems.push(`${c.table_name}.id: ${c.data_type} default ${c.column_default}`);
      continue;
    }
    const rows = await db.execute(sql.raw(`select id::text as id from "${c.table_name}" limit 2000`));
    const ids = ((rows as unknown as { rows?: { id: string }[] }).rows ?? (rows as unknown as { id: string }[])).map((r) => r.id);
    idsChecked += ids.length;
    const bad = ids.filter((id) => !UUID_V4.test(id));
    if (bad.length) problems.push(`${c.table_name}: ${bad.length} ids not v4, e.g. ${bad[0]}`);
  }
  // Other primary keys (composite link tables, per-organisation heads, hashes) are not guessable handles.
  const others = cols.filter((c) => c.column_name !== "id").map((c) => `${c.table_name}.${c.column_name}`);
  console.log(`ids: ${keys.length} tables with an id primary key, ${idsChecked} stored ids checked v4; other primary key columns: ${others.join(", ")}`);
  expect(problems).toEqual([]);
});

test("the API's ids in answers are v4 UUIDs too", async () => {
  const res = await send(endpoints.find((e) => e.path === "/api/v1/safety-cases")!, { hazardLogId: endpoints[1].id, title: "Id shape" });
  expect(UUID_V4.test(((await res.json()) as { id: string }).id)).toBe(true);
});
