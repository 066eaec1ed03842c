// The audit page and its CSV: who may read which trail (contract §3: unreadable answers 404),
// what an entry shows, paging, the export's formula neutralisation, and that exporting is recorded.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { hazards } from "#db/schema/index.ts";
import { appendAudit } from "#app/audit.server.ts";
import { closeTestDb, openTestDb, type Db } from "#tests/setup/test-db.ts";
import { getHazard, logIdByTitle, patchHazard, SUPPLIER_LOG, tokenFor } from "../hazards/helpers.ts";
import { downloadCsv, openAuditPage, organisationId, sessionCookie } from "./helpers.ts";

const HARBOURSIDE_LOG = "Wessex Shared EPR — Harbourside DCB0160 hazard log";

let db: Db;
let supplierLog: string;
let hazardId: string;
let localHazardId: string;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  ({ db } = await openTestDb());
  supplierLog = await logIdByTitle(db, SUPPLIER_LOG);
  const [h] = await db.select().from(hazards).where(and(eq(hazards.hazardLogId, supplierLog), eq(hazards.ref, "H-001")));
  hazardId = h.id;
  const [local] = await db.select().from(hazards).where(eq(hazards.hazardLogId, await logIdByTitle(db, HARBOURSIDE_LOG)));
  localHazardId = local.id;
  for (const email of ["cso@supplier.example", "engineer@supplier.example", "cso@harbourside.example", "cso@northcliff.example", "auditor@icb.example", "approver@icb.example", "cso@othersupplier.example", "admin@supplier.example"])
    cookies[email] = await sessionCookie(db, email);
  // A spreadsheet formula in the owner and the reason: harmless on the page, neutralised in the CSV.
  const token = await tokenFor(db, "cso@supplier.example");
  const current = (await getHazard(token, hazardId)).body;
  const edited = await patchHazard(token, hazardId, { version: current.version, owner: "=SUM(A1:A9)", reason: "@Review after the March incident" });
  expect(edited.status).toBe(200);
});
afterAll(closeTestDb);

const hazardQuery = () => `entityType=hazard&entityId=${hazardId}`;
const pageOf = async (email: string, query: string) => {
  const res = await openAuditPage(cookies[email], query);
  return { status: res.status, body: res.status === 200 ? await res.json() : null };
};

