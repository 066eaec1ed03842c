// The hazard log report (current content or an issued version by its baseline version) and the ICB
// board assurance report: who may read them (404 otherwise), what they show, DRAFT only when not issued.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "#db/client.ts";
import { baselines, platforms } from "#db/schema/index.ts";
import * as issueRoute from "#app/routes/api.v1.hazard-logs.$id.issue.ts";
import { closeTestDb, openTestDb } from "#tests/setup/test-db.ts";
import { ICB_LOG, logIdByTitle, SUPPLIER_LOG, tokenFor } from "../hazards/helpers.ts";
import { dump, getBoardReport, getLogReport, pdfInfo, pdfRawText, pdfText } from "./pdf.ts";

let db: Db;
let supplierLog: string;
let icbLog: string;
const t: Record<string, string> = {};

beforeAll(async () => {
  ({ db } = await openTestDb());
  supplierLog = await logIdByTitle(db, SUPPLIER_LOG);
  icbLog = await logIdByTitle(db, ICB_LOG);
  for (const [k, email] of Object.entries({ supplierCso: "cso@supplier.example", icbCso: "cso@icb.example", harbour: "cso@harbourside.example", other: "cso@othersupplier.example" }))
    t[k] = await tokenFor(db, email);
});
afterAll(closeTestDb);

async function issue(token: string, id: string, body: unknown) {
  const request = new Request(`http://localhost/api/v1/hazard-logs/${id}/issue`, { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const res = await issueRoute.action({ request, params: { id }, context: { requestId: "t", cspNonce: "n", clientIp: "127.0.0.1" } } as never);
  return res.json();
}

it("the current content: every hazard, DRAFT on every page; 404 for another organisation", async () => {
  const res = await getLogReport(t.harbour, supplierLog);
  expect(res.status).toBe(200);
  expect(res.type).toBe("application/pdf");
  dump("log-current.pdf", res.bytes);
  const text = pdfRawText(res.bytes);
  const pages = text.split("\f").filter((p) => p.trim());
  expect(pages.length).toBe(Number(pdfInfo(res.bytes).Pages));
  for (const page of pages) expect(page).toContain("DRAFT — current working content");
  for (let n = 1; n <= 30; n++) expect(text).toContain(`H-${String(n).padStart(3, "0")}`);
  expect((await getLogReport(t.other, supplierLog)).status).toBe(404);
});

it("an issued version by its baseline number: that baseline's hash, no DRAFT; unknown or bad versions refused", async () => {
  const submitted = await issue(t.supplierCso, supplierLog, { type: "SUBMIT_FOR_REVIEW", expectedVersion: 0 });
  const issued = await issue(t.supplierCso, supplierLog, { type: "ISSUE", expectedVersion: submitted.version });
  expect(issued.state).toBe("issued");
  const version = issued.issued[0].hazardLogVersion;
  const res = await getLogReport(t.icbCso, supplierLog, String(version));
  expect(res.status).toBe(200);
  dump("log-issued.pdf", res.bytes);
  const text = pdfText(res.bytes);
  expect(text).not.toMatch(/\bDRAFT\b/);
  const [b] = await db.select().from(baselines).where(eq(baselines.sha256, issued.issued[0].sha256));
  expect(text).toContain(b.sha256);
  for (const h of JSON.parse(b.content).hazards as { ref: string }[]) expect(text).toMatch(new RegExp(`\\b${h.ref}\\b`));
  expect(text).toContain(`Baseline version ${version} (issued)`);
  expect(pdfInfo(res.bytes).Title).toBe(`Hazard log report: ${SUPPLIER_LOG}`);
  expect((await getLogReport(t.icbCso, supplierLog, "99")).status).toBe(404);
  expect((await getLogReport(t.icbCso, supplierLog, "one")).status).toBe(400);
  expect((await getLogReport(t.other, supplierLog, String(version))).status).toBe(404);
});

it("the board assurance report: sign-off per organisation, principal risks, gaps and actions; 404 for an outsider", async () => {
  const [platform] = await db.select().from(platforms);
  const res = await getBoardReport(t.icbCso, platform.id);
  expect(res.status).toBe(200);
  expect(res.type).toBe("application/pdf");
  dump("board.pdf", res.bytes);
  const text = pdfRawText(res.bytes);
  for (const heading of ["1. Sign-off status per organisation", "2. Principal risks", "3. Gaps in control", "4. Mitigating actions"]) expect(text).toContain(heading);
  for (const org of ["Acme Health Systems Ltd", "NHS Wessex Coast ICB", "Harbourside Hospital NHS Foundation Trust", "Northcliff Community Health NHS Trust"]) expect(text).toContain(org);
  expect(text).not.toMatch(/\bDRAFT\b/);
  expect((await getBoardReport(t.other, platform.id)).status).toBe(404);
  expect((await getBoardReport(t.icbCso, "00000000-0000-4000-8000-000000000000")).status).toBe(404);
  // The supplier reads its own log and the ICB's shared log, never a trust's local log.
  const supplier = pdfRawText((await getBoardReport(t.supplierCso, platform.id)).bytes);
  expect(supplier).toContain(ICB_LOG.split(" — ")[1]);
  expect(supplier).not.toMatch(/local DCB0160/i);
  expect(icbLog).toBeTruthy();
});
