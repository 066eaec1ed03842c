// The access matrix: every route method of the access table × every demo account (and signed out)
// × an object of each organisation (supplier log, ICB shared log, a trust's local log; a hazard and
// a safety case in each; the platform; organisations), called through the real loader/action with a
// real Request (session cookie for pages, bearer token for the API), checked against the table.
// Unreadable objects must answer exactly like a random id. Lists must agree with detail.
import { randomUUID } from "node:crypto";
import { and, eq, inArray, isNull } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { closeTestDb, openTestDb, type Db } from "#tests/setup/test-db.ts";
import { BASE, bearer, context, jsonRequest, protection, settle, sessionUserFor, userId } from "#tests/support/requests.ts";
import * as uploadRoute from "#app/routes/api.v1.controls.$id.evidence.ts";
import * as reviewRoute from "#app/routes/api.v1.evidence.$id.review.ts";
import { controls, evidenceRequests, hazardControls, hazardLogs, hazards, organisations, platforms } from "#db/schema/index.ts";
import { startSession } from "#app/auth.server.ts";
import { createSafetyCase } from "#app/safety-cases.server.ts";
import { ACCESS_TABLE, classify, expected, type Body, type MethodAccess, type Relation, type Role, type RouteAccess, type Subject } from "./access-table.ts";
import { loadRoutes, type RouteModule } from "./route-inventory.ts";

let db: Db;
beforeAll(async () => ({ db } = await openTestDb()));
afterAll(closeTestDb);

// Contract §3, written out: organisation keys (seed slugs) and the demo accounts' memberships.
type Org = "icb" | "supplier" | "harbourside" | "northcliff" | "othersupplier";
const SLUG: Record<Org, string> = { icb: "wessex-coast-icb", supplier: "acme-health", harbourside: "harbourside", northcliff: "northcliff", othersupplier: "other-supplier" };
const ACCOUNTS: Record<string, [Org, Role][]> = {
  "cso@icb.example": [["icb", "cso"]],
  "approver@icb.example": [["icb", "approver"]],
  "auditor@icb.example": [["icb", "viewer"]],
  "admin@icb.example": [["icb", "admin"]],
  "cso@supplier.example": [["supplier", "cso"]],
  "engineer@supplier.example": [["supplier", "contributor"]],
  "admin@supplier.example": [["supplier", "admin"]],
  "cso@harbourside.example": [["harbourside", "cso"]],
  "admin@harbourside.example": [["harbourside", "admin"]],
  "cso@northcliff.example": [["northcliff", "cso"]],
  "admin@northcliff.example": [["northcliff", "admin"]],
  "consultant@wessex.example": [["harbourside", "viewer"], ["northcliff", "viewer"]],
  "cso@othersupplier.example": [["othersupplier", "cso"]],
  "admin@othersupplier.example": [["othersupplier", "admin"]],
};
const PLATFORM_ORGS: Org[] = ["supplier", "icb", "harbourside", "northcliff"];
/** The logs under test: owner and reader organisations (contract §3). */
const LOGS = {
  supplier: { owner: "supplier" as Org, readers: PLATFORM_ORGS, title: "Wessex Shared EPR — DCB0129 hazard log" },
  shared: { owner: "icb" as Org, readers: PLATFORM_ORGS, title: "Wessex Shared EPR — ICB shared DCB0160 hazard log" },
  harbourside: { owner: "harbourside" as Org, readers: ["harbourside", "icb"] as Org[], title: "Wessex Shared EPR — Harbourside DCB0160 hazard log" },
};
type LogKey = keyof typeof LOGS;

/** Contract §3's reader list of a log, by scope: written out again here, not asked of the app. */
function logReaders(scope: "platform" | "shared" | "local", owner: Org): Org[] {
  return scope === "local" ? [owner, "icb"] : PLATFORM_ORGS;
}

/** `showing`: organisations owning a log that shows the subject (for logs, hazards and cases: the owner). */
type Target = { subject: Subject; label: string; id: string; logId: string; owner: Org | null; readers: Org[]; showing: Org[] };
type Caller = { email: string | null; orgs: [Org, Role][]; cookie: string | null; auth: Record<string, string>; firstOrganisationId: string | null };

