// The evidence journey through the API: the ICB's CSO (an organisation inheriting the supplier's
// hazard) requests evidence from the supplier; the supplier's engineer uploads; the ICB's CSO
// rejects with a reason, the engineer sends again, the CSO accepts. Effects on the request, the
// hazard's evidenceIds, the Verified rule, the baseline, the audit chain and who may see it all.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "#db/client.ts";
import { auditEntries, evidence, evidenceRequests, hazards } from "#db/schema/index.ts";
import { logContent } from "#app/baselines.server.ts";
import { baselineEvidenceList } from "#app/evidence-views.server.ts";
import { closeTestDb, openTestDb } from "#tests/setup/test-db.ts";
import { getHazard, patchHazard } from "../hazards/helpers.ts";
import { PDF, TXT, download, listEvidence, organisationId, requestEvidence, review, sha256, supplierControls, tokenFor, upload } from "./helpers.ts";

let db: Db;
let controlId: string;
let hazardId: string;
let supplier: string;
const t: Record<string, string> = {};
const ids: Record<string, string> = {};

beforeAll(async () => {
  ({ db } = await openTestDb());
  const [first] = (await supplierControls(db)).filter((c) => c.state !== "verified");
  ({ controlId, hazardId } = first);
  supplier = await organisationId(db, "acme-health");
  for (const [k, email] of Object.entries({
    icb: "cso@icb.example", engineer: "engineer@supplier.example", cso: "cso@supplier.example", harbour: "cso@harbourside.example",
    auditor: "auditor@icb.example", other: "cso@othersupplier.example",
  }))
    t[k] = await tokenFor(db, email);
});
afterAll(closeTestDb);

