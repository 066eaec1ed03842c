// Safety-case sign-off through the API (contract §4, issue 4): submit freezes a baseline, each required
// signatory signs with their password and a meaning, the last signature approves; wrong password,
// stale version, double signing, contributor signing and changes after signing.
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "#db/client.ts";
import { auditEntries, baselines, signatures, safetyCases } from "#db/schema/index.ts";
import { closeTestDb, openTestDb } from "#tests/setup/test-db.ts";
import { ICB_LOG, logIdByTitle, patchHazard, listHazards, SUPPLIER_LOG, tokenFor } from "../hazards/helpers.ts";
import { createCase, getCase, sendEvent, sign } from "./helpers.ts";

let db: Db;
let supplierLog: string;
let icbLog: string;
const t: Record<string, string> = {};

beforeAll(async () => {
  ({ db } = await openTestDb());
  supplierLog = await logIdByTitle(db, SUPPLIER_LOG);
  icbLog = await logIdByTitle(db, ICB_LOG);
  for (const [k, email] of Object.entries({
    supplierCso: "cso@supplier.example",
    engineer: "engineer@supplier.example",
    icbCso: "cso@icb.example",
    icbApprover: "approver@icb.example",
    auditor: "auditor@icb.example",
    harbour: "cso@harbourside.example",
    northcliff: "cso@northcliff.example",
    other: "cso@othersupplier.example",
  }))
    t[k] = await tokenFor(db, email);
});
afterAll(closeTestDb);

async function signatureCount(caseId: string) {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(signatures).where(eq(signatures.safetyCaseId, caseId));
  return row.n;
}

describe("a supplier (platform) safety case", () => {
  let caseId: string;

  it("starts in draft with the supplier CSO as the one required signatory", async () => {
    const res = await createCase(t.supplierCso, supplierLog);
    expect(res.status).toBe(201);
    caseId = res.body.id;
    expect(res.body).toMatchObject({ state: "draft", version: 1, baseline: null, signatures: [] });
    expect(res.body.requiredSignatories).toHaveLength(1);
    expect(res.body.requiredSignatories[0]).toMatchObject({ role: "cso", organisationName: "Acme Health Systems Ltd" });
    expect(res.body.allowedEvents).toEqual(expect.arrayContaining(["SUBMIT", "EDIT_SIGNATORIES"]));
  });

  it("only the owning organisation's CSO starts a case (contributor 403, other org 404)", async () => {
    expect((await createCase(t.engineer, supplierLog)).status).toBe(403);
    expect((await createCase(t.other, supplierLog)).status).toBe(404);
    expect((await createCase(t.icbCso, supplierLog)).status).toBe(403);
  });

  it("SUBMIT freezes a baseline whose hash is the SHA-256 of its stored canonical content", async () => {
    const res = await sendEvent(t.supplierCso, caseId, { type: "SUBMIT", expectedVersion: 1 });
    expect(res.status).toBe(200);
    expect(res.body.state).toBe("in_review");
    expect(res.body.version).toBe(2);
    expect(res.body.baseline.sha256).toMatch(/^[0-9a-f]{64}$/);
    const [b] = await db.select().from(baselines).where(eq(baselines.sha256, res.body.baseline.sha256));
    const { createHash } = await import("node:crypto");
    expect(createHash("sha256").update(b.content).digest("hex")).toBe(b.sha256);
    expect(JSON.parse(b.content).hazards).toHaveLength(b.hazardCount);
  });

  it("a wrong password answers 401 and records nothing", async () => {
    const before = await signatureCount(caseId);
    const res = await sign(t.supplierCso, caseId, "approved", "not-my-password");
    expect(res.status).toBe(401);
    expect(await signatureCount(caseId)).toBe(before);
    expect((await getCase(t.supplierCso, caseId)).body.version).toBe(2);
  });

  it("a stale expectedVersion answers 409 with the current case", async () => {
    const res = await sendEvent(t.supplierCso, caseId, { type: "SIGN", expectedVersion: 1, password: "demo-password", meaning: "approved" });
    expect(res.status).toBe(409);
    expect(res.body.error.current.version).toBe(2);
  });

  it("a contributor may not sign (403); a missing meaning is a 400", async () => {
    expect((await sign(t.engineer, caseId)).status).toBe(403);
    const res = await sendEvent(t.supplierCso, caseId, { type: "SIGN", expectedVersion: 2, password: "demo-password" });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.meaning).toBeTruthy();
  });

  it("the CSO's signature approves it, with the signature's manifestation", async () => {
    const res = await sign(t.supplierCso, caseId, "approved");
    expect(res.status).toBe(200);
    expect(res.body.state).toBe("approved");
    expect(res.body.signatures).toHaveLength(1);
    expect(res.body.signatures[0]).toMatchObject({
      user: { name: expect.any(String) }, organisation: { name: "Acme Health Systems Ltd" }, role: "cso", meaning: "approved", sha256: res.body.baseline.sha256,
    });
    expect(new Date(res.body.signatures[0].signedAt).toISOString()).toBe(res.body.signatures[0].signedAt);
    expect(res.body.allowedEvents).toEqual([]);
  });

  it("signing twice answers 422", async () => {
    const res = await sign(t.supplierCso, caseId);
    expect(res.status).toBe(422);
    expect(await signatureCount(caseId)).toBe(1);
  });

  it("a change to the log after approval keeps the signature and shows re-signature needed", async () => {
    const list = await listHazards(t.supplierCso, supplierLog, { limit: "1" });
    const h = list.body.items[0];
    const edit = await patchHazard(t.supplierCso, h.id, { version: h.version, owner: "Changed after sign-off", reason: "Owner changed" });
    expect(edit.status).toBe(200);
    const after = await getCase(t.supplierCso, caseId);
    expect(after.body.state).toBe("approved");
    expect(after.body.signatures).toHaveLength(1);
    expect(after.body.reSignatureNeeded).toBe(true);
  });

  it("every step is in the audit trail", async () => {
    const rows = await db.select().from(auditEntries).where(and(eq(auditEntries.entityType, "safety_case"), eq(auditEntries.entityId, caseId)));
    expect(rows.map((r) => (r.entry as { action: string }).action)).toEqual(["safety_case.created", "safety_case.submit", "safety_case.sign"]);
  });
});