let routes: Map<string, RouteModule>;
const targets: Record<Subject, Target[]> = { none: [], log: [], hazard: [], case: [], platform: [], organisation: [], control: [], evidence: [] };
const callers: Caller[] = [];
const orgIds = {} as Record<Org, string>;
let n = 0;

beforeAll(async () => {
  routes = await loadRoutes();
  for (const [key, slug] of Object.entries(SLUG)) {
    const [o] = await db.select({ id: organisations.id }).from(organisations).where(eq(organisations.slug, slug));
    orgIds[key as Org] = o.id;
  }
  const [platform] = await db.select().from(platforms);
  targets.none.push({ subject: "none", label: "-", id: randomUUID(), logId: randomUUID(), owner: null, readers: [], showing: [] });
  targets.platform.push({ subject: "platform", label: "platform", id: platform.id, logId: platform.id, owner: "supplier", readers: PLATFORM_ORGS, showing: ["supplier"] });
  for (const org of ["icb", "supplier", "harbourside"] as Org[])
    targets.organisation.push({ subject: "organisation", label: `organisation:${org}`, id: SLUG[org], logId: orgIds[org], owner: org, readers: [org], showing: [org] });
  const csoOf: Record<LogKey, string> = { supplier: "cso@supplier.example", shared: "cso@icb.example", harbourside: "cso@harbourside.example" };
  for (const [key, log] of Object.entries(LOGS) as [LogKey, (typeof LOGS)[LogKey]][]) {
    const [row] = await db.select().from(hazardLogs).where(eq(hazardLogs.title, log.title));
    const [hazard] = await db.select({ id: hazards.id }).from(hazards).where(and(eq(hazards.hazardLogId, row.id), isNull(hazards.upstreamHazardId))).limit(1);
    const safetyCase = await createSafetyCase(await sessionUserFor(db, csoOf[key]), { hazardLogId: row.id, title: `Access matrix case (${key})` }, null);
    const base = { owner: log.owner, readers: log.readers, showing: [log.owner], logId: row.id };
    targets.log.push({ ...base, subject: "log", label: `log:${key}`, id: row.id });
    targets.hazard.push({ ...base, subject: "hazard", label: `hazard:${key}`, id: hazard.id });
    targets.case.push({ ...base, subject: "case", label: `case:${key}`, id: safetyCase.id });
    const control = await controlTarget(row.id, log.owner, key);
    targets.control.push(control);
    targets.evidence.push(await evidenceTarget(control, csoOf[key], key));
  }
  callers.push({ email: null, orgs: [], cookie: null, auth: {}, firstOrganisationId: null });
  for (const [email, orgs] of Object.entries(ACCOUNTS)) {
    const cookie = (await startSession(new Request(BASE), await userId(db, email))).split(";")[0];
    const first = (await sessionUserFor(db, email)).memberships[0]?.organisationId ?? null;
    callers.push({ email, orgs, cookie, auth: await bearer(db, email), firstOrganisationId: first });
  }
});

/**
 * A control of the log's own hazards, carried out by the log's owner (not transferred), with every
 * log that shows it: its own, its hazards' logs, and the logs inheriting those hazards at any depth.
 * Its readers are the union of those logs' readers (contract §3); its requesters their owners.
 */
async function controlTarget(logId: string, owner: Org, key: LogKey): Promise<Target> {
  const [row] = await db
    .select({ id: controls.id, hazardId: hazards.id })
    .from(controls)
    .innerJoin(hazardControls, eq(hazardControls.controlId, controls.id))
    .innerJoin(hazards, eq(hazards.id, hazardControls.hazardId))
    .where(and(eq(controls.hazardLogId, logId), eq(controls.ownerOrganisationId, orgIds[owner]), isNull(controls.transferredFromControlId), isNull(hazards.upstreamHazardId)))
    .orderBy(hazards.refNumber)
    .limit(1);
  expect(row, `a control of ${key}'s own hazards`).toBeTruthy();
  // The seed asks for no evidence: an open request would let its target organisation past the upload gate.
  expect(await db.select({ id: evidenceRequests.id }).from(evidenceRequests).where(eq(evidenceRequests.controlId, row.id))).toEqual([]);
  const showingLogs = new Set([logId]);
  let frontier = [row.hazardId];
  while (frontier.length) {
    const next = await db.select({ id: hazards.id, logId: hazards.hazardLogId }).from(hazards).where(inArray(hazards.upstreamHazardId, frontier));
    next.forEach((h) => showingLogs.add(h.logId));
    frontier = next.map((h) => h.id);
  }
  const logRows = await db.select({ scope: hazardLogs.scope, organisationId: hazardLogs.organisationId }).from(hazardLogs).where(inArray(hazardLogs.id, [...showingLogs]));
  const orgOf = (id: string) => (Object.entries(orgIds).find(([, v]) => v === id)![0]) as Org;
  const readers = new Set<Org>();
  const showing = new Set<Org>();
  for (const l of logRows) {
    showing.add(orgOf(l.organisationId));
    logReaders(l.scope, orgOf(l.organisationId)).forEach((o) => readers.add(o));
  }
  return { subject: "control", label: `control:${key}`, id: row.id, logId, owner, readers: [...readers], showing: [...showing] };
}

