// The hazard API (contract §4): create, read, edit with reason and version, close, reopen,
// deprecate, history, list filters and pagination, and who may read and write (contract §3).
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "#db/client.ts";
import { auditEntries, controls, hazards } from "#db/schema/index.ts";
import { closeTestDb, openTestDb } from "#tests/setup/test-db.ts";
import { createHazard, getHazard, ICB_LOG, listHazards, logIdByTitle, patchHazard, SUPPLIER_LOG, tokenFor } from "./helpers.ts";

let db: Db;
let supplierLog: string;
let icbLog: string;
const t: Record<string, string> = {};

beforeAll(async () => {
  ({ db } = await openTestDb());
  supplierLog = await logIdByTitle(db, SUPPLIER_LOG);
  icbLog = await logIdByTitle(db, ICB_LOG);
  for (const [k, email] of Object.entries({
    cso: "cso@supplier.example",
    engineer: "engineer@supplier.example",
    icbCso: "cso@icb.example",
    auditor: "auditor@icb.example",
    harbour: "cso@harbourside.example",
    other: "cso@othersupplier.example",
  }))
    t[k] = await tokenFor(db, email);
});
afterAll(closeTestDb);

const base = {
  title: "Discharge summary sent to the wrong GP practice",
  description: "The practice code is taken from a stale registration record.",
  causes: ["Registration cache not refreshed after patient moves practice zebrafinch"],
  effect: "The registered GP does not receive the discharge summary.",
  hazard: "Follow-up actions are missed.",
  harm: "Delayed treatment after discharge.",
};

describe("creating a hazard", () => {
  it("gives the next ref, computes the risk and answers 201", async () => {
    const res = await createHazard(t.cso, supplierLog, { ...base, initial: { severity: "major", likelihood: "medium" } });
    expect(res.status).toBe(201);
    expect(res.body.ref).toBe("H-031");
    expect(res.body.initial).toMatchObject({ severity: "major", likelihood: "medium", risk: 3 });
    expect(res.body.residual.risk).toBeNull();
    expect(res.body.version).toBe(1);
    expect(res.body.status).toBe("open");
    expect(res.body.deprecated).toBeNull();
    const audit = await db.select().from(auditEntries).where(and(eq(auditEntries.entityType, "hazard"), eq(auditEntries.entityId, res.body.id)));
    expect(audit.map((a) => (a.entry as { action: string }).action)).toEqual(["hazard.created"]);
  });

  it("refuses a client risk (400), at the top level and in an assessment", async () => {
    const top = await createHazard(t.cso, supplierLog, { ...base, risk: 3 });
    expect(top.status).toBe(400);
    expect(top.body.error.code).toBe("bad_request");
    const nested = await createHazard(t.cso, supplierLog, { ...base, initial: { severity: "major", likelihood: "medium", risk: 1 } });
    expect(nested.status).toBe(400);
  });

  it("refuses a missing title and a bad JSON body with 400, never 500", async () => {
    expect((await createHazard(t.cso, supplierLog, { description: "x" })).body.error.fields.title).toBeTruthy();
    expect((await createHazard(t.cso, supplierLog, "{not json")).status).toBe(400);
  });

  it("needs a risk–benefit justification for a residual risk of 4 or 5", async () => {
    const res = await createHazard(t.cso, supplierLog, { ...base, residual: { severity: "major", likelihood: "high" } });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.riskBenefitJustification).toBeTruthy();
    const ok = await createHazard(t.cso, supplierLog, { ...base, residual: { severity: "major", likelihood: "high" }, riskBenefitJustification: "Benefit of timely discharge outweighs" });
    expect(ok.status).toBe(201);
    expect(ok.body.residual.risk).toBe(4);
  });

  it("lets a contributor raise an unassessed hazard but not assess it", async () => {
    const ok = await createHazard(t.engineer, supplierLog, { title: "Contributor raised hazard" });
    expect(ok.status).toBe(201);
    const assessed = await createHazard(t.engineer, supplierLog, { title: "Contributor assessed", initial: { severity: "minor", likelihood: "low" } });
    expect(assessed.status).toBe(403);
    const closed = await createHazard(t.engineer, supplierLog, { title: "Contributor closed", status: "closed" });
    expect(closed.status).toBe(403);
    const justified = await createHazard(t.engineer, supplierLog, { title: "Contributor justified", riskBenefitJustification: "Benefits outweigh" });
    expect(justified.status).toBe(403);
  });
});

