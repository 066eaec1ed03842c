// Stored text (issue 8, stored XSS): text holding HTML and script fragments, quotes, unicode and
// control characters is stored exactly — read back through the API it equals what was sent, after
// the one documented normalisation (leading and trailing white space trimmed) — or refused with a
// 400 naming the field, never a 5xx. In the PDF reports it appears as literal text. In CSV and xlsx
// exports a cell starting with = + - @ tab or CR is neutralised with a leading quote, and importing
// our own export gives the text back unchanged. The HTML pages are checked against the built server
// in tests/e2e/stored-xss.e2e.test.ts.
import fc from "fast-check";
import { parse } from "csv-parse/sync";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { closeTestDb, openTestDb, type Db } from "#tests/setup/test-db.ts";
import { BASE, bearer, context, jsonRequest, settle, userId } from "#tests/support/requests.ts";
import { startSession } from "#app/auth.server.ts";
import * as auditCsvRoute from "#app/routes/audit[.]csv.ts";
import { controls, evidenceRequests, hazardLogs, organisations } from "#db/schema/index.ts";
import { readSpreadsheet } from "#app/domain/spreadsheet.ts";
import * as createHazardRoute from "#app/routes/api.v1.hazard-logs.$id.hazards.ts";
import * as hazardRoute from "#app/routes/api.v1.hazards.$id.ts";
import * as incidentsRoute from "#app/routes/api.v1.hazards.$id.incidents.ts";
import * as casesRoute from "#app/routes/api.v1.safety-cases.ts";
import * as caseRoute from "#app/routes/api.v1.safety-cases.$id.ts";
import * as requestsRoute from "#app/routes/api.v1.controls.$id.evidence-requests.ts";
import { emptyLog, exportBytes, importVia, multipart } from "../import-export/helpers.ts";
import { getCaseReport, getLogReport, pdfRawText } from "../reports/pdf.ts";

let db: Db;
let auth: Record<string, string>;
let icbAuth: Record<string, string>;
let logId: string;
let controlId: string;
let supplierOrg: string;
let tried = 0;
let fiveHundreds = 0;
const tally = { stored: 0, refused: 0 };

const SUPPLIER_LOG = "Wessex Shared EPR — DCB0129 hazard log";

beforeAll(async () => {
  ({ db } = await openTestDb());
  auth = await bearer(db, "cso@supplier.example");
  icbAuth = await bearer(db, "cso@icb.example");
  logId = await emptyLog(db, "Stored text log");
  [{ id: supplierOrg }] = await db.select({ id: organisations.id }).from(organisations).where(eq(organisations.slug, "acme-health"));
  const [supplierLog] = await db.select().from(hazardLogs).where(eq(hazardLogs.title, SUPPLIER_LOG));
  [{ id: controlId }] = await db.select({ id: controls.id }).from(controls).where(eq(controls.hazardLogId, supplierLog.id)).limit(1);
});
afterAll(async () => {
  console.log(`stored text: ${tried} inputs tried, ${tally.stored} stored exactly, ${tally.refused} refused with 400, ${fiveHundreds} 5xx`);
  await closeTestDb();
});

type Route = { action?: (a: never) => Promise<unknown>; loader?: (a: never) => Promise<unknown> };
async function call(route: Route, kind: "action" | "loader", path: string, id: string, body?: unknown, headers = auth): Promise<Response> {
  const request = body === undefined ? new Request(`http://app.test${path}`, { headers }) : jsonRequest(path, "POST", body, headers);
  const response = await settle(() => route[kind]!({ request, params: { id }, context: context(`10.12.${tried % 250}.4`) } as never));
  if (response.status >= 500) fiveHundreds++;
  return response;
}

// HTML and script fragments, quotes, unicode (astral, combining, RTL, zero-width), control characters.
const FRAGMENTS = [
  "<script>alert(1)</script>", "</textarea><script>alert(document.cookie)</script>", `"><img src=x onerror=alert(1)>`, "<svg/onload=alert(1)>",
  "javascript:alert(1)", "&lt;b&gt;&amp;", "'single' \"double\" `back`", "</script><!--", "{{constructor.constructor('alert(1)')()}}",
  "𝕳𝖆𝖟𝖆𝖗𝖉 😷", "e\u0301", "\u202eevil\u202c", "\u200b\u200d", "Zoë Ångström – ‘curly’", "\u0007\u001b[31m", "\u0000", "\r\n", "\t",
];
const fragment = fc.constantFrom(...FRAGMENTS);
const piece = fc.oneof({ weight: 3, arbitrary: fragment }, { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 12 }) }, { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 8 }) });
/** Non-empty after trimming (every field here requires text), within the shortest limit (200). */
const nastyText = fc.array(piece, { minLength: 1, maxLength: 4 }).map((parts) => `T ${parts.join(" ")}`.slice(0, 190));

