// Issue 8, web defences: every form action refuses a post without the session's token, with another
// session's token or from another origin (403, nothing written); a submission key makes a repeated
// or concurrent post one record; a refused post frees its key for the corrected form.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeTestDb, openTestDb, type Db } from "#tests/setup/test-db.ts";
import { dbSnapshot } from "#tests/support/db-snapshot.ts";
import { BASE, bearer, context, csrfFor, formRequest, newKey, protection, settle, userId, type FormOptions } from "#tests/support/requests.ts";
import { apiTokens, evidence as evidenceItems, evidenceRequests, formSubmissions, hazardLogs, hazards, importPreviews, incidents, organisations, signatures } from "#db/schema/index.ts";
import { startSession } from "#app/auth.server.ts";
import { sweep } from "#app/form-post.server.ts";
import * as newHazard from "#app/routes/hazard-logs.$id_.hazards.new.tsx";
import * as editHazard from "#app/routes/hazards.$id_.edit.tsx";
import * as hazardPage from "#app/routes/hazards.$id.tsx";
import * as controlPage from "#app/routes/controls.$id.tsx";
import * as importPage from "#app/routes/hazard-logs.$id_.import.tsx";
import * as importUpload from "#app/routes/hazard-logs.$id_.import.upload.ts";
import * as issuePage from "#app/routes/hazard-logs.$id_.issue.tsx";
import * as casesPage from "#app/routes/hazard-logs.$id_.safety-cases.tsx";
import * as casePage from "#app/routes/safety-cases.$id.tsx";
import * as orgPage from "#app/routes/organisations.$slug.tsx";
import * as tokensPage from "#app/routes/settings.tokens.tsx";
import * as switchOrg from "#app/routes/switch-organisation.tsx";
import * as signOut from "#app/routes/sign-out.tsx";
import * as signIn from "#app/routes/sign-in.tsx";
import * as apiHazards from "#app/routes/api.v1.hazard-logs.$id.hazards.ts";
import { cookieFor, RAISE_FIELDS } from "../hazards/page-helpers.ts";
import { PDF, supplierControls } from "../evidence/helpers.ts";
import { createCase, getCase, sendEvent } from "../safety-cases/helpers.ts";
import { exportBytes } from "../import-export/helpers.ts";

let db: Db;
beforeAll(async () => ({ db } = await openTestDb()));
afterAll(closeTestDb);

const EVIL = "https://evil.example";
type Action = (args: never) => unknown;

async function call(action: Action, request: Request, params: Record<string, string> = {}) {
  return settle(() => action({ request, params, context: context() } as never) as Promise<unknown>);
}

const snapshot = () => dbSnapshot(db);

const ids = {} as { supplierLog: string; hazard: string; control: string; supplierOrg: string; caseId: string };
beforeAll(async () => {
  const [log] = await db.select().from(hazardLogs).where(eq(hazardLogs.title, "Wessex Shared EPR — DCB0129 hazard log"));
  const [h] = await db.select().from(hazards).where(eq(hazards.hazardLogId, log.id)).orderBy(hazards.refNumber).limit(1);
  const [org] = await db.select().from(organisations).where(eq(organisations.slug, "acme-health"));
  ids.supplierLog = log.id;
  ids.hazard = h.id;
  ids.supplierOrg = org.id;
  // A control of another hazard than ids.hazard, which earlier tests edit (and so what the ICB inherits of it).
  ids.control = (await supplierControls(db)).find((c) => c.hazardId !== h.id)!.controlId;
});

