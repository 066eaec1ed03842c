// The hazard page: what it shows (fields, risk words, history in words and London time, inherited
// state) and the status changes: close, reopen, transfer, deprecate, with and without a reason.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Db } from "#db/client.ts";
import { hazards } from "#db/schema/index.ts";
import { closeTestDb, openTestDb } from "#tests/setup/test-db.ts";
import { ICB_LOG, logIdByTitle, SUPPLIER_LOG } from "./helpers.ts";
import { getHazardPage, postEdit, postHazardPage, postNew, RAISE_FIELDS } from "./page-helpers.ts";

let db: Db;
let supplierLog: string;
let icbLog: string;
beforeAll(async () => {
  ({ db } = await openTestDb());
  supplierLog = await logIdByTitle(db, SUPPLIER_LOG);
  icbLog = await logIdByTitle(db, ICB_LOG);
});
afterAll(closeTestDb);

async function raiseAssessed(title: string) {
  const res = await postNew("cso@supplier.example", supplierLog, { ...RAISE_FIELDS, title, "initial.severity": "major", "initial.likelihood": "high", "residual.severity": "major", "residual.likelihood": "low" });
  expect(res.status).toBe(302);
  return res.location!.split("/").pop()!;
}
const row = async (id: string) => (await db.select().from(hazards).where(eq(hazards.id, id)))[0];

test("shows every field, risk as rating, label and acceptability, and the history in words", async () => {
  const id = await raiseAssessed("Page hazard");
  const page0 = await getHazardPage("cso@supplier.example", id);
  const edit = await postEdit("cso@supplier.example", id, {
    intent: "save", version: "1", reason: "Training control added after the workshop",
    "controls.shown": "1",
    "controls.0.id": page0.body.hazard.controls[0].id, "controls.0.kind": "additional", "controls.0.type": "design", "controls.0.description": RAISE_FIELDS["controls.0.description"], "controls.0.state": "implemented",
    "controls.1.kind": "existing", "controls.1.type": "training", "controls.1.description": "Prescriber training on allergy checks",
    "causes.shown": "1", "causes.0": RAISE_FIELDS["causes.0"], "causes.1": "Dialog opened from the order set",
    "residual.severity": "major", "residual.likelihood": "very_low",
  });
  expect(edit.status).toBe(302);

  const page = await getHazardPage("cso@supplier.example", id);
  expect(page.status).toBe(200);
  const b = page.body;
  expect(b.hazard.title).toBe("Page hazard");
  expect(b.risk.initial).toMatchObject({ rating: 4, label: "Mandatory elimination", colour: "#D99594" });
  expect(b.risk.initial.acceptability).toMatch(/^Mandatory elimination/);
  expect(b.risk.residual).toMatchObject({ rating: 2, label: "Acceptable (conditional)" });
  expect(b.words.organisations[b.hazard.controls[0].ownerOrganisationId]).toBe("Acme Health Systems Ltd");
  expect(b.mayEdit).toBe(true);
  expect(b.statusActions).toEqual(["transfer", "close", "deprecate"]);

  const [latest, first] = b.history;
  expect(first).toMatchObject({ version: 1, user: "Dr James Whitfield", changes: [] });
  expect(latest.version).toBe(2);
  expect(latest.reason).toBe("Training control added after the workshop");
  expect(latest.at).toMatch(/^\d{1,2} \w+ \d{4} at \d{2}:\d{2}$/);
  const byLabel = Object.fromEntries(latest.changes.map((c: { label: string }) => [c.label, c]));
  expect(byLabel.Causes).toMatchObject({ added: ["Dialog opened from the order set"], removed: [RAISE_FIELDS["causes.1"]] });
  expect(byLabel["Residual likelihood"]).toMatchObject({ from: "Low", to: "Very low" });
  expect(byLabel["Residual risk"]).toMatchObject({ from: "3 (Undesirable)", to: "2 (Acceptable (conditional))" });
  expect(byLabel[`Control state (“${RAISE_FIELDS["controls.0.description"]}”)`]).toMatchObject({ from: "Planned", to: "Implemented" });
  expect(byLabel["Control added"].added[0]).toMatch(/^Existing training control: Prescriber training on allergy checks \(planned\)$/);
});