function names(text: string, field: string) {
  const fields = (JSON.parse(text) as { error?: { fields?: Record<string, string> } }).error?.fields ?? {};
  return Object.keys(fields).some((k) => k === field || k.startsWith(`${field}.`));
}

test("property: hazard text fields are stored exactly (trimmed) or refused naming the field", async () => {
  await fc.assert(
    fc.asyncProperty(nastyText, nastyText, nastyText, nastyText, nastyText, async (title, description, cause, effect, control) => {
      tried++;
      const body = { title, description, causes: [cause], effect, controls: [{ kind: "existing", type: "design", description: control }] };
      const res = await call(createHazardRoute, "action", `/api/v1/hazard-logs/${logId}/hazards`, logId, body);
      expect(res.status).toBeLessThan(500);
      if (res.status === 400) {
        const text = await res.text();
        expect(["title", "description", "causes", "effect", "controls"].some((f) => names(text, f)), text).toBe(true);
        tally.refused++;
        return;
      }
      expect(res.status).toBe(201);
      const { id } = (await res.json()) as { id: string };
      const got = (await (await call(hazardRoute, "loader", `/api/v1/hazards/${id}`, id)).json()) as { title: string; description: string; causes: string[]; effect: string; controls: { description: string }[] };
      expect(got.title).toBe(title.trim());
      expect(got.description).toBe(description.trim());
      expect(got.causes).toEqual([cause.trim()]);
      expect(got.effect).toBe(effect.trim());
      expect(got.controls.map((c) => c.description)).toEqual([control.trim()]);
      tally.stored++;
    }),
    { numRuns: 60 },
  );
}, 240_000);

test("property: incident text, evidence request text and safety case titles are stored exactly (trimmed) or refused", async () => {
  const hazard = (await (await call(createHazardRoute, "action", `/api/v1/hazard-logs/${logId}/hazards`, logId, { title: "Incident target" })).json()) as { id: string };
  await fc.assert(
    fc.asyncProperty(nastyText, nastyText, nastyText, async (incidentText, requestText, caseTitle) => {
      tried += 3;
      const incident = await call(incidentsRoute, "action", `/api/v1/hazards/${hazard.id}/incidents`, hazard.id, { kind: "harm", occurredOn: "2025-04-01", description: incidentText });
      if (incident.status === 201) {
        const { id } = (await incident.json()) as { id: string };
        const list = (await (await call(incidentsRoute, "loader", `/api/v1/hazards/${hazard.id}/incidents`, hazard.id)).json()) as { incidents: { id: string; description: string }[] };
        expect(list.incidents.find((i) => i.id === id)?.description).toBe(incidentText.trim());
        tally.stored++;
      } else {
        expect(incident.status, await incident.clone().text()).toBe(400);
        expect(names(await incident.text(), "description")).toBe(true);
        tally.refused++;
      }

      const request = await call(requestsRoute, "action", `/api/v1/controls/${controlId}/evidence-requests`, controlId, { fromOrganisationId: supplierOrg, description: requestText }, icbAuth);
      if (request.status === 201) {
        const { id, description } = (await request.json()) as { id: string; description: string };
        expect(description).toBe(requestText.trim());
        expect((await db.select().from(evidenceRequests).where(eq(evidenceRequests.id, id)))[0].description).toBe(requestText.trim());
        tally.stored++;
      } else {
        expect(request.status, await request.clone().text()).toBe(400);
        expect(names(await request.text(), "description")).toBe(true);
        tally.refused++;
      }

      const created = await call(casesRoute, "action", "/api/v1/safety-cases", "", { hazardLogId: logId, title: caseTitle });
      if (created.status === 201) {
        const { id } = (await created.json()) as { id: string };
        const got = (await (await call(caseRoute, "loader", `/api/v1/safety-cases/${id}`, id)).json()) as { title: string };
        expect(got.title).toBe(caseTitle.trim());
        tally.stored++;
      } else {
        expect(created.status, await created.clone().text()).toBe(400);
        expect(names(await created.text(), "title")).toBe(true);
        tally.refused++;
      }
    }),
    { numRuns: 30 },
  );
}, 240_000);

// Fragments without spaces, so PDF line wrapping cannot split them.
const PDF_PAYLOADS = ["<script>alert('x')</script>", `"><img/src=x/onerror=alert(1)>`, "&lt;b&gt;&amp;&quot;", "<svg/onload=alert(1)>"];