/** Every form action of the app, with a post that would change something if it got through. */
type FormCase = { name: string; action: Action; email: string; path: () => string; params: () => Record<string, string>; fields: () => Record<string, string> };
const FORMS: FormCase[] = [
  { name: "raise hazard", action: newHazard.action, email: "cso@supplier.example", path: () => `/hazard-logs/${ids.supplierLog}/hazards/new`, params: () => ({ id: ids.supplierLog }), fields: () => RAISE_FIELDS },
  { name: "edit hazard", action: editHazard.action, email: "cso@supplier.example", path: () => `/hazards/${ids.hazard}/edit`, params: () => ({ id: ids.hazard }), fields: () => ({ intent: "save", title: "Edited", "causes.shown": "0", "controls.shown": "0", version: "1", reason: "x" }) },
  { name: "status change", action: hazardPage.action, email: "cso@supplier.example", path: () => `/hazards/${ids.hazard}`, params: () => ({ id: ids.hazard }), fields: () => ({ intent: "close", version: "1", reason: "Closed" }) },
  { name: "upstream accept", action: hazardPage.action, email: "cso@icb.example", path: () => `/hazards/${ids.hazard}`, params: () => ({ id: ids.hazard }), fields: () => ({ intent: "accept-upstream", upstreamVersion: "1" }) },
  { name: "not applicable", action: hazardPage.action, email: "cso@icb.example", path: () => `/hazards/${ids.hazard}`, params: () => ({ id: ids.hazard }), fields: () => ({ intent: "not-applicable", upstreamVersion: "1", comment: "n/a" }) },
  { name: "incident", action: hazardPage.action, email: "cso@supplier.example", path: () => `/hazards/${ids.hazard}`, params: () => ({ id: ids.hazard }), fields: () => ({ intent: "record-incident", kind: "near_miss", occurredOn: "2025-01-15", description: "Banner hidden" }) },
  { name: "evidence request", action: controlPage.action, email: "cso@icb.example", path: () => `/controls/${ids.control}`, params: () => ({ id: ids.control }), fields: () => ({ intent: "request", fromOrganisationId: ids.supplierOrg, description: "Test report" }) },
  { name: "evidence review", action: controlPage.action, email: "cso@icb.example", path: () => `/controls/${ids.control}`, params: () => ({ id: ids.control }), fields: () => ({ intent: "review", evidenceId: ids.control, decision: "accept" }) },
  { name: "import confirm", action: importPage.action, email: "cso@supplier.example", path: () => `/hazard-logs/${ids.supplierLog}/import`, params: () => ({ id: ids.supplierLog }), fields: () => ({ intent: "confirm", previewId: ids.hazard }) },
  { name: "log issue event", action: issuePage.action, email: "cso@supplier.example", path: () => `/hazard-logs/${ids.supplierLog}/issue`, params: () => ({ id: ids.supplierLog }), fields: () => ({ intent: "SUBMIT_FOR_REVIEW", expectedVersion: "1" }) },
  { name: "safety case create", action: casesPage.action, email: "cso@supplier.example", path: () => `/hazard-logs/${ids.supplierLog}/safety-cases`, params: () => ({ id: ids.supplierLog }), fields: () => ({ title: "Forged case" }) },
  { name: "safety case event", action: casePage.action, email: "cso@supplier.example", path: () => `/safety-cases/${ids.caseId}`, params: () => ({ id: ids.caseId }), fields: () => ({ intent: "SUBMIT", expectedVersion: "1" }) },
  { name: "add member", action: orgPage.action, email: "admin@supplier.example", path: () => "/organisations/acme-health", params: () => ({ slug: "acme-health" }), fields: () => ({ intent: "add", name: "Forged", email: "forged@acme.example", role: "cso", temporaryPassword: "temporary-password-123" }) },
  { name: "API token create", action: tokensPage.action, email: "cso@supplier.example", path: () => "/settings/tokens", params: () => ({}), fields: () => ({ intent: "create", name: "forged" }) },
  { name: "switch organisation", action: switchOrg.action, email: "consultant@wessex.example", path: () => "/switch-organisation", params: () => ({}), fields: () => ({ organisationId: ids.supplierOrg }) },
  { name: "sign-out", action: signOut.action, email: "cso@northcliff.example", path: () => "/sign-out", params: () => ({}), fields: () => ({}) },
];

