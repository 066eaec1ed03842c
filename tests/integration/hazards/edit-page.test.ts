// Editing a hazard through the page: assess, reason once assessed, a stale edit (409) that writes
// nothing and shows what changed, role limits, inherited hazards, who may open the page.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Db } from "#db/client.ts";
import { hazards, hazardVersions } from "#db/schema/index.ts";
import { closeTestDb, openTestDb } from "#tests/setup/test-db.ts";
import { ICB_LOG, logIdByTitle, SUPPLIER_LOG } from "./helpers.ts";
import { getEditPage, postEdit, postNew, RAISE_FIELDS } from "./page-helpers.ts";

let db: Db;
let supplierLog: string;
let icbLog: string;
beforeAll(async () => {
  ({ db } = await openTestDb());
  supplierLog = await logIdByTitle(db, SUPPLIER_LOG);
  icbLog = await logIdByTitle(db, ICB_LOG);
});
afterAll(closeTestDb);

async function raise(title: string) {
  const res = await postNew("cso@supplier.example", supplierLog, { ...RAISE_FIELDS, title });
  expect(res.status).toBe(302);
  return res.location!.split("/").pop()!;
}
const row = async (id: string) => (await db.select().from(hazards).where(eq(hazards.id, id)))[0];
/** The edit form as loaded, as the browser would post it back. */
async function formOf(email: string, id: string): Promise<Record<string, string>> {
  const page = await getEditPage(email, id);
  expect(page.status).toBe(200);
  return { ...page.body.values, intent: "save", "causes.shown": "1", "controls.shown": "1" };
}

test("assessing an unassessed hazard needs no reason; the next edit does", async () => {
  const id = await raise("Edit journey hazard");
  const form = await formOf("cso@supplier.example", id);
  expect(form["causes.1"]).toBe(RAISE_FIELDS["causes.1"]);
  expect(form.version).toBe("1");
  const assessed = await postEdit("cso@supplier.example", id, { ...form, "initial.severity": "major", "initial.likelihood": "high", "residual.severity": "major", "residual.likelihood": "low" });
  expect(assessed.status).toBe(302);
  expect(assessed.location).toBe(`/hazards/${id}`);
  expect((await row(id)).residualRisk).toBe(3);

  const again = await formOf("cso@supplier.example", id);
  expect(again.version).toBe("2");
  const noReason = await postEdit("cso@supplier.example", id, { ...again, owner: "Dr Sam Patel" });
  expect(noReason.status).toBe(400);
  expect(noReason.body.errors.reason).toMatch(/^Reason for the change is required/);
  expect(noReason.body.values.owner).toBe("Dr Sam Patel");
  expect((await row(id)).version).toBe(2);

  const withReason = await postEdit("cso@supplier.example", id, { ...again, owner: "Dr Sam Patel", reason: "Ownership moved to the new CSO" });
  expect(withReason.status).toBe(302);
  const versions = await db.select().from(hazardVersions).where(eq(hazardVersions.hazardId, id));
  const v3 = versions.find((v) => v.version === 3)!;
  expect(v3.reason).toBe("Ownership moved to the new CSO");
  expect(v3.changes).toEqual([{ field: "owner", from: "Dr Jane Lee", to: "Dr Sam Patel" }]);
});

test("removing every cause and control row clears them", async () => {
  const id = await raise("Rows cleared hazard");
  const form = Object.fromEntries(Object.entries(await formOf("cso@supplier.example", id)).filter(([k]) => !/^(causes|controls)\.\d/.test(k)));
  expect((await postEdit("cso@supplier.example", id, form)).status).toBe(302);
  const h = await row(id);
  expect(h.causes).toEqual([]);
});

test("a stale edit answers 409, writes nothing, and says who changed what since", async () => {
  const id = await raise("Stale edit hazard");
  const mine = await formOf("cso@supplier.example", id);
  const theirs = await formOf("engineer@supplier.example", id);
  expect((await postEdit("engineer@supplier.example", id, { ...theirs, title: "Stale edit hazard (renamed)", "causes.2": "Third cause added by the engineer" })).status).toBe(302);

  const stale = await postEdit("cso@supplier.example", id, { ...mine, harm: "Severe allergic reaction" });
  expect(stale.status).toBe(409);
  expect(stale.body.values.harm).toBe("Severe allergic reaction");
  expect(stale.body.stale.by).toBe("Sofia Marques");
  expect(stale.body.stale.at).toMatch(/^\d{1,2} \w+ \d{4} at \d{2}:\d{2}$/);
  expect(stale.body.stale.version).toBe(2);
  expect(stale.body.stale.changes).toEqual(expect.arrayContaining([
    expect.objectContaining({ label: "Title", from: "Stale edit hazard", to: "Stale edit hazard (renamed)" }),
    expect.objectContaining({ label: "Causes", added: ["Third cause added by the engineer"], removed: [] }),
  ]));
  const h = await row(id);
  expect(h.version).toBe(2);
  expect(h.harm).toBe(RAISE_FIELDS.harm);

  const retried = await postEdit("cso@supplier.example", id, { ...stale.body.values, version: String(stale.body.stale.version) });
  expect(retried.status).toBe(302);
  expect((await row(id)).harm).toBe("Severe allergic reaction");
});

test("a contributor's form has no ratings; ratings posted anyway are refused (403)", async () => {
  const id = await raise("Contributor edit hazard");
  const page = await getEditPage("engineer@supplier.example", id);
  expect(page.body.mayAssess).toBe(false);
  const form = { ...page.body.values, intent: "save" };
  expect((await postEdit("engineer@supplier.example", id, { ...form, description: "Clarified by engineering" })).status).toBe(302);
  const refused = await postEdit("engineer@supplier.example", id, { ...form, version: "2", "initial.severity": "minor", "initial.likelihood": "low" });
  expect(refused.status).toBe(403);
  expect((await row(id)).initialSeverity).toBeNull();
});

test("on an inherited hazard the upstream fields are shown read-only and refused if posted", async () => {
  const [inherited] = await db.select().from(hazards).where(eq(hazards.hazardLogId, icbLog)).then((rows) => rows.filter((r) => r.upstreamHazardId));
  const page = await getEditPage("cso@icb.example", inherited.id);
  expect(page.status).toBe(200);
  expect(page.body.upstream.title).toBeTruthy();
  expect(page.body.values.title).toBe(page.body.upstream.title);
  const form = { ...page.body.values, intent: "save", reason: "Local owner named" };
  for (const f of ["title", "description", "effect", "hazard", "harm", "hazardType", "source"]) delete form[f];
  expect((await postEdit("cso@icb.example", inherited.id, { ...form, owner: "ICB patient safety lead" })).status).toBe(302);
  const refused = await postEdit("cso@icb.example", inherited.id, { ...form, version: String(inherited.version + 1), title: "Renamed locally" });
  expect(refused.status).toBe(400);
  expect(refused.body.errors.title).toMatch(/^Title is inherited/);
});

test("a viewer gets 403 on the edit page, another organisation's CSO 404", async () => {
  const id = await raise("Access hazard");
  expect((await getEditPage("auditor@icb.example", id)).status).toBe(403);
  expect((await getEditPage("cso@harbourside.example", id)).status).toBe(403);
  expect((await getEditPage("cso@othersupplier.example", id)).status).toBe(404);
  expect((await postEdit("cso@othersupplier.example", id, { intent: "save", version: "1", title: "x" })).status).toBe(404);
  expect((await getEditPage("cso@supplier.example", "not-a-uuid")).status).toBe(404);
});
