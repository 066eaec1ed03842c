// The Clinical Safety Case Report (issue 7): drawn from the frozen baseline (or, for a draft case
// without one, the current content), every hazard ref present, each signature's manifestation,
// DRAFT on every page until approved and never after, page count, byte-identical output for the
// same baseline and clock, and 404 for an organisation that may not read the log.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "#db/client.ts";
import { baselines, safetyCases, users } from "#db/schema/index.ts";
import { getSafetyCaseReportData, toBuffer } from "#app/reports.server.ts";
import { renderSafetyCaseReport } from "#app/reports/safety-case-report.ts";
import { closeTestDb, openTestDb } from "#tests/setup/test-db.ts";
import { sessionUserFor } from "#tests/support/requests.ts";
import { ICB_LOG, logIdByTitle, SUPPLIER_LOG, tokenFor } from "../hazards/helpers.ts";
import { createCase, sendEvent, sign } from "../safety-cases/helpers.ts";
import { dump, getCaseReport, pdfFonts, pdfInfo, pdfRawText, pdfText } from "./pdf.ts";

let db: Db;
let supplierLog: string;
let icbLog: string;
const t: Record<string, string> = {};
const NOW = new Date("2025-06-02T09:30:00.000Z");

beforeAll(async () => {
  ({ db } = await openTestDb());
  supplierLog = await logIdByTitle(db, SUPPLIER_LOG);
  icbLog = await logIdByTitle(db, ICB_LOG);
  for (const [k, email] of Object.entries({ supplierCso: "cso@supplier.example", icbCso: "cso@icb.example", harbour: "cso@harbourside.example", other: "cso@othersupplier.example" }))
    t[k] = await tokenFor(db, email);
});
afterAll(closeTestDb);

async function baselineOf(caseId: string) {
  const [row] = await db.select().from(safetyCases).where(eq(safetyCases.id, caseId));
  const [b] = await db.select().from(baselines).where(eq(baselines.id, row.baselineId!));
  return { ...b, refs: (JSON.parse(b.content).hazards as { ref: string }[]).map((h) => h.ref) };
}

/** Every page's footer says "Page n of N", and N is pdfinfo's page count. */
function expectFooters(text: string, pages: number) {
  for (let n = 1; n <= pages; n++) expect(text).toContain(`Page ${n} of ${pages}`);
}

const pageTexts = (text: string) => text.split("\f").filter((p) => p.trim());