describe("request → upload → reject → upload again → accept", () => {
  it("lets the ICB CSO request evidence from the supplier, and checks the request", async () => {
    expect((await requestEvidence(controlId, t.engineer, { fromOrganisationId: supplier, description: "x" })).status).toBe(403);
    expect((await requestEvidence(controlId, t.auditor, { fromOrganisationId: supplier, description: "x" })).status).toBe(403);
    expect((await requestEvidence(controlId, t.other, { fromOrganisationId: supplier, description: "x" })).status).toBe(404);
    const bad = await requestEvidence(controlId, t.icb, { fromOrganisationId: await organisationId(db, "other-supplier"), description: "", dueDate: "2026-02-30" });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(["description", "dueDate"]);
    const res = await requestEvidence(controlId, t.icb, { fromOrganisationId: supplier, description: "Test report showing the banner stays pinned", dueDate: "2026-03-31" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ state: "open", fromOrganisationId: supplier });
    ids.request = res.body.id;
  });

  it("lets the supplier's engineer upload against the request", async () => {
    const res = await upload(controlId, t.engineer, { bytes: PDF, name: "first.pdf" }, { description: "Draft test report", requestId: ids.request });
    expect(res.status).toBe(201);
    ids.first = res.body.id;
    const unknownRequest = await upload(controlId, t.engineer, { bytes: PDF, name: "x.pdf" }, { description: "x", requestId: "00000000-0000-4000-8000-000000000000" });
    expect(unknownRequest.status).toBe(400);
  });

  it("shows pending evidence on the hazard's control, before any review", async () => {
    const h = await getHazard(t.auditor, hazardId);
    expect(h.body.controls.find((c: { id: string }) => c.id === controlId).evidenceIds).toContain(ids.first);
  });

  it("refuses a review by the supplier (not the requester), and a rejection without a reason", async () => {
    expect((await review(ids.first, t.cso, { decision: "accept" })).status).toBe(403);
    expect((await review(ids.first, t.engineer, { decision: "accept" })).status).toBe(403);
    const noReason = await review(ids.first, t.icb, { decision: "reject" });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.fields.reason).toBeTruthy();
  });

  it("rejects with a reason the supplier can read; the item stays in the history", async () => {
    const res = await review(ids.first, t.icb, { decision: "reject", reason: "The report is unsigned" });
    expect(res.status).toBe(200);
    expect(res.body.state).toBe("rejected");
    expect((await review(ids.first, t.icb, { decision: "accept" })).status).toBe(422);
    const list = await listEvidence(controlId, t.engineer);
    expect(list.body.items.find((i: { id: string }) => i.id === ids.first)).toMatchObject({ state: "rejected", review: { reason: "The report is unsigned" } });
    const h = await getHazard(t.auditor, hazardId);
    expect(h.body.controls.find((c: { id: string }) => c.id === controlId).evidenceIds).not.toContain(ids.first);
    const [req] = await db.select().from(evidenceRequests).where(eq(evidenceRequests.id, ids.request));
    expect(req.state).toBe("open");
  });

  it("refuses Verified while no evidence is accepted", async () => {
    const h = (await getHazard(t.cso, hazardId)).body;
    const res = await patchHazard(t.cso, hazardId, {
      version: h.version, reason: "Verified",
      controls: h.controls.filter((c: { upstream: boolean }) => !c.upstream).map((c: any) => ({ id: c.id, kind: c.kind, type: c.type, description: c.description, state: c.id === controlId ? "verified" : c.state })),
    });
    expect(res.status).toBe(400);
    expect(Object.values(res.body.error.fields).join()).toMatch(/accepted/);
  });

  it("accepts the second upload: the request is fulfilled and the control may become Verified", async () => {
    const second = await upload(controlId, t.engineer, { bytes: TXT, name: "signed.txt" }, { description: "Signed test report", requestId: ids.request });
    expect(second.status).toBe(201);
    ids.second = second.body.id;
    const res = await review(ids.second, t.icb, { decision: "accept" });
    expect(res.body).toMatchObject({ state: "accepted", sha256: sha256(TXT) });
    const [req] = await db.select().from(evidenceRequests).where(eq(evidenceRequests.id, ids.request));
    expect(req.state).toBe("fulfilled");
    expect((await upload(controlId, t.engineer, { bytes: PDF, name: "late.pdf" }, { description: "x", requestId: ids.request })).status).toBe(422);
    const h = (await getHazard(t.cso, hazardId)).body;
    const patched = await patchHazard(t.cso, hazardId, {
      version: h.version, reason: "Verified by the ICB's accepted evidence",
      controls: h.controls.filter((c: { upstream: boolean }) => !c.upstream).map((c: any) => ({ id: c.id, kind: c.kind, type: c.type, description: c.description, state: c.id === controlId ? "verified" : c.state })),
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.controls.find((c: { id: string }) => c.id === controlId)).toMatchObject({ state: "verified", evidenceIds: [ids.second] });
  });

  it("audits the request, both uploads and both reviews in the acting organisation's chain", async () => {
    const rows = await db.select().from(auditEntries);
    const actions = rows.map((r) => (r.entry as { action: string }).action);
    expect(actions.filter((a) => a === "evidence.requested")).toHaveLength(1);
    expect(actions.filter((a) => a === "evidence.uploaded").length).toBeGreaterThanOrEqual(2);
    expect(actions).toContain("evidence.rejected");
    expect(actions).toContain("evidence.accepted");
  });

  it("records each file's SHA-256 and state in the log's baseline content", async () => {
    const [h] = await db.select().from(hazards).where(eq(hazards.id, hazardId));
    const { content } = await logContent(db, h.hazardLogId);
    const parsed = JSON.parse(content);
    const control = parsed.hazards.flatMap((x: any) => x.controls).find((c: any) => c.id === controlId);
    expect(control.evidence).toEqual([{ id: ids.second, sha256: sha256(TXT), state: "accepted" }]);
    const listed = await baselineEvidenceList(db, content);
    expect(listed).toContainEqual({ id: ids.second, sha256: sha256(TXT), state: "accepted", filename: "signed.txt", hazardRef: h.ref });
  });

  it("never deletes evidence (the database refuses)", async () => {
    await expect(db.delete(evidence).where(eq(evidence.id, ids.first))).rejects.toThrow();
  });
});

describe("downloads", () => {
  it("serves readers of the control as an attachment with safe headers, and audits each download", async () => {
    const before = (await db.select().from(auditEntries)).filter((r) => (r.entry as { action: string }).action === "evidence.downloaded").length;
    for (const token of [t.icb, t.harbour, t.engineer]) {
      const res = await download(ids.second, token);
      expect(res.status).toBe(200);
      expect(res.headers.get("Content-Disposition")).toBe(`attachment; filename="signed.txt"; filename*=UTF-8''signed.txt`);
      expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect(res.headers.get("Content-Security-Policy")).toBe("sandbox");
      expect(sha256(res.bytes)).toBe(sha256(TXT));
    }
    const after = (await db.select().from(auditEntries)).filter((r) => (r.entry as { action: string }).action === "evidence.downloaded").length;
    expect(after - before).toBe(3);
  });

  it("answers 404 to an organisation outside the platform, and for unknown ids", async () => {
    expect((await download(ids.second, t.other)).status).toBe(404);
    expect((await listEvidence(controlId, t.other)).status).toBe(404);
    expect((await review(ids.second, t.other, { decision: "accept" })).status).toBe(404);
    expect((await download("00000000-0000-4000-8000-000000000000", t.icb)).status).toBe(404);
    expect((await download("not-a-uuid", t.icb)).status).toBe(404);
  });
});