test("who sees which actions", async () => {
  const id = await raiseAssessed("Actions hazard");
  const contributor = await getHazardPage("engineer@supplier.example", id);
  expect(contributor.body).toMatchObject({ mayEdit: true, statusActions: [] });
  const viewer = await getHazardPage("auditor@icb.example", id);
  expect(viewer.body).toMatchObject({ mayEdit: false, statusActions: [] });
  expect((await getHazardPage("cso@othersupplier.example", id)).status).toBe(404);
});

test("close needs a reason; with one it closes; reopen needs a reason too", async () => {
  const id = await raiseAssessed("Close hazard");
  const noReason = await postHazardPage("cso@supplier.example", id, { intent: "close", version: "1", reason: "" });
  expect(noReason.status).toBe(400);
  expect(noReason.body).toMatchObject({ intent: "close" });
  expect(noReason.body.errors.reason).toMatch(/^Reason for the change is required/);
  expect((await row(id)).status).toBe("open");

  expect((await postHazardPage("cso@supplier.example", id, { intent: "close", version: "1", reason: "All actions complete" })).status).toBe(302);
  expect((await row(id)).status).toBe("closed");
  expect((await getHazardPage("cso@supplier.example", id)).body.statusActions).toEqual(["reopen", "deprecate"]);

  const reopenNoReason = await postHazardPage("cso@supplier.example", id, { intent: "reopen", version: "2", reason: " " });
  expect(reopenNoReason.status).toBe(400);
  expect(reopenNoReason.body.errors.reason).toBe("Reason for the change is required to reopen a closed hazard");
  expect((await postHazardPage("cso@supplier.example", id, { intent: "reopen", version: "2", reason: "Incident INC-77 reported" })).status).toBe(302);
  expect((await row(id)).status).toBe("open");
});

test("transfer with a reason; a stale status change is refused (409) and writes nothing", async () => {
  const id = await raiseAssessed("Transfer hazard");
  expect((await postHazardPage("cso@supplier.example", id, { intent: "transfer", version: "1", reason: "Trust training owned locally" })).status).toBe(302);
  expect((await row(id)).status).toBe("transferred");
  const stale = await postHazardPage("cso@supplier.example", id, { intent: "close", version: "1", reason: "Done" });
  expect(stale.status).toBe(409);
  expect(stale.body.formError).toMatch(/changed since you read it/);
  expect((await row(id)).status).toBe("transferred");
});

test("deprecate needs a reason; with one the hazard shows as deprecated", async () => {
  const id = await raiseAssessed("Deprecate hazard");
  const noReason = await postHazardPage("cso@supplier.example", id, { intent: "deprecate", version: "1" });
  expect(noReason.status).toBe(400);
  expect(noReason.body.errors.reason).toBe("Reason for the change is required");
  expect((await row(id)).deprecatedAt).toBeNull();
  expect((await postHazardPage("cso@supplier.example", id, { intent: "deprecate", version: "1", reason: "Feature withdrawn" })).status).toBe(302);
  const page = await getHazardPage("cso@supplier.example", id);
  expect(page.body.hazard.deprecated.reason).toBe("Feature withdrawn");
  expect(page.body.deprecatedAt).toMatch(/ at \d{2}:\d{2}$/);
  expect(page.body.statusActions).not.toContain("deprecate");
});

test("a contributor's status change is refused (403); an unknown intent is a 400", async () => {
  const id = await raiseAssessed("Contributor close hazard");
  expect((await postHazardPage("engineer@supplier.example", id, { intent: "close", version: "1", reason: "x" })).status).toBe(403);
  expect((await postHazardPage("auditor@icb.example", id, { intent: "close", version: "1", reason: "x" })).status).toBe(403);
  expect((await postHazardPage("cso@supplier.example", id, { intent: "delete", version: "1" })).status).toBe(400);
  expect((await row(id)).status).toBe("open");
});

test("an inherited hazard shows its upstream and the versions accepted and current", async () => {
  const [inherited] = await db.select().from(hazards).where(eq(hazards.hazardLogId, icbLog)).then((rows) => rows.filter((r) => r.upstreamHazardId));
  const page = await getHazardPage("cso@icb.example", inherited.id);
  expect(page.status).toBe(200);
  expect(page.body.hazard.upstream).toMatchObject({ hazardId: inherited.upstreamHazardId, currentVersion: expect.any(Number) });
  expect(page.body.upstreamLog.title).toBe(SUPPLIER_LOG);
});