describe("a draft case with no baseline", () => {
  let caseId: string;

  it("is drawn from the log's current content and says DRAFT on every page", async () => {
    caseId = (await createCase(t.supplierCso, supplierLog, "Release 4.2 go-live")).body.id;
    const res = await getCaseReport(t.supplierCso, caseId);
    expect(res.status).toBe(200);
    expect(res.type).toBe("application/pdf");
    expect(res.disposition).toMatch(/^attachment; filename="safety-case-release-4-2-go-live-draft\.pdf"$/);
    expect(res.bytes.subarray(0, 5).toString()).toBe("%PDF-");
    dump("case-draft.pdf", res.bytes);
    const text = pdfText(res.bytes);
    const pages = pageTexts(text);
    expect(pages.length).toBe(Number(pdfInfo(res.bytes).Pages));
    for (const page of pages) expect(page).toMatch(/DRAFT — not approved/);
    expect(text).toContain("Not yet signed");
    expect(text).toContain("current content, not frozen");
  });

  it("another organisation gets 404, exactly as for a case that does not exist", async () => {
    const other = await getCaseReport(t.other, caseId);
    expect(other.status).toBe(404);
    expect(JSON.parse(other.bytes.toString()).error.code).toBe("not_found");
    expect((await getCaseReport(t.supplierCso, "00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await getCaseReport(t.supplierCso, "not-a-uuid")).status).toBe(404);
  });
});

describe("an approved supplier case", () => {
  let caseId: string;
  let pdf: Buffer;

  it("create → SUBMIT → SIGN approves it; the report shows every baseline hazard and no DRAFT", async () => {
    caseId = (await createCase(t.supplierCso, supplierLog, "Approved case")).body.id;
    expect((await sendEvent(t.supplierCso, caseId, { type: "SUBMIT", expectedVersion: 1 })).status).toBe(200);
    const signed = await sign(t.supplierCso, caseId, "approved");
    expect(signed.body.state).toBe("approved");
    const res = await getCaseReport(t.supplierCso, caseId);
    expect(res.status).toBe(200);
    pdf = res.bytes;
    dump("case-approved.pdf", pdf);
    const text = pdfText(pdf);
    expect(text).not.toMatch(/\bDRAFT\b/); // the banner word (hazard text may say "draft")
    const b = await baselineOf(caseId);
    expect(b.refs.length).toBeGreaterThanOrEqual(25);
    for (const ref of b.refs) expect(text).toMatch(new RegExp(`\\b${ref}\\b`));
    expect(text).toContain(b.sha256); // document control, configuration control and the signature
    expect(text).toContain(`SHA-256 ${b.sha256.slice(0, 12)}`); // every footer
  });

  it("the signature's manifestation: printed name, organisation and role, meaning, UTC time, baseline hash", async () => {
    const text = pdfRawText(pdf);
    const signature = (await getSafetyCaseReportData(await sessionUserFor(db, "cso@supplier.example"), caseId)).slots[0].signature!;
    const [u] = await db.select().from(users).where(eq(users.email, "cso@supplier.example"));
    expect(signature.name).toBe(u.name);
    const signedUtc = signature.signedAt.replace("T", " ").replace(/\.\d+Z$/, " UTC");
    const page = pageTexts(text).find((p) => p.includes("signatures"))!;
    expect(page).toContain(u.name);
    expect(page).toContain("Organisation: Acme Health Systems Ltd");
    expect(page).toContain("Role: Clinical safety officer");
    expect(page).toContain("Meaning: Approved");
    expect(page).toContain(`Signed: ${signedUtc}`);
    expect(page).toMatch(new RegExp(`SHA-256 ${signature.sha256}`));
    expect(page).not.toContain("Not yet signed");
  });

  it("sections follow the CSCR order; fonts are embedded; metadata is set", async () => {
    const text = pdfRawText(pdf);
    const order = ["Document control", "1. Introduction and scope", "2. System description", "3. Clinical risk management system", "4. Risk matrix used", "5. Hazard summary", "6. Hazard log", "7. Open and transferred items", "8. Evidence", "9. Summary safety statement", "10. Configuration control", "11. Quality assurance and document approval: signatures"];
    const at = order.map((h) => text.indexOf(h));
    for (const i of at) expect(i).toBeGreaterThanOrEqual(0);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    const fonts = pdfFonts(pdf);
    expect(fonts).toMatch(/DejaVuSans\b.*yes\s+yes/);
    expect(fonts).toMatch(/DejaVuSans-Bold.*yes\s+yes/);
    const info = pdfInfo(pdf);
    expect(info.Title).toBe("Clinical Safety Case Report: Approved case");
    expect(info.Author).toBe("Acme Health Systems Ltd");
    expect(info.Subject).toMatch(/DCB0129/);
    expectFooters(pdfText(pdf), Number(info.Pages));
    expect(Number(info.Pages)).toBeGreaterThanOrEqual(6);
  });

  it("is byte-identical for the same baseline and the same clock, and differs with another clock", async () => {
    const user = await sessionUserFor(db, "cso@icb.example"); // any reader gets the same document
    const data = await getSafetyCaseReportData(user, caseId);
    const a = await toBuffer(renderSafetyCaseReport(data, { now: NOW }));
    const b = await toBuffer(renderSafetyCaseReport(await getSafetyCaseReportData(await sessionUserFor(db, "cso@supplier.example"), caseId), { now: NOW }));
    expect(a.equals(b)).toBe(true);
    const c = await toBuffer(renderSafetyCaseReport(data, { now: new Date(NOW.getTime() + 1000) }));
    expect(c.equals(a)).toBe(false);
    expect(pdfInfo(a).CreationDate).toMatch(/2025/);
  });

  it("readers in other organisations of the platform may download it; the other supplier may not", async () => {
    expect((await getCaseReport(t.icbCso, caseId)).status).toBe(200);
    expect((await getCaseReport(t.harbour, caseId)).status).toBe(200);
    expect((await getCaseReport(t.other, caseId)).status).toBe(404);
  });
});

describe("a shared case in review", () => {
  it("shows the ICB CSO's signature, an empty slot for each missing signatory and DRAFT on every page", async () => {
    const caseId = (await createCase(t.icbCso, icbLog, "Shared case in review")).body.id;
    expect((await sendEvent(t.icbCso, caseId, { type: "SUBMIT", expectedVersion: 1 })).status).toBe(200);
    expect((await sign(t.icbCso, caseId, "reviewed")).body.state).toBe("in_review");
    const res = await getCaseReport(t.harbour, caseId);
    expect(res.status).toBe(200);
    dump("case-in-review.pdf", res.bytes);
    const text = pdfRawText(res.bytes);
    for (const page of pageTexts(text)) expect(page).toContain("DRAFT");
    expect(text).toContain("Meaning: Reviewed");
    expect(text.match(/Not yet signed/g)).toHaveLength(3); // ICB approver and both trusts' CSOs
    const b = await baselineOf(caseId);
    for (const ref of b.refs) expect(text).toMatch(new RegExp(`\\b${ref}\\b`));
    expect((await getCaseReport(t.other, caseId)).status).toBe(404);
  });
});