describe("CSRF: each form action refuses a forged post before anything is read or written", () => {
  beforeAll(async () => {
    const created = await createCase((await bearer(db, "cso@supplier.example")).Authorization.slice(7), ids.supplierLog, "CSRF probe case");
    ids.caseId = created.body.id;
  });

  for (const form of FORMS) {
    it(`${form.name}: no token, another session's token, another origin → 403`, async () => {
      const cookie = await cookieFor(form.email);
      const other = (await startSession(new Request(BASE), await userId(db, form.email))).split(";")[0];
      const post = (opts: FormOptions, headers: Record<string, string> = {}) => call(form.action, formRequest(form.path(), form.fields(), { Cookie: cookie, ...headers }, opts), form.params());
      const before = await snapshot();
      const noToken = await post({ csrf: false });
      const otherSession = await post({ csrf: csrfFor(other)! });
      const crossOrigin = await post({}, { Origin: EVIL });
      const refererOnly = await call(form.action, new Request(`${BASE}${form.path()}`, { method: "POST", body: new URLSearchParams({ ...protection(cookie), ...form.fields() }), headers: { Cookie: cookie, Referer: `${EVIL}/page` } }), form.params());
      const neither = await call(form.action, new Request(`${BASE}${form.path()}`, { method: "POST", body: new URLSearchParams({ ...protection(cookie), ...form.fields() }), headers: { Cookie: cookie } }), form.params());
      expect([noToken.status, otherSession.status, crossOrigin.status, refererOnly.status, neither.status]).toEqual([403, 403, 403, 403, 403]);
      expect(((await noToken.json()) as { refused: string }).refused).toMatch(/expired|session/);
      expect(((await crossOrigin.json()) as { refused: string }).refused).toMatch(/another website/);
      expect(await snapshot()).toEqual(before);
    });
  }

  it("a same-origin Referer stands in for a missing Origin", async () => {
    const cookie = await cookieFor("consultant@wessex.example");
    const res = await call(switchOrg.action, new Request(`${BASE}/switch-organisation`, { method: "POST", body: new URLSearchParams({ ...protection(cookie), organisationId: (await db.select().from(organisations).where(eq(organisations.slug, "northcliff")))[0].id }), headers: { Cookie: cookie, Referer: `${BASE}/` } }));
    expect(res.status).toBe(302);
  });

  it("sign-in has no session token: a cross-origin sign-in is refused and starts no session", async () => {
    const before = await snapshot();
    const res = await call(signIn.action, formRequest("/sign-in", { email: "cso@icb.example", password: "demo-password" }, { Origin: EVIL }));
    expect(res.status).toBe(403);
    expect(await snapshot()).toEqual(before);
    const ok = await call(signIn.action, formRequest("/sign-in", { email: "cso@icb.example", password: "demo-password" }));
    expect(ok.status).toBe(302);
  });

  it("an evidence upload without the token is refused before the file is kept", async () => {
    const cookie = await cookieFor("engineer@supplier.example");
    const before = await snapshot();
    for (const opts of [{ csrf: false }, { csrf: csrfFor((await startSession(new Request(BASE), await userId(db, "engineer@supplier.example"))).split(";")[0])! }] as FormOptions[]) {
      const form = new FormData();
      for (const [k, v] of Object.entries(protection(cookie, opts))) form.append(k, v);
      form.append("description", "Forged upload");
      form.append("file", new Blob([new Uint8Array(PDF)], { type: "application/pdf" }), "forged.pdf");
      const res = await call(controlPage.action, new Request(`${BASE}/controls/${ids.control}`, { method: "POST", body: form, headers: { Origin: BASE, Cookie: cookie } }), { id: ids.control });
      expect(res.status).toBe(403);
    }
    const after = await snapshot();
    delete before.sessions;
    delete after.sessions; // the second session made above
    // The upload limit counts every same-origin attempt, refused ones too (README "Upload limits");
    // a cross-origin post is refused before it is counted, so another site cannot spend the quota.
    delete before.sign_in_throttle;
    delete after.sign_in_throttle;
    expect(after).toEqual(before);
  });

  it("the import upload (page form and the script's XHR) needs the token too", async () => {
    const cookie = await cookieFor("cso@supplier.example");
    const before = await db.select().from(importPreviews);
    const csv = new Blob(["Ref,Title\n,CSRF import probe\n"], { type: "text/csv" });
    const form = new FormData();
    form.append("file", csv, "probe.csv");
    const page = await call(importPage.action, new Request(`${BASE}/hazard-logs/${ids.supplierLog}/import`, { method: "POST", body: form, headers: { Origin: BASE, Cookie: cookie } }), { id: ids.supplierLog });
    expect(page.status).toBe(403);
    const xhr = await call(importUpload.action, new Request(`${BASE}/hazard-logs/${ids.supplierLog}/import/upload`, { method: "POST", body: form, headers: { Origin: BASE, Cookie: cookie, "X-CSRF-Token": "wrong" } }), { id: ids.supplierLog });
    expect(xhr.status).toBe(403);
    expect(((await xhr.json()) as { error: { code: string } }).error.code).toBe("forbidden");
    expect(await db.select().from(importPreviews)).toHaveLength(before.length);
  });
});