describe("editing a hazard", () => {
  let id: string;
  beforeAll(async () => {
    const res = await createHazard(t.cso, supplierLog, {
      ...base,
      title: "Allergy banner hidden on narrow screens",
      causes: ["Responsive layout collapses the banner"],
      initial: { severity: "considerable", likelihood: "medium" },
      controls: [
        { kind: "existing", type: "design", description: "Banner pinned to header" },
        { kind: "additional", type: "test", description: "Visual regression test at 320px" },
      ],
    });
    id = res.body.id;
  });

  it("needs a reason once assessed (400 fields.reason), then bumps the version by one", async () => {
    const noReason = await patchHazard(t.cso, id, { version: 1, owner: "Product safety lead" });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.fields.reason).toBeTruthy();
    const res = await patchHazard(t.cso, id, { version: 1, owner: "Product safety lead", reason: "Owner agreed at safety meeting" });
    expect(res.status).toBe(200);
    expect(res.body.owner).toBe("Product safety lead");
    expect(res.body.version).toBe(2);
  });

  it("answers 409 with the current hazard on a stale version", async () => {
    const res = await patchHazard(t.cso, id, { version: 1, owner: "Someone else", reason: "late edit" });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("stale_version");
    expect(res.body.error.current.version).toBe(2);
    expect(res.body.error.current.owner).toBe("Product safety lead");
  });

  it("refuses risk and unknown fields in a patch, and a missing version", async () => {
    expect((await patchHazard(t.cso, id, { version: 2, reason: "x", risk: 1 })).status).toBe(400);
    expect((await patchHazard(t.cso, id, { version: 2, reason: "x", colour: "red" })).status).toBe(400);
    const missing = await patchHazard(t.cso, id, { owner: "x", reason: "x" });
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields.version).toBeTruthy();
  });

  it("recomputes risk, keeps unsent assessment parts, and checks the risk–benefit rule", async () => {
    const high = await patchHazard(t.cso, id, { version: 2, reason: "Reassessed", residual: { severity: "catastrophic", likelihood: "high" } });
    expect(high.status).toBe(400);
    expect(high.body.error.fields.riskBenefitJustification).toBeTruthy();
    const res = await patchHazard(t.cso, id, { version: 2, reason: "Reassessed", initial: { likelihood: "high" }, residual: { severity: "considerable", likelihood: "low" } });
    expect(res.status).toBe(200);
    expect(res.body.initial).toMatchObject({ severity: "considerable", likelihood: "high", risk: 3 });
    expect(res.body.residual).toMatchObject({ severity: "considerable", likelihood: "low", risk: 2 });
    expect(res.body.version).toBe(3);
  });

  it("replaces own controls: kept ones updated, new ones inserted, missing ones unlinked but kept", async () => {
    const before = (await getHazard(t.cso, id)).body;
    const [first, second] = before.controls;
    const res = await patchHazard(t.cso, id, {
      version: before.version,
      reason: "Controls revised",
      controls: [
        { id: first.id, kind: "existing", type: "design", description: first.description, state: "implemented" },
        { kind: "additional", type: "training", description: "Ward staff briefing" },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.controls.map((c: { description: string }) => c.description)).toEqual(["Banner pinned to header", "Ward staff briefing"]);
    expect(res.body.controls[0]).toMatchObject({ id: first.id, state: "implemented" });
    const [kept] = await db.select().from(controls).where(eq(controls.id, second.id));
    expect(kept).toBeTruthy();
    const unknown = await patchHazard(t.cso, id, { version: res.body.version, reason: "x", controls: [{ id: second.id, kind: "existing", type: "test", description: "x" }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields["controls.0.id"]).toBeTruthy();
  });

  it("closes (status change), needs a reason to reopen, then reopens", async () => {
    let v = (await getHazard(t.cso, id)).body.version;
    const closed = await patchHazard(t.cso, id, { version: v, status: "closed", reason: "All actions complete" });
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe("closed");
    v = closed.body.version;
    const noReason = await patchHazard(t.cso, id, { version: v, reopen: true });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.fields.reason).toMatch(/reopen/);
    const reopened = await patchHazard(t.cso, id, { version: v, reopen: true, reason: "Incident INC-42 reported" });
    expect(reopened.status).toBe(200);
    expect(reopened.body.status).toBe("open");
    expect(reopened.body.version).toBe(v + 1);
  });

  it("lets only the CSO change status or assessment (contributor 403), but lets the contributor edit text", async () => {
    const v = (await getHazard(t.cso, id)).body.version;
    expect((await patchHazard(t.engineer, id, { version: v, status: "transferred", reason: "x" })).status).toBe(403);
    expect((await patchHazard(t.engineer, id, { version: v, residual: { severity: "minor" }, reason: "x" })).status).toBe(403);
    expect((await patchHazard(t.engineer, id, { version: v, riskBenefitJustification: "Accepted for the benefit", reason: "x" })).status).toBe(403);
    const ok = await patchHazard(t.engineer, id, { version: v, description: "Banner hidden below 360px wide", reason: "Clarified" });
    expect(ok.status).toBe(200);
  });

  it("answers an unchanged patch with the current hazard and no new version", async () => {
    const cur = (await getHazard(t.cso, id)).body;
    const res = await patchHazard(t.cso, id, { version: cur.version, owner: cur.owner, reason: "no-op" });
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(cur.version);
  });

  it("keeps a history, newest first, with version, reason, user and changes", async () => {
    const { hazardHistory } = await import("#app/hazards.server.ts");
    const { requireApiUser } = await import("#app/api.server.ts");
    const user = await requireApiUser(new Request("http://localhost/", { headers: { Authorization: `Bearer ${t.auditor}` } }));
    const history = await hazardHistory(user, id);
    const cur = (await getHazard(t.cso, id)).body;
    expect(history.map((h) => h.version)).toEqual(Array.from({ length: cur.version }, (_, i) => cur.version - i));
    const reopen = history.find((h) => h.reason === "Incident INC-42 reported")!;
    expect(reopen.changes).toContainEqual(expect.objectContaining({ field: "status", from: "closed", to: "open", label: "Status" }));
    const ownerChange = history.find((h) => h.version === 2)!;
    expect(ownerChange.reason).toBe("Owner agreed at safety meeting");
    expect(ownerChange.user?.name).toBeTruthy();
    expect(ownerChange.changes).toEqual([expect.objectContaining({ field: "owner", from: null, to: "Product safety lead" })]);
    const controlsChange = history.find((h) => h.reason === "Controls revised")!;
    expect(controlsChange.changes.some((c) => c.field.endsWith(".state") && c.to === "implemented")).toBe(true);
    expect(controlsChange.changes.filter((c) => c.field.startsWith("controls[") && c.to === null)).toHaveLength(1);
    expect(history[history.length - 1].version).toBe(1);
    const audits = await db.select().from(auditEntries).where(and(eq(auditEntries.entityType, "hazard"), eq(auditEntries.entityId, id)));
    expect(audits.filter((a) => (a.entry as { action: string }).action === "hazard.updated").length).toBe(cur.version - 1);
  });

  it("deprecates with a reason (never deletes), hiding it from the list unless asked", async () => {
    const v = (await getHazard(t.cso, id)).body.version;
    const noReason = await patchHazard(t.cso, id, { version: v, deprecate: {}, reason: "x" });
    expect(noReason.status).toBe(400);
    const res = await patchHazard(t.cso, id, { version: v, deprecate: { reason: "Feature withdrawn" } });
    expect(res.status).toBe(200);
    expect(res.body.deprecated).toMatchObject({ reason: "Feature withdrawn" });
    const [row] = await db.select().from(hazards).where(eq(hazards.id, id));
    expect(row.deprecatedAt).toBeTruthy();
    const hidden = await listHazards(t.cso, supplierLog, { limit: "100" });
    expect(hidden.body.items.some((h: { id: string }) => h.id === id)).toBe(false);
    const shown = await listHazards(t.cso, supplierLog, { limit: "100", includeDeprecated: "true" });
    expect(shown.body.items.some((h: { id: string }) => h.id === id)).toBe(true);
    expect(shown.body.total).toBe(hidden.body.total + 1);
    expect((await getHazard(t.cso, id)).status).toBe(200);
    const again = await patchHazard(t.cso, id, { version: res.body.version, deprecate: { reason: "twice" } });
    expect(again.status).toBe(422);
    const { hazardHistory } = await import("#app/hazards.server.ts");
    const { requireApiUser } = await import("#app/api.server.ts");
    const user = await requireApiUser(new Request("http://localhost/", { headers: { Authorization: `Bearer ${t.cso}` } }));
    const [latest] = await hazardHistory(user, id);
    expect(latest.reason).toBe("Feature withdrawn");
    expect(latest.changes.map((c) => c.field)).toEqual(["deprecated"]);
  });

  it("lets an unassessed hazard be edited without a reason", async () => {
    const raised = await createHazard(t.engineer, supplierLog, { title: "Draft hazard to refine" });
    const res = await patchHazard(t.engineer, raised.body.id, { version: 1, causes: ["Typo-prone free text"] });
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(2);
  });
});

describe("listing hazards", () => {
  it("filters by status, residual risk and free text over causes", async () => {
    const closed = await listHazards(t.cso, supplierLog, { status: "closed", limit: "100" });
    expect(closed.status).toBe(200);
    expect(closed.body.items.every((h: { status: string }) => h.status === "closed")).toBe(true);
    expect(closed.body.total).toBe(closed.body.items.length);

    const r4 = await listHazards(t.cso, supplierLog, { residualRisk: "4", limit: "100" });
    expect(r4.body.items.length).toBeGreaterThan(0);
    expect(r4.body.items.every((h: { residual: { risk: number } }) => h.residual.risk === 4)).toBe(true);

    const q = await listHazards(t.cso, supplierLog, { q: "ZebraFinch" });
    expect(q.body.items.map((h: { title: string }) => h.title)).toContain(base.title);
    expect(q.body.items.every((h: { causes: string[] }) => h.causes.some((c) => c.toLowerCase().includes("zebrafinch")))).toBe(true);

    expect((await listHazards(t.cso, supplierLog, { q: "%" })).body.total).toBe(0);
    expect((await listHazards(t.cso, supplierLog, { q: "_" })).body.total).toBe(0);
    expect((await listHazards(t.cso, supplierLog, { status: "pending" })).status).toBe(400);
  });

  it("sorts by residual risk", async () => {
    const res = await listHazards(t.cso, supplierLog, { sort: "-residualRisk", limit: "100" });
    const risks = res.body.items.map((h: { residual: { risk: number | null } }) => h.residual.risk ?? 0);
    expect(risks).toEqual([...risks].sort((a: number, b: number) => b - a));
  });

  it("clamps the limit to 100 and walks every page with nextCursor", async () => {
    const all = await listHazards(t.cso, supplierLog, { limit: "500" });
    expect(all.status).toBe(200);
    expect(all.body.items.length).toBe(Math.min(100, all.body.total));
    expect((await listHazards(t.cso, supplierLog, { limit: "0" })).body.items.length).toBe(1);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { body: { items: { ref: string }[]; nextCursor: string | null } } = await listHazards(t.cso, supplierLog, { limit: "7", ...(cursor ? { cursor } : {}) });
      seen.push(...page.body.items.map((h) => h.ref));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    expect(seen.length).toBe(all.body.total);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...seen].sort());
    expect((await listHazards(t.cso, supplierLog, { cursor: "garbage!" })).status).toBe(400);
  });
});