/** An item sent for the control without a request by its owner's CSO, accepted by that CSO (its reviewer). */
async function evidenceTarget(control: Target, csoEmail: string, key: LogKey): Promise<Target> {
  const auth = await bearer(db, csoEmail);
  const form = new FormData();
  form.set("description", `Access matrix evidence (${key})`);
  form.set("file", new File(["Test report: passed.\n"], "report.txt", { type: "text/plain" }));
  const uploaded = await uploadRoute.action({ request: new Request(`${BASE}/api/v1/controls/${control.id}/evidence`, { method: "POST", headers: auth, body: form }), params: { id: control.id }, context: context() } as never);
  expect(uploaded.status).toBe(201);
  const { id } = (await uploaded.json()) as { id: string };
  const review = await settle(() => reviewRoute.action({ request: jsonRequest(`/api/v1/evidence/${id}/review`, "POST", { decision: "accept" }, auth), params: { id }, context: context() } as never));
  expect(review.status).toBe(200);
  return { ...control, subject: "evidence", label: `evidence:${key}`, id };
}

function relation(caller: Caller, target: Target): Relation {
  const firstOrg = Object.entries(orgIds).find(([, id]) => id === caller.firstOrganisationId)?.[0];
  return {
    signedIn: caller.email !== null,
    reads: caller.orgs.some(([o]) => target.readers.includes(o)),
    ownerRoles: caller.orgs.filter(([o]) => o === target.owner).map(([, r]) => r),
    readerRoles: caller.orgs.filter(([o]) => target.readers.includes(o)).map(([, r]) => r),
    showingRoles: caller.orgs.filter(([o]) => target.readers.includes(o) && target.showing.includes(o)).map(([, r]) => r),
    firstRole: caller.orgs.find(([o]) => o === firstOrg)?.[1] ?? null,
  };
}

function buildRequest(route: RouteAccess, access: MethodAccess, caller: Caller, path: string, body: Body | undefined, cookie: string | null): Request {
  const headers: Record<string, string> = {};
  if (route.api && !path.startsWith("/hazard-logs/")) Object.assign(headers, caller.auth);
  else if (cookie) headers.Cookie = cookie;
  if (access.probe.method !== "GET") headers.Origin = BASE;
  let payload: BodyInit | undefined;
  // A browser's form carries its session's CSRF token and a fresh submission key (issue 8).
  const hidden = headers.Cookie ? protection(headers.Cookie) : {};
  if (body && "json" in body) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body.json);
  } else if (body && "form" in body) payload = new URLSearchParams({ ...hidden, ...body.form });
  else if (body && "csv" in body) {
    const form = new FormData();
    for (const [k, v] of Object.entries(hidden)) form.set(k, v);
    form.set("file", new File([body.csv], "probe.csv", { type: "text/csv" }));
    payload = form;
  }
  return new Request(`${BASE}${path}`, { method: access.probe.method, headers, body: payload });
}