describe("the JSON API: a cookie needs the same origin, a bearer token needs nothing more", () => {
  const post = (headers: Record<string, string>) =>
    call(apiHazards.action, new Request(`${BASE}/api/v1/hazard-logs/${ids.supplierLog}/hazards`, { method: "POST", body: JSON.stringify({ title: "API origin probe" }), headers: { "Content-Type": "application/json", ...headers } }), { id: ids.supplierLog });

  it("cookie without Origin or from another origin: 403; same origin: 201; bearer without Origin: 201", async () => {
    const cookie = await cookieFor("cso@supplier.example");
    const count = async () => (await db.select().from(hazards).where(eq(hazards.hazardLogId, ids.supplierLog))).length;
    const start = await count();
    expect((await post({ Cookie: cookie })).status).toBe(403);
    expect((await post({ Cookie: cookie, Origin: EVIL })).status).toBe(403);
    expect(await count()).toBe(start);
    expect((await post({ Cookie: cookie, Origin: BASE })).status).toBe(201);
    expect((await post(await bearer(db, "cso@supplier.example"))).status).toBe(201);
    expect(await count()).toBe(start + 2);
  });
});

describe("idempotency: one record per submission key", () => {
  const hazardCount = async () => (await db.select().from(hazards).where(eq(hazards.hazardLogId, ids.supplierLog))).length;
  const raise = async (key: string, fields: Record<string, string> = RAISE_FIELDS, email = "cso@supplier.example") =>
    call(newHazard.action, formRequest(`/hazard-logs/${ids.supplierLog}/hazards/new`, fields, { Cookie: await cookieFor(email) }, { key }), { id: ids.supplierLog });

  it("the same raise-hazard form sent twice makes one hazard; the repeat gets the same redirect", async () => {
    const start = await hazardCount();
    const key = newKey();
    const first = await raise(key);
    const second = await raise(key);
    expect(first.status).toBe(302);
    expect(second.status).toBe(302);
    expect(second.headers.get("Location")).toBe(first.headers.get("Location"));
    expect(await hazardCount()).toBe(start + 1);
  });

  it("three concurrent posts of one form (a double-click) make one hazard", async () => {
    const start = await hazardCount();
    const key = newKey();
    const answers = await Promise.all([raise(key), raise(key), raise(key)]);
    expect(answers.map((a) => a.status)).toEqual([302, 302, 302]);
    expect(new Set(answers.map((a) => a.headers.get("Location"))).size).toBe(1);
    expect(await hazardCount()).toBe(start + 1);
  });

  it("a form refused for its answers can be corrected and sent again with the same key", async () => {
    const start = await hazardCount();
    const key = newKey();
    const bad = await raise(key, { ...RAISE_FIELDS, title: "" });
    expect(bad.status).toBe(400);
    const good = await raise(key);
    expect(good.status).toBe(302);
    expect(await hazardCount()).toBe(start + 1);
  });

  it("a post refused by the service (stale edit, 409) frees its key for the corrected form", async () => {
    const cookie = await cookieFor("cso@supplier.example");
    const [h] = await db.select().from(hazards).where(eq(hazards.id, ids.hazard));
    const key = newKey();
    const fields = (version: number) => ({ intent: "save", title: h.title ?? "", description: h.description ?? "", "causes.shown": "0", "controls.shown": "0", version: String(version), reason: "Idempotency check" });
    const edit = (version: number) => call(editHazard.action, formRequest(`/hazards/${ids.hazard}/edit`, fields(version), { Cookie: cookie }, { key }), { id: ids.hazard });
    expect((await edit(h.version + 50)).status).toBe(409);
    expect(await db.select().from(formSubmissions).where(eq(formSubmissions.key, key))).toHaveLength(0);
    const ok = await edit(h.version);
    expect(ok.status).toBe(302);
    expect((await edit(h.version)).status).toBe(302); // a repeat replays, not a 409 about itself
    const [after] = await db.select().from(hazards).where(eq(hazards.id, ids.hazard));
    expect(after.version).toBe(h.version + 1);
  });

  it("a missing key is refused (400) and nothing is written", async () => {
    const start = await hazardCount();
    const res = await call(newHazard.action, formRequest(`/hazard-logs/${ids.supplierLog}/hazards/new`, RAISE_FIELDS, { Cookie: await cookieFor("cso@supplier.example") }, { key: false }), { id: ids.supplierLog });
    expect(res.status).toBe(400);
    expect(await hazardCount()).toBe(start);
  });

  it("another user's key is refused; the same key with other answers is refused (409)", async () => {
    const key = newKey();
    expect((await raise(key)).status).toBe(302);
    const start = await hazardCount();
    const theirs = await raise(key, RAISE_FIELDS, "engineer@supplier.example");
    expect(theirs.status).toBe(403);
    const changed = await raise(key, { ...RAISE_FIELDS, title: "A different hazard" });
    expect(changed.status).toBe(409);
    expect(await hazardCount()).toBe(start);
  });

  it("an API token form sent twice makes one token; the repeat says the value was shown once", async () => {
    const cookie = await cookieFor("cso@supplier.example");
    const uid = await userId(db, "cso@supplier.example");
    const count = async () => (await db.select().from(apiTokens).where(and(eq(apiTokens.userId, uid), eq(apiTokens.name, "pipeline once")))).length;
    const key = newKey();
    const post = () => call(tokensPage.action, formRequest("/settings/tokens", { intent: "create", name: "pipeline once" }, { Cookie: cookie }, { key }));
    const [a, b] = await Promise.all([post(), post()]);
    const bodies = [await a.json(), await b.json()] as { created: { token: string } | null; replayed?: boolean }[];
    expect(bodies.filter((x) => x.created?.token)).toHaveLength(1);
    expect(bodies.filter((x) => x.replayed)).toHaveLength(1);
    expect(await count()).toBe(1);
  });

  it("an incident and an evidence request sent twice at once make one record each", async () => {
    const icb = await cookieFor("cso@icb.example");
    const before = { incidents: (await db.select().from(incidents)).length, requests: (await db.select().from(evidenceRequests)).length };
    const incidentKey = newKey();
    const requestKey = newKey();
    const incident = () => call(hazardPage.action, formRequest(`/hazards/${ids.hazard}`, { intent: "record-incident", kind: "near_miss", occurredOn: "2025-01-15", description: "Double-click near miss" }, { Cookie: icb }, { key: incidentKey }), { id: ids.hazard });
    const request = () => call(controlPage.action, formRequest(`/controls/${ids.control}`, { intent: "request", fromOrganisationId: ids.supplierOrg, description: "Double-click request" }, { Cookie: icb }, { key: requestKey }), { id: ids.control });
    const answers = await Promise.all([incident(), incident(), request(), request()]);
    expect(answers.map((a) => a.status)).toEqual([302, 302, 302, 302]);
    expect((await db.select().from(incidents)).length).toBe(before.incidents + 1);
    expect((await db.select().from(evidenceRequests)).length).toBe(before.requests + 1);
  });

  it("an evidence upload sent twice with one key stores one item", async () => {
    const cookie = await cookieFor("engineer@supplier.example");
    const before = (await db.select().from(evidenceItems)).length;
    const key = newKey();
    const upload = () => {
      const form = new FormData();
      for (const [k, v] of Object.entries(protection(cookie, { key }))) form.append(k, v);
      form.append("description", "Uploaded once");
      form.append("file", new Blob([new Uint8Array(PDF)], { type: "application/pdf" }), "once.pdf");
      return call(controlPage.action, new Request(`${BASE}/controls/${ids.control}`, { method: "POST", body: form, headers: { Origin: BASE, Cookie: cookie } }), { id: ids.control });
    };
    const first = await upload();
    const second = await upload();
    expect([first.status, second.status]).toEqual([302, 302]);
    expect((await db.select().from(evidenceItems)).length).toBe(before + 1);
  });

  it("the import script's upload sent twice with one key makes one preview", async () => {
    const cookie = await cookieFor("cso@supplier.example");
    const before = (await db.select().from(importPreviews)).length;
    const key = newKey();
    const csv = await exportBytes(db, "cso@supplier.example", ids.supplierLog, "csv"); // a file the import accepts
    const upload = () => {
      const form = new FormData();
      form.append("file", new Blob([new Uint8Array(csv)], { type: "text/csv" }), "export.csv");
      return call(importUpload.action, new Request(`${BASE}/hazard-logs/${ids.supplierLog}/import/upload`, { method: "POST", body: form, headers: { Origin: BASE, Cookie: cookie, "X-CSRF-Token": csrfFor(cookie)!, "X-Form-Key": key } }), { id: ids.supplierLog });
    };
    const first = await upload();
    const second = await upload();
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(((await second.json()) as { previewId: string }).previewId).toBe(((await first.json()) as { previewId: string }).previewId);
    expect((await db.select().from(importPreviews)).length).toBe(before + 1);
  });

  it("a signature form sent twice at once records one signature", async () => {
    const token = (await bearer(db, "cso@supplier.example")).Authorization.slice(7);
    const created = await createCase(token, ids.supplierLog, "Idempotent signature case");
    const submitted = await sendEvent(token, created.body.id, { type: "SUBMIT", expectedVersion: created.body.version });
    expect(submitted.status).toBe(200);
    const current = await getCase(token, created.body.id);
    const cookie = await cookieFor("cso@supplier.example");
    const key = newKey();
    const sign = () =>
      call(casePage.action, formRequest(`/safety-cases/${created.body.id}`, { intent: "SIGN", expectedVersion: String(current.body.version), meaning: "approved", password: "demo-password" }, { Cookie: cookie }, { key }), { id: created.body.id });
    const answers = await Promise.all([sign(), sign()]);
    expect(answers.map((a) => a.status)).toEqual([302, 302]);
    expect(await db.select().from(signatures).where(eq(signatures.safetyCaseId, created.body.id))).toHaveLength(1);
  });

  it("a repeat while the first post is still running waits, then answers 409 if it never finishes", async () => {
    const key = newKey();
    await db.insert(formSubmissions).values({ key, userId: await userId(db, "cso@supplier.example") });
    const started = Date.now();
    const res = await raise(key);
    expect(res.status).toBe(409);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_000);
    expect(((await res.json()) as { refused: string }).refused).toMatch(/still being processed/);
  });

  it("keys older than a day are deleted", async () => {
    const uid = await userId(db, "cso@supplier.example");
    await db.insert(formSubmissions).values([
      { key: `old-${newKey()}`, userId: uid, createdAt: new Date(Date.now() - 25 * 60 * 60_000), outcome: { status: 302, location: "/" } },
      { key: `new-${newKey()}`, userId: uid, outcome: { status: 302, location: "/" } },
    ]);
    await sweep(Date.now(), true);
    const left = await db.select().from(formSubmissions);
    expect(left.filter((r) => r.key.startsWith("old-"))).toHaveLength(0);
    expect(left.filter((r) => r.key.startsWith("new-"))).toHaveLength(1);
  });
});