describe("who may read and write", () => {
  let id: string;
  beforeAll(async () => {
    id = (await listHazards(t.cso, supplierLog, { limit: "1" })).body.items[0].id;
  });

  it("the ICB's viewer and CSO and a trust's CSO read the supplier log but may not write it (403)", async () => {
    for (const who of ["auditor", "icbCso", "harbour"]) {
      expect((await listHazards(t[who], supplierLog)).status).toBe(200);
      const h = await getHazard(t[who], id);
      expect(h.status).toBe(200);
      expect((await createHazard(t[who], supplierLog, { title: "Not mine" })).status).toBe(403);
      expect((await patchHazard(t[who], id, { version: h.body.version, owner: "x", reason: "x" })).status).toBe(403);
    }
  });

  it("another supplier gets 404 on read and write", async () => {
    expect((await listHazards(t.other, supplierLog)).status).toBe(404);
    expect((await getHazard(t.other, id)).status).toBe(404);
    expect((await createHazard(t.other, supplierLog, { title: "x" })).status).toBe(404);
    expect((await patchHazard(t.other, id, { version: 1, owner: "x", reason: "x" })).status).toBe(404);
  });

  it("answers 404 for an id that is not a uuid or does not exist, 401 without a token, 405 for other methods", async () => {
    expect((await getHazard(t.cso, "not-a-uuid")).status).toBe(404);
    expect((await getHazard(t.cso, "00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await listHazards(t.cso, "nope")).status).toBe(404);
    expect((await getHazard("bogus", id)).status).toBe(401);
    const del = await patchHazard(t.cso, id, undefined, "DELETE");
    expect(del.status).toBe(405);
    expect(del.body.error.code).toBeTruthy();
  });
});

describe("an inherited hazard in the ICB's shared log", () => {
  let inherited: any;
  let upstreamBefore: any;
  beforeAll(async () => {
    const res = await listHazards(t.icbCso, icbLog, { limit: "100" });
    inherited = res.body.items.find((h: { upstream?: unknown }) => h.upstream);
    upstreamBefore = (await getHazard(t.cso, inherited.upstream.hazardId)).body;
  });

  it("finds inherited hazards by upstream text", async () => {
    const res = await listHazards(t.icbCso, icbLog, { q: inherited.title.slice(0, 20) });
    expect(res.body.items.map((h: { id: string }) => h.id)).toContain(inherited.id);
  });

  it("refuses changes to upstream fields (400 naming them)", async () => {
    const res = await patchHazard(t.icbCso, inherited.id, { version: inherited.version, title: "Renamed here", harm: "Other harm", reason: "x" });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.title).toMatch(/inherited from the upstream log/);
    expect(res.body.error.fields.harm).toMatch(/inherited from the upstream log/);
  });

  it("changes the local assessment and causes, leaving the supplier's hazard unchanged", async () => {
    const res = await patchHazard(t.icbCso, inherited.id, {
      version: inherited.version,
      reason: "ICB assessment of local use",
      residual: { severity: "minor", likelihood: "low", justification: "ICB-wide training in place" },
      causes: ["Locum staff unfamiliar with the EPR"],
    });
    expect(res.status).toBe(200);
    expect(res.body.residual).toMatchObject({ severity: "minor", likelihood: "low", risk: 1 });
    expect(res.body.localCauses).toEqual(["Locum staff unfamiliar with the EPR"]);
    expect(res.body.causes).toEqual([...upstreamBefore.causes, "Locum staff unfamiliar with the EPR"]);
    expect(res.body.title).toBe(upstreamBefore.title);
    const upstreamAfter = (await getHazard(t.cso, inherited.upstream.hazardId)).body;
    expect(upstreamAfter).toEqual(upstreamBefore);
    const search = await listHazards(t.icbCso, icbLog, { q: "locum staff unfamiliar" });
    expect(search.body.items.map((h: { id: string }) => h.id)).toEqual([inherited.id]);
  });

  it("refuses to edit an upstream control from the inheriting log", async () => {
    const cur = (await getHazard(t.icbCso, inherited.id)).body;
    const up = cur.controls.find((c: { upstream: boolean }) => c.upstream);
    expect(up).toBeTruthy();
    const res = await patchHazard(t.icbCso, inherited.id, { version: cur.version, reason: "x", controls: [{ id: up.id, kind: up.kind, type: up.type, description: "changed" }] });
    expect(res.status).toBe(400);
    expect(res.body.error.fields["controls.0.id"]).toMatch(/upstream/);
  });
});