async function call(routeId: string, access: MethodAccess, caller: Caller, target: Target, idOverride?: string): Promise<Response> {
  const route = ACCESS_TABLE[routeId];
  const mod = routes.get(routeId)!;
  const fn = access.probe.method === "GET" ? mod.loader : mod.action;
  const c = { id: idOverride ?? target.id, logId: idOverride ?? target.logId, caller: caller.email ? { email: caller.email, firstOrganisationId: caller.firstOrganisationId } : null, n: ++n };
  let cookie = caller.cookie;
  if (access.probe.freshSession && caller.email) cookie = (await startSession(new Request(BASE), await userId(db, caller.email))).split(";")[0];
  const path = access.probe.path(c);
  const request = buildRequest(route, access, caller, path, access.probe.body?.(c), cookie);
  const params = { id: c.id, slug: c.id, "*": "no-such" };
  // Anything thrown that is not a Response is what Remix would answer with a 500.
  return settle(async () => (fn as (a: unknown) => Promise<unknown>)({ request, params, context: context(`10.7.${n % 250}.1`) })).catch(
    (error: unknown) => new Response(`unhandled: ${error instanceof Error ? error.message : String(error)}`, { status: 500 }),
  );
}

/** One caller per distinct set of memberships' roles and organisations kind, for expensive routes. */
const EXPENSIVE_CALLERS = new Set([null, "cso@icb.example", "approver@icb.example", "cso@supplier.example", "engineer@supplier.example", "cso@harbourside.example", "cso@northcliff.example", "consultant@wessex.example", "cso@othersupplier.example"]);

type Result = { route: string; method: string; caller: string; target: string; relation: string; expected: string; got: string; status: number };

test("every route × role × organisation answers as the access table says; nothing crosses organisations", async () => {
  const started = performance.now();
  const results: Result[] = [];
  const failures: string[] = [];
  const notFoundShape: string[] = [];
  const randomAnswers = new Map<string, { status: number; body: string }>();
  // Reads first, then writes (writes add hazards and cases, which the reads do not depend on).
  const plan: [string, "loader" | "action", MethodAccess][] = [];
  for (const [id, route] of Object.entries(ACCESS_TABLE)) if (route.loader) plan.push([id, "loader", route.loader]);
  for (const [id, route] of Object.entries(ACCESS_TABLE)) if (route.action) plan.push([id, "action", route.action]);

  for (const [routeId, method, access] of plan) {
    const route = ACCESS_TABLE[routeId];
    for (const target of targets[access.subject]) {
      for (const caller of callers) {
        if (access.probe.expensive && !EXPENSIVE_CALLERS.has(caller.email)) continue;
        const rel = relation(caller, target);
        const want = expected(route, access, rel);
        const response = await call(routeId, access, caller, target);
        const got = classify(response, method === "action");
        const relName = !caller.email ? "signed-out" : access.subject === "none" ? "-" : rel.ownerRoles.length ? "own" : rel.reads ? "party" : "unrelated";
        results.push({ route: routeId, method: access.probe.method, caller: caller.email ?? "signed-out", target: target.label, relation: relName, expected: String(want), got: String(got), status: response.status });
        const matches = want === "any" ? response.status < 500 : got === want;
        if (!matches) failures.push(`${access.probe.method} ${routeId} as ${caller.email ?? "signed-out"} on ${target.label}: expected ${want}, got ${response.status}`);
        // Unreadable answers exactly like missing: same status, same body.
        if (want === 404 && access.subject !== "none") {
          const body = await response.text();
          const key = `${routeId} ${method} ${caller.email}`;
          if (!randomAnswers.has(key)) {
            const missing = await call(routeId, access, caller, target, randomUUID());
            randomAnswers.set(key, { status: missing.status, body: await missing.text() });
          }
          const missing = randomAnswers.get(key)!;
          // Form answers echo the probe counter and the id posted: neither says whether the object exists.
          const norm = (text: string) => text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, "<id>").replace(/probe( case)? \d+/gi, "probe N");
          if (missing.status !== response.status || norm(missing.body) !== norm(body))
            notFoundShape.push(`${routeId} as ${caller.email} on ${target.label}: ${response.status} ${body.slice(0, 80)} vs missing ${missing.status} ${missing.body.slice(0, 80)}`);
        } else if (!response.bodyUsed) await response.body?.cancel().catch(() => undefined);
      }
    }
  }

  const crossOrg = results.filter((r) => r.relation === "unrelated" && r.got === "ok" && r.status < 400);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const byRelation: Record<string, Result[]> = {};
  for (const r of results) (byRelation[r.relation] ??= []).push(r);
  console.log(
    `access matrix: ${results.length} checks over ${plan.length} route methods, ${callers.length} callers (${callers.length - 1} accounts + signed out) in ${seconds} s; ` +
      Object.entries(byRelation).map(([k, v]) => `${k} ${v!.length}`).join(", ") +
      `; cross-organisation successes ${crossOrg.length}; 404-vs-missing comparisons ${randomAnswers.size}; 5xx ${results.filter((r) => r.status >= 500).length}`,
  );
  const evidenceChecks = results.filter((r) => /^(control|evidence):/.test(r.target));
  const evidenceBy: Record<string, number> = {};
  for (const r of evidenceChecks) evidenceBy[r.relation] = (evidenceBy[r.relation] ?? 0) + 1;
  console.log(
    `access matrix, evidence routes: ${evidenceChecks.length} checks over ${new Set(evidenceChecks.map((r) => `${r.method} ${r.route}`)).size} route methods × ${callers.length} callers × ${new Set(evidenceChecks.map((r) => r.target)).size} objects (a control and an accepted item of the supplier, shared and Harbourside logs); ` +
      Object.entries(evidenceBy).map(([k, v]) => `${k} ${v}`).join(", ") +
      `; cross-organisation successes ${evidenceChecks.filter((r) => r.relation === "unrelated" && r.got === "ok" && r.status < 400).length}; 5xx ${evidenceChecks.filter((r) => r.status >= 500).length}`,
  );
  expect(failures).toEqual([]);
  expect(crossOrg.map((r) => `${r.method} ${r.route} as ${r.caller} on ${r.target}: ${r.status}`)).toEqual([]);
  expect(notFoundShape).toEqual([]);
  // The other supplier never gets a 2xx on any Wessex object; a trust never reads another trust's local log.
  expect(results.filter((r) => r.caller.endsWith("@othersupplier.example") && r.target !== "-" && r.status < 300)).toEqual([]);
  expect(results.filter((r) => r.caller === "cso@northcliff.example" && r.target.endsWith(":harbourside") && r.method === "GET" && r.status < 300)).toEqual([]);
}, 1_200_000);