test("PDF reports show HTML and script fragments as literal text (hazard log report, safety case report)", async () => {
  const pdfLog = await emptyLog(db, "PDF payload log");
  const token = auth.Authorization.slice("Bearer ".length);
  for (const [i, p] of PDF_PAYLOADS.entries()) {
    tried++;
    const res = await call(createHazardRoute, "action", `/api/v1/hazard-logs/${pdfLog}/hazards`, pdfLog, {
      title: `Title${i} ${p}`, description: `Description${i} ${p}`, causes: [`Cause${i} ${p}`], controls: [{ kind: "existing", type: "design", description: `Control${i} ${p}` }],
    });
    expect(res.status).toBe(201);
  }
  const log = await getLogReport(token, pdfLog);
  expect(log.status).toBe(200);
  const text = pdfRawText(log.bytes);
  for (const p of PDF_PAYLOADS) {
    expect(text, `hazard log report shows ${p}`).toContain(p);
    if (p.includes("<")) expect(text).not.toContain(p.replace(/</g, "&lt;").replace(/>/g, "&gt;")); // not HTML-escaped either: literal
  }
  const created = (await (await call(casesRoute, "action", "/api/v1/safety-cases", "", { hazardLogId: pdfLog, title: `Case ${PDF_PAYLOADS[0]}` })).json()) as { id: string };
  const report = await getCaseReport(token, created.id);
  expect(report.status).toBe(200);
  const caseText = pdfRawText(report.bytes);
  expect(caseText).toContain(PDF_PAYLOADS[0]);
  for (const p of PDF_PAYLOADS) expect(caseText, `safety case report shows ${p}`).toContain(p);
}, 120_000);

const DANGEROUS = /^[=+\-@\t\r]/;
const formulaText = fc
  .tuple(fc.constantFrom("=", "+", "-", "@", "\t=", "\r=", "'=", "''+", "=HYPERLINK(\"http://evil.example\",\"x\")", "=cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "-2+3"), fc.string({ unit: "grapheme-ascii", maxLength: 20 }))
  .map(([head, tail]) => `${head}${tail}`);

test("property: CSV and xlsx exports neutralise formula cells, and importing our own export gives the text back", async () => {
  let files = 0;
  await fc.assert(
    fc.asyncProperty(formulaText, formulaText, formulaText, fc.constantFrom("csv" as const, "xlsx" as const), async (title, description, owner, format) => {
      tried++;
      const log = await emptyLog(db, `Formula log ${++files}`);
      const sent = { title, description, owner, effect: title, harm: description };
      const res = await call(createHazardRoute, "action", `/api/v1/hazard-logs/${log}/hazards`, log, sent);
      if (res.status === 400) return void tally.refused++;
      expect(res.status).toBe(201);
      const hazard = (await res.json()) as { id: string; title: string; description: string; owner: string; effect: string; harm: string };
      const bytes = await exportBytes(db, "cso@supplier.example", log, format);
      // Every cell of the file: none may start a formula (the risk columns are numbers, dates start with a digit).
      const cells = format === "csv" ? (parse(Buffer.from(bytes).toString("utf8").replace(/^\uFEFF/, ""), { relax_column_count: true }) as string[][]).flat() : (await readSpreadsheet(bytes, "x.xlsx")).rows.flatMap((r) => Object.values(r.cells));
      const live = cells.filter((c) => typeof c === "string" && DANGEROUS.test(c));
      expect(live, `${format} cells starting a formula`).toEqual([]);
      const imported = await importVia(db, "cso@supplier.example", log, multipart(bytes, `own.${format}`));
      expect(imported, JSON.stringify(imported.body)).toMatchObject({ status: 200, body: { created: 0, updated: 0 } });
      const got = (await (await call(hazardRoute, "loader", `/api/v1/hazards/${hazard.id}`, hazard.id)).json()) as typeof hazard;
      const text = (h: typeof hazard) => ({ title: h.title, description: h.description, owner: h.owner, effect: h.effect, harm: h.harm });
      expect(text(got)).toEqual(text(hazard));
      expect(text(hazard)).toEqual({ title: title.trim(), description: description.trim(), owner: owner.trim() || null, effect: title.trim(), harm: description.trim() });
      tally.stored++;
    }),
    { numRuns: 24 },
  );
}, 300_000);

test("the audit trail's CSV export neutralises formula cells from user text", async () => {
  const payloads = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-2+3", "@SUM(1)", "=cmd|' /C calc'!A0"];
  const res = await call(createHazardRoute, "action", `/api/v1/hazard-logs/${logId}/hazards`, logId, { title: payloads[0], description: payloads[1], effect: payloads[2], harm: payloads[3], causes: [payloads[4]] });
  expect(res.status).toBe(201);
  const { id } = (await res.json()) as { id: string };
  tried++;
  const cookie = (await startSession(new Request(BASE), await userId(db, "cso@supplier.example"))).split(";")[0];
  const csv = await settle(() => auditCsvRoute.loader({ request: new Request(`${BASE}/audit.csv?entityType=hazard&entityId=${id}`, { headers: { Cookie: cookie } }), params: {}, context: context() } as never));
  expect(csv.status).toBe(200);
  const text = await csv.text();
  expect(text).toContain("HYPERLINK");
  const cells = (parse(text.replace(/^\uFEFF/, ""), { relax_column_count: true }) as string[][]).flat();
  expect(cells.filter((c) => DANGEROUS.test(c))).toEqual([]);
});