describe("the audit page of a hazard", () => {
  test("shows the CSO the edit: when (UK time), who, organisation, action, old → new, why, request id", async () => {
    const { status, body } = await pageOf("cso@supplier.example", hazardQuery());
    expect(status).toBe(200);
    expect(body.scope).toEqual({ title: expect.stringMatching(/^H-001 /), parent: { label: SUPPLIER_LOG, href: `/hazard-logs/${supplierLog}` }, kind: "hazard" });
    expect(body.total).toBe(1);
    const [entry] = body.entries;
    expect(entry).toMatchObject({ who: "Dr James Whitfield", role: "cso", organisation: "Acme Health Systems Ltd", action: "hazard.updated", reason: "@Review after the March incident", requestId: "test-request" });
    expect(entry.changes).toContainEqual({ label: "Owner", from: expect.any(String), to: "=SUM(A1:A9)" });
    expect(entry.when).toMatch(/^\d{1,2} \w{3} \d{4}, \d\d:\d\d:\d\d (GMT|BST)$/);
    expect(entry.at).toMatch(/Z$/);
  });

  test("is readable by CSOs, approvers and viewers of organisations that read the hazard's log", async () => {
    for (const email of ["cso@harbourside.example", "auditor@icb.example", "approver@icb.example"]) {
      const { status, body } = await pageOf(email, hazardQuery());
      expect(status, email).toBe(200);
      expect(body.total, email).toBe(1);
    }
  });

  test("answers 404 to an organisation that may not read the hazard, exactly as for an unknown hazard", async () => {
    expect((await pageOf("cso@othersupplier.example", hazardQuery())).status).toBe(404);
    expect((await pageOf("cso@northcliff.example", `entityType=hazard&entityId=${localHazardId}`)).status).toBe(404);
    expect((await pageOf("cso@supplier.example", "entityType=hazard&entityId=00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await pageOf("cso@supplier.example", "entityType=hazard&entityId=not-an-id")).status).toBe(404);
  });

  test("answers 403 to a role that reads the log but not its audit trail", async () => {
    expect((await pageOf("engineer@supplier.example", hazardQuery())).status).toBe(403);
    expect((await pageOf("admin@supplier.example", hazardQuery())).status).toBe(403);
  });

  test("refuses a malformed filter with 400", async () => {
    expect((await pageOf("cso@supplier.example", `entityType=incident&entityId=${hazardId}`)).status).toBe(400);
    expect((await pageOf("cso@supplier.example", "entityType=hazard")).status).toBe(400);
  });
});

test("a log's trail holds the entries of its hazards", async () => {
  const { body } = await pageOf("auditor@icb.example", `entityType=hazard_log&entityId=${supplierLog}`);
  expect(body.scope.kind).toBe("hazard_log");
  expect(body.entries.map((e: { action: string }) => e.action)).toContain("hazard.updated");
});

test("with no entity: the active organisation's whole chain, paged 50 at a time, newest first", async () => {
  const org = await organisationId(db, "acme-health");
  for (let i = 1; i <= 60; i++)
    await db.transaction((tx) => appendAudit(tx, { organisationId: org, actor: { userId: null, name: "Bulk" }, action: "test.bulk", entityType: "hazard_log", entityId: supplierLog, changes: { i } }));
  const first = await pageOf("cso@supplier.example", "");
  expect(first.body).toMatchObject({ scope: { kind: "organisation", title: "Acme Health Systems Ltd" }, page: 1, pages: 2 });
  expect(first.body.entries).toHaveLength(50);
  expect(first.body.entries[0].changes).toEqual([{ label: "I", to: "60" }]);
  const second = await pageOf("cso@supplier.example", "page=2");
  expect(second.body.entries.at(-1).action).toBe("hazard.updated"); // the oldest
  expect((await pageOf("engineer@supplier.example", "")).status).toBe(403);
});

describe("the CSV export", () => {
  test("holds the same entries with UTC times, and neutralises formulas", async () => {
    const res = await downloadCsv(cookies["cso@supplier.example"], hazardQuery());
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toMatch(new RegExp(`^attachment; filename="audit-hazard-${hazardId}-\\d{4}-\\d\\d-\\d\\d\\.csv"$`));
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // a BOM, so Excel reads UTF-8
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
    expect(text.startsWith("\uFEFFWhen (UTC),Organisation,Sequence,User,User id,Role,Action,Entity type,Entity id,What changed,Reason,Request id,Entry hash\r\n")).toBe(true);
    const line = text.split("\r\n").find((l) => l.includes("hazard.updated"))!;
    expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z,Acme Health Systems Ltd,1,Dr James Whitfield,/);
    expect(line).toContain(",'@Review after the March incident,"); // a leading @ would run as a formula
    expect(line).toContain("→ =SUM(A1:A9)"); // inside a cell, not at its start: inert
    expect(line).toMatch(/,test-request,[0-9a-f]{64}$/);
  });

  test("is itself recorded, in the chain of the organisation that took it, and shows in the hazard's trail", async () => {
    const res = await downloadCsv(cookies["cso@harbourside.example"], hazardQuery());
    expect(res.status).toBe(200);
    await res.text();
    const { body } = await pageOf("cso@supplier.example", hazardQuery());
    expect(body.entries[0]).toMatchObject({ action: "audit.exported", who: expect.any(String), organisation: "Harbourside Hospital NHS Foundation Trust", requestId: "csv-request" });
  });

  test("follows the page's rules: 404 for other organisations, 403 for contributors", async () => {
    expect((await downloadCsv(cookies["cso@othersupplier.example"], hazardQuery())).status).toBe(404);
    expect((await downloadCsv(cookies["engineer@supplier.example"], hazardQuery())).status).toBe(403);
  });
});