test("every list agrees with detail: listed logs' hazards open; hazards of unlisted logs answer 404", async () => {
  const hazardLogsRoute = routes.get("api.v1.hazard-logs")!;
  const hazardsRoute = routes.get("api.v1.hazard-logs.$id.hazards")!;
  const hazardRoute = routes.get("api.v1.hazards.$id")!;
  const allLogs = await db.select({ id: hazardLogs.id }).from(hazardLogs);
  let checks = 0;
  for (const caller of callers.filter((c) => c.email)) {
    const get = async (mod: RouteModule, path: string, id = "") =>
      settle(async () => (mod.loader as (a: unknown) => Promise<unknown>)({ request: new Request(`${BASE}${path}`, { headers: caller.auth }), params: { id }, context: context() }));
    const list = (await (await get(hazardLogsRoute, "/api/v1/hazard-logs")).json()) as { items: { id: string }[] };
    const listed = new Set(list.items.map((i) => i.id));
    for (const log of allLogs) {
      const response = await get(hazardsRoute, `/api/v1/hazard-logs/${log.id}/hazards?limit=3`, log.id);
      checks++;
      if (listed.has(log.id)) {
        expect(response.status, `${caller.email} lists ${log.id} but cannot open its hazards`).toBe(200);
        const { items } = (await response.json()) as { items: { id: string }[] };
        for (const h of items) {
          checks++;
          expect((await get(hazardRoute, `/api/v1/hazards/${h.id}`, h.id)).status, `${caller.email}: listed hazard ${h.id}`).toBe(200);
        }
      } else {
        expect(response.status, `${caller.email} does not list ${log.id} but reads its hazards`).toBe(404);
        const [h] = await db.select({ id: hazards.id }).from(hazards).where(eq(hazards.hazardLogId, log.id)).limit(1);
        checks++;
        expect((await get(hazardRoute, `/api/v1/hazards/${h.id}`, h.id)).status, `${caller.email}: hazard ${h.id} of an unlisted log`).toBe(404);
      }
    }
  }
  console.log(`list-vs-detail: ${checks} checks`);
}, 300_000);