describe("the ICB's shared safety case", () => {
  let caseId: string;

  it("needs the ICB CSO, the ICB approver and each deploying trust's CSO", async () => {
    const res = await createCase(t.icbCso, icbLog, "Shared safety case");
    expect(res.status).toBe(201);
    caseId = res.body.id;
    const slots = res.body.requiredSignatories.map((s: { organisationName: string; role: string }) => `${s.organisationName}/${s.role}`).sort();
    expect(slots).toEqual([
      "Harbourside Hospital NHS Foundation Trust/cso",
      "NHS Wessex Coast ICB/approver",
      "NHS Wessex Coast ICB/cso",
      "Northcliff Community Health NHS Trust/cso",
    ]);
  });

  it("only the owner's CSO submits; a trust CSO cannot (403)", async () => {
    expect((await sendEvent(t.harbour, caseId, { type: "SUBMIT", expectedVersion: 1 })).status).toBe(403);
    expect((await sendEvent(t.icbCso, caseId, { type: "SUBMIT", expectedVersion: 1 })).status).toBe(200);
  });

  it("signing before every slot is filled leaves it in review; a viewer cannot sign", async () => {
    expect((await sign(t.auditor, caseId)).status).toBe(403);
    expect((await sendEvent(t.other, caseId, { type: "SIGN", expectedVersion: 2, password: "demo-password", meaning: "approved" })).status).toBe(404);
    const one = await sign(t.harbour, caseId, "accepted_on_behalf_of_organisation");
    expect(one.status).toBe(200);
    expect(one.body.state).toBe("in_review");
    expect(one.body.requiredSignatories.filter((s: { signed: boolean }) => s.signed)).toHaveLength(1);
  });

  it("a change to the log while in review returns it to draft; signatures stay with the old baseline", async () => {
    const list = await listHazards(t.icbCso, icbLog, { limit: "1" });
    const h = list.body.items[0];
    const edit = await patchHazard(t.icbCso, h.id, { version: h.version, owner: "ICB clinical safety team", reason: "Owner confirmed" });
    expect(edit.status).toBe(200);
    const c = await getCase(t.icbCso, caseId);
    expect(c.body.state).toBe("draft");
    expect(c.body.returnReason).toMatch(/re-signature needed/);
    expect(c.body.signatures).toEqual([]);
    expect(c.body.supersededSignatures).toHaveLength(1);
    expect(c.body.supersededSignatures[0].hazardLogVersion).toBe(1);
  });

  it("after re-submission on the new baseline everyone signs again; the last signature approves", async () => {
    const c = await getCase(t.icbCso, caseId);
    const sub = await sendEvent(t.icbCso, caseId, { type: "SUBMIT", expectedVersion: c.body.version });
    expect(sub.status).toBe(200);
    expect(sub.body.baseline.hazardLogVersion).toBe(2);
    for (const who of ["icbCso", "icbApprover", "harbour"]) {
      const res = await sign(t[who], caseId);
      expect(res.status, who).toBe(200);
      expect(res.body.state).toBe("in_review");
    }
    const last = await sign(t.northcliff, caseId);
    expect(last.status).toBe(200);
    expect(last.body.state).toBe("approved");
    expect(last.body.signatures).toHaveLength(4);
    expect(new Set(last.body.signatures.map((s: { sha256: string }) => s.sha256))).toEqual(new Set([sub.body.baseline.sha256]));
  });

  it("request changes needs a comment and returns the case to its owner with it", async () => {
    const created = await createCase(t.icbCso, icbLog, "Second shared case");
    const id = created.body.id;
    await sendEvent(t.icbCso, id, { type: "SUBMIT", expectedVersion: 1 });
    expect((await sendEvent(t.harbour, id, { type: "REQUEST_CHANGES", expectedVersion: 2 })).status).toBe(400);
    const res = await sendEvent(t.harbour, id, { type: "REQUEST_CHANGES", expectedVersion: 2, comment: "Add the local downtime hazard" });
    expect(res.status).toBe(200);
    expect(res.body.state).toBe("draft");
    expect(res.body.changeRequest).toMatchObject({ comment: "Add the local downtime hazard" });
  });
});

describe("the database keeps signed rows read-only", () => {
  it("refuses UPDATE and DELETE of a signature and a baseline", async () => {
    for (const statement of [sql`update signatures set meaning = 'reviewed'`, sql`delete from signatures`, sql`update baselines set sha256 = 'x'`, sql`delete from baselines`]) {
      const error = await db.execute(statement).then(() => null, (e: Error & { cause?: Error }) => e);
      expect(String(error?.cause?.message ?? error?.message)).toMatch(/read-only/);
    }
    // The app role may not truncate at all; as the owner, the trigger refuses (audit/read-only.test.ts).
    const truncate = await db.execute(sql`truncate signatures`).then(() => null, (e: Error & { cause?: Error }) => e);
    expect(String(truncate?.cause?.message ?? truncate?.message)).toMatch(/permission denied/);
    const [n] = await db.select({ n: sql<number>`count(*)::int` }).from(safetyCases);
    expect(n.n).toBeGreaterThan(0);
  });
});

