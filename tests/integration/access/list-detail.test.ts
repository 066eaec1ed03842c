// Lists agree with detail, for every demo account: every item a list gives — the API's hazard logs,
// every page of each log's hazards, the platform roll-up (each row and each organisation's cell), the
// safety case list of each log, the home page's logs, its "my work" case lists and its evidence lists
// — passes its detail check (the detail answers 200). And the other way: a sample of objects from
// the database whose detail check fails for the account (other organisations' logs, hazards, safety
// cases, controls with requests) is never listed anywhere.
import { randomUUID } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { closeTestDb, openTestDb, type Db } from "#tests/setup/test-db.ts";
import { BASE, bearer, context, settle, sessionUserFor, userId } from "#tests/support/requests.ts";
import { controls, evidenceRequests, hazardLogs, hazards, platforms, safetyCases, users } from "#db/schema/index.ts";
import { startSession } from "#app/auth.server.ts";
import { createSafetyCase, sendCaseEvent } from "#app/safety-cases.server.ts";
import { createEvidenceRequest, uploadEvidence } from "#app/evidence.server.ts";
import * as logsRoute from "#app/routes/api.v1.hazard-logs.ts";
import * as hazardsRoute from "#app/routes/api.v1.hazard-logs.$id.hazards.ts";
import * as hazardRoute from "#app/routes/api.v1.hazards.$id.ts";
import * as rollupRoute from "#app/routes/api.v1.platforms.$id.rollup.ts";
import * as caseRoute from "#app/routes/api.v1.safety-cases.$id.ts";
import * as caseListRoute from "#app/routes/hazard-logs.$id_.safety-cases.tsx";
import * as homeRoute from "#app/routes/_index.tsx";
import * as logPageRoute from "#app/routes/hazard-logs.$id.tsx";
import * as controlEvidenceRoute from "#app/routes/api.v1.controls.$id.evidence.ts";

let db: Db;
beforeAll(async () => ({ db } = await openTestDb()));
afterAll(closeTestDb);

const LOG_OWNER_CSO: Record<string, string> = {
  "Wessex Shared EPR — DCB0129 hazard log": "cso@supplier.example",
  "Wessex Shared EPR — ICB shared DCB0160 hazard log": "cso@icb.example",
  "Wessex Shared EPR — Harbourside DCB0160 hazard log": "cso@harbourside.example",
  "Wessex Shared EPR — Northcliff DCB0160 hazard log": "cso@northcliff.example",
};

let platformId: string;
beforeAll(async () => {
  [{ id: platformId }] = await db.select({ id: platforms.id }).from(platforms);
  // Something in every list: a submitted case per log (awaiting signatures), a draft case, and an
  // evidence request from the ICB to the supplier answered with an item awaiting the ICB's review.
  for (const log of await db.select().from(hazardLogs)) {
    const email = LOG_OWNER_CSO[log.title];
    if (!email) continue;
    const cso = await sessionUserFor(db, email);
    await createSafetyCase(cso, { hazardLogId: log.id, title: `List/detail draft (${log.title})` }, null);
    const submitted = await createSafetyCase(cso, { hazardLogId: log.id, title: `List/detail submitted (${log.title})` }, null);
    await sendCaseEvent(cso, submitted.id, { type: "SUBMIT", expectedVersion: submitted.version }, { requestId: null, clientIp: "10.0.0.9" });
  }
  const [supplierLog] = await db.select().from(hazardLogs).where(eq(hazardLogs.title, "Wessex Shared EPR — DCB0129 hazard log"));
  const [control] = await db.select().from(controls).where(and(eq(controls.hazardLogId, supplierLog.id), eq(controls.ownerOrganisationId, supplierLog.organisationId))).limit(1);
  const icb = await sessionUserFor(db, "cso@icb.example");
  const request = await createEvidenceRequest(icb, control.id, { fromOrganisationId: supplierLog.organisationId, description: "List/detail evidence" });
  const form = new FormData();
  form.set("requestId", request.id);
  form.set("description", "List/detail item");
  form.set("file", new File(["Test report: passed.\n"], "report.txt", { type: "text/plain" }));
  await uploadEvidence(await sessionUserFor(db, "engineer@supplier.example"), control.id, new Request(`${BASE}/x`, { method: "POST", body: form }));
  // A second request, to Harbourside for its own control, left open: only Harbourside and the ICB may see it.
  const [harbourLog] = await db.select().from(hazardLogs).where(eq(hazardLogs.title, "Wessex Shared EPR — Harbourside DCB0160 hazard log"));
  const [harbourControl] = await db.select().from(controls).where(and(eq(controls.hazardLogId, harbourLog.id), eq(controls.ownerOrganisationId, harbourLog.organisationId))).limit(1);
  await createEvidenceRequest(await sessionUserFor(db, "cso@harbourside.example"), harbourControl.id, { fromOrganisationId: harbourLog.organisationId, description: "Harbourside's own request" });
});

