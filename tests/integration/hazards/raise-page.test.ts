// "Raise a hazard" through the page's loader and action: 302 to the new hazard, 400 with the
// user's input kept and nothing written, row buttons without JavaScript, who may open the page.
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Db } from "#db/client.ts";
import { hazards } from "#db/schema/index.ts";
import { closeTestDb, openTestDb } from "#tests/setup/test-db.ts";
import { logIdByTitle, SUPPLIER_LOG } from "./helpers.ts";
import { getHazardPage, getNewPage, postNew, RAISE_FIELDS } from "./page-helpers.ts";

let db: Db;
let supplierLog: string;
beforeAll(async () => {
  ({ db } = await openTestDb());
  supplierLog = await logIdByTitle(db, SUPPLIER_LOG);
});
afterAll(closeTestDb);

const hazardCount = async () => Number((await db.select({ n: count() }).from(hazards).where(eq(hazards.hazardLogId, supplierLog)))[0].n);

test("the page offers the risk scheme and the platform's organisations", async () => {
  const page = await getNewPage("cso@supplier.example", supplierLog);
  expect(page.status).toBe(200);
  expect(page.body.scheme.matrix).toHaveLength(5);
  expect(page.body.organisations.map((o: { name: string }) => o.name)).toEqual(expect.arrayContaining(["Acme Health Systems Ltd", "NHS Wessex Coast ICB", "Harbourside Hospital NHS Foundation Trust"]));
  expect(page.body.organisations.map((o: { name: string }) => o.name)).not.toContain("Other Supplier Ltd");
  expect(page.body.mayAssess).toBe(true);
});

test("raising with two causes and a control redirects (302) to the new hazard", async () => {
  const res = await postNew("cso@supplier.example", supplierLog, { ...RAISE_FIELDS, "initial.severity": "major", "initial.likelihood": "medium" });
  expect(res.status).toBe(302);
  const id = /^\/hazards\/([0-9a-f-]{36})$/.exec(res.location ?? "")?.[1];
  expect(id).toBeTruthy();
  const [row] = await db.select().from(hazards).where(eq(hazards.id, id!));
  expect(row.causes).toEqual([RAISE_FIELDS["causes.0"], RAISE_FIELDS["causes.1"]]);
  expect(row.initialRisk).toBe(3);
  expect(row.reviewDue).toBe("2026-03-31");
  const page = await getHazardPage("cso@supplier.example", id!);
  expect(page.body.hazard.controls).toEqual([
    expect.objectContaining({ kind: "additional", type: "design", description: RAISE_FIELDS["controls.0.description"], state: "planned", evidenceRefs: ["DES-101", "TEST-55"], ownerOrganisationId: page.body.log.organisationId }),
  ]);
});

test("a missing title answers 400 with the field's message, keeps the input and writes nothing", async () => {
  const before = await hazardCount();
  const res = await postNew("cso@supplier.example", supplierLog, { ...RAISE_FIELDS, title: "  " });
  expect(res.status).toBe(400);
  expect(res.body.errors.title).toBe("Title is required");
  expect(res.body.values["causes.1"]).toBe(RAISE_FIELDS["causes.1"]);
  expect(res.body.values["controls.0.description"]).toBe(RAISE_FIELDS["controls.0.description"]);
  expect(await hazardCount()).toBe(before);
});

test("a control without a description is named by its row; blank cause rows are ignored", async () => {
  const res = await postNew("cso@supplier.example", supplierLog, { ...RAISE_FIELDS, "causes.2": "", "controls.1.kind": "existing", "controls.1.type": "test", "controls.1.description": "" });
  expect(res.status).toBe(400);
  expect(res.body.errors).toEqual({ "controls.1.description": "Control 2 description is required" });
});

test("a residual risk of 4 needs the risk–benefit justification the server asks for", async () => {
  const res = await postNew("cso@supplier.example", supplierLog, { ...RAISE_FIELDS, "residual.severity": "major", "residual.likelihood": "high" });
  expect(res.status).toBe(400);
  expect(res.body.errors.riskBenefitJustification).toMatch(/^Risk–benefit justification is required when the residual risk is 4/);
});

test("a risk sent by a client is refused, never stored", async () => {
  const before = await hazardCount();
  const res = await postNew("cso@supplier.example", supplierLog, { ...RAISE_FIELDS, "initial.severity": "minor", "initial.likelihood": "low", "initial.risk": "5" });
  expect(res.status).toBe(302);
  const id = res.location!.split("/").pop()!;
  const [row] = await db.select().from(hazards).where(eq(hazards.id, id));
  expect(row.initialRisk).toBe(1); // the form field is not read at all; the server looked it up
  expect(await hazardCount()).toBe(before + 1);
});

test("without JavaScript the row buttons answer the form with a row added or removed, nothing saved", async () => {
  const before = await hazardCount();
  const added = await postNew("cso@supplier.example", supplierLog, { ...RAISE_FIELDS, intent: "add-cause" });
  expect(added.status).toBe(200);
  expect(added.body.values["causes.2"]).toBe("");
  const removed = await postNew("cso@supplier.example", supplierLog, { ...RAISE_FIELDS, intent: "remove-cause-0" });
  expect(removed.body.values["causes.0"]).toBe(RAISE_FIELDS["causes.1"]);
  expect(removed.body.values["causes.1"]).toBeUndefined();
  expect(await hazardCount()).toBe(before);
});

test("a contributor raises without ratings; ratings posted anyway are refused (403)", async () => {
  const page = await getNewPage("engineer@supplier.example", supplierLog);
  expect(page.body.mayAssess).toBe(false);
  expect((await postNew("engineer@supplier.example", supplierLog, RAISE_FIELDS)).status).toBe(302);
  const before = await hazardCount();
  const res = await postNew("engineer@supplier.example", supplierLog, { ...RAISE_FIELDS, "initial.severity": "minor", "initial.likelihood": "low" });
  expect(res.status).toBe(403);
  expect(await hazardCount()).toBe(before);
});

test("a viewer gets 403, another supplier's CSO 404", async () => {
  expect((await getNewPage("auditor@icb.example", supplierLog)).status).toBe(403);
  expect((await getNewPage("cso@icb.example", supplierLog)).status).toBe(403);
  expect((await getNewPage("cso@othersupplier.example", supplierLog)).status).toBe(404);
  expect((await postNew("cso@othersupplier.example", supplierLog, RAISE_FIELDS)).status).toBe(404);
});