type Loader = (args: never) => Promise<unknown>;
type Caller = { email: string; auth: Record<string, string>; cookie: string };
let calls = 0;
let fiveHundreds = 0;

async function get(caller: Caller, route: { loader: Loader }, path: string, id = "", page = false): Promise<Response> {
  calls++;
  const headers = page ? { Cookie: caller.cookie } : caller.auth;
  const response = await settle(() => route.loader({ request: new Request(`${BASE}${path}`, { headers }), params: { id }, context: context() } as never));
  if (response.status >= 500) fiveHundreds++;
  return response;
}
const json = async <T,>(r: Response): Promise<T> => {
  expect(r.status).toBe(200);
  return (await r.json()) as T;
};

test("every demo account: every listed item opens; sampled objects that do not open are never listed", async () => {
  const emails = (await db.select({ email: users.email }).from(users)).map((u) => u.email).filter((e) => e.endsWith(".example")).sort();
  expect(emails.length).toBeGreaterThanOrEqual(14);
  const allLogs = await db.select({ id: hazardLogs.id }).from(hazardLogs);
  const sampleHazards = (await Promise.all(allLogs.map((l) => db.select({ id: hazards.id }).from(hazards).where(and(eq(hazards.hazardLogId, l.id), isNull(hazards.deprecatedAt))).limit(5)))).flat();
  const allCases = await db.select({ id: safetyCases.id }).from(safetyCases);
  const requestControls = [...new Set((await db.select({ controlId: evidenceRequests.controlId }).from(evidenceRequests)).map((r) => r.controlId))];

  const problems: string[] = [];
  const figures = { accounts: 0, listed: 0, detailChecks: 0, unlistedSampled: 0, hiddenChecked: 0 };
  /** Hazard detail answers are the same for accounts with the same organisations: checked once per set. */
  const hazardDetail = new Map<string, number>();

  for (const email of emails) {
    figures.accounts++;
    const me = await sessionUserFor(db, email);
    const caller: Caller = { email, auth: await bearer(db, email), cookie: (await startSession(new Request(BASE), await userId(db, email))).split(";")[0] };
    const orgSet = me.memberships.map((m) => m.organisationId).sort().join(",");
    const listed = { log: new Set<string>(), hazard: new Set<string>(), case: new Set<string>(), control: new Set<string>() };
    const expectOpens = async (kind: string, id: string, response: Promise<Response>) => {
      figures.detailChecks++;
      const status = (await response).status;
      if (status !== 200) problems.push(`${email}: listed ${kind} ${id} answers ${status}`);
    };

    // The API's logs, and every page of each log's hazards.
    const logs = await json<{ items: { id: string; platform: { id: string } }[] }>(await get(caller, logsRoute, "/api/v1/hazard-logs"));
    for (const log of logs.items) {
      listed.log.add(log.id);
      await expectOpens("log page", log.id, get(caller, logPageRoute, `/hazard-logs/${log.id}`, log.id, true));
      let cursor: string | null = null;
      do {
        const page: { items: { id: string }[]; nextCursor: string | null } = await json(await get(caller, hazardsRoute, `/api/v1/hazard-logs/${log.id}/hazards?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, log.id));
        for (const h of page.items) listed.hazard.add(h.id);
        cursor = page.nextCursor;
      } while (cursor);
      // The log's safety case list (page).
      const cases = await json<{ cases: { id: string }[] }>(await get(caller, caseListRoute, `/hazard-logs/${log.id}/safety-cases`, log.id, true));
      for (const c of cases.cases) listed.case.add(c.id);
    }
    // The roll-up: each row's hazard and each organisation's cell.
    const rollup = await get(caller, rollupRoute, `/api/v1/platforms/${platformId}/rollup`, platformId);
    if (listed.log.size === 0) expect(rollup.status, `${email}: roll-up of a platform it takes no part in`).toBe(404);
    else {
      const body = await json<{ hazards: { hazardId: string; byOrganisation: Record<string, { hazardId: string }> }[] }>(rollup);
      for (const line of body.hazards) {
        listed.hazard.add(line.hazardId);
        for (const cell of Object.values(line.byOrganisation)) listed.hazard.add(cell.hazardId);
      }
    }
    // The home page: its logs, "my work" case lists and evidence lists.
    const home = await json<{ logs: { id: string }[]; work: Record<string, { id: string }[]>; evidenceWork: { requests: { controlId: string }[]; toReview: { id: string; controlId: string }[] } }>(await get(caller, homeRoute, "/", "", true));
    for (const l of home.logs) listed.log.add(l.id);
    for (const list of Object.values(home.work)) for (const c of list) listed.case.add(c.id);
    for (const r of home.evidenceWork.requests) listed.control.add(r.controlId);
    for (const item of home.evidenceWork.toReview) {
      listed.control.add(item.controlId);
      const evidence = await json<{ items: { id: string }[] }>(await get(caller, controlEvidenceRoute, `/api/v1/controls/${item.controlId}/evidence`, item.controlId));
      figures.detailChecks++;
      if (!evidence.items.some((i) => i.id === item.id)) problems.push(`${email}: item ${item.id} to review is not in its control's evidence`);
    }

    // Detail of everything listed.
    for (const id of listed.log) await expectOpens("log", id, get(caller, hazardsRoute, `/api/v1/hazard-logs/${id}/hazards?limit=1`, id));
    for (const id of listed.case) await expectOpens("safety case", id, get(caller, caseRoute, `/api/v1/safety-cases/${id}`, id));
    for (const id of listed.control) await expectOpens("control", id, get(caller, controlEvidenceRoute, `/api/v1/controls/${id}/evidence`, id));
    for (const id of listed.hazard) {
      const key = `${orgSet} ${id}`;
      if (!hazardDetail.has(key)) {
        figures.detailChecks++;
        hazardDetail.set(key, (await get(caller, hazardRoute, `/api/v1/hazards/${id}`, id)).status);
      }
      if (hazardDetail.get(key) !== 200) problems.push(`${email}: listed hazard ${id} answers ${hazardDetail.get(key)}`);
    }
    figures.listed += listed.log.size + listed.case.size + listed.control.size + listed.hazard.size;

    // The other way: sampled objects whose detail fails are listed nowhere.
    const hidden = async (kind: keyof typeof listed, id: string, response: Promise<Response>) => {
      figures.unlistedSampled++;
      const status = (await response).status;
      if (status === 200) return;
      figures.hiddenChecked++;
      if (status !== 404) problems.push(`${email}: ${kind} ${id} answers ${status} (expected 200 or 404)`);
      if (listed[kind].has(id)) problems.push(`${email}: ${kind} ${id} is listed but answers ${status}`);
    };
    for (const { id } of allLogs) await hidden("log", id, get(caller, hazardsRoute, `/api/v1/hazard-logs/${id}/hazards?limit=1`, id));
    for (const { id } of sampleHazards) await hidden("hazard", id, get(caller, hazardRoute, `/api/v1/hazards/${id}`, id));
    for (const { id } of allCases) await hidden("case", id, get(caller, caseRoute, `/api/v1/safety-cases/${id}`, id));
    for (const id of requestControls) await hidden("control", id, get(caller, controlEvidenceRoute, `/api/v1/controls/${id}/evidence`, id));
    // A random id is no different.
    const random = randomUUID();
    await hidden("hazard", random, get(caller, hazardRoute, `/api/v1/hazards/${random}`, random));
  }
  console.log(
    `list-vs-detail: ${figures.accounts} accounts; ${figures.listed} listed items, ${figures.detailChecks} detail checks; ${figures.unlistedSampled} sampled objects, ` +
      `${figures.hiddenChecked} of them unreadable and verified unlisted; ${calls} calls, ${fiveHundreds} 5xx; problems ${problems.length}`,
  );
  expect(problems).toEqual([]);
  expect(fiveHundreds).toBe(0);
  expect(figures.hiddenChecked).toBeGreaterThan(50);
}, 900_000);
