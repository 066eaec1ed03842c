// The browser's two steps through the service: preview (creates, updates, unchanged rows and
// problems, stored for its creator only) then confirm (one transaction; stale → 409, nothing
// written; expired, applied twice or with problems → 422).
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hazards, hazardVersions, importPreviews } from "#db/schema/index.ts";
import { AppError } from "#app/errors.server.ts";
import { CREATE_CHUNK, cancelPreview, confirmImport, getPreview, previewImport } from "#app/hazard-import.server.ts";
import { generatedHazard } from "#tests/fixtures/generated-log.ts";
import { updateHazard } from "#app/hazards.server.ts";
import type { Upload } from "#app/upload.server.ts";
import { closeTestDb, openTestDb, type Db } from "#tests/setup/test-db.ts";
import { loadDcspHazards } from "#tests/fixtures/dcsp-markdown.ts";
import { auditActions, counts, emptyLog, exportBytes, fillLog, sessionUser } from "./helpers.ts";

let db: Db;
let log: string;
let file: string;
const CSO = "cso@supplier.example";
beforeAll(async () => {
  ({ db } = await openTestDb());
  log = await emptyLog(db, "Preview log");
  await fillLog(db, log, loadDcspHazards().slice(0, 3).map((h) => h.input));
  file = new TextDecoder().decode(await exportBytes(db, CSO, log, "csv"));
});
afterAll(closeTestDb);

const upload = (text: string, filename = "edited.csv"): (() => Promise<Upload>) => async () => ({ filename, bytes: new TextEncoder().encode(text), format: "csv" });
/** H-002's title changed, and a new row (no ref) appended by copying H-003 without its ref. */
function edited(csv: string): string {
  const lines = csv.split("\r\n");
  const copy = lines[3].replace(",H-003,", ",,");
  return [...lines.slice(0, 2), lines[2].replace("Poor User Interface", "UI hard to use"), lines[3], copy, ""].join("\r\n");
}
const refused = async (run: () => Promise<unknown>) => {
  try {
    await run();
  } catch (error) {
    if (error instanceof AppError) return { status: error.status, message: error.message, rows: error.extra.rows };
    throw error;
  }
  throw new Error("not refused");
};

describe("preview", () => {
  it("lists what will be created, updated and left alone, and writes nothing to the log", async () => {
    expect(file).toContain("Poor User Interface"); // the sample's second hazard
    const user = await sessionUser(db, CSO);
    const before = await counts(db);
    const preview = await previewImport(user, log, upload(edited(file)));
    expect(preview.summary).toEqual({ creates: 1, updates: 1, unchanged: 2, problems: 0 });
    expect(preview.items).toEqual([
      expect.objectContaining({ row: 2, action: "unchanged", ref: "H-001" }),
      expect.objectContaining({ row: 3, action: "update", ref: "H-002", title: "UI hard to use", changes: ["title"] }),
      expect.objectContaining({ row: 4, action: "unchanged", ref: "H-003" }),
      expect.objectContaining({ row: 5, action: "create", ref: null }),
    ]);
    expect(await counts(db)).toEqual(before);
  });

  it("lists every problem by row and column, and such a preview cannot be confirmed", async () => {
    const user = await sessionUser(db, CSO);
    const bad = edited(file).replace("Open", "Pending");
    const preview = await previewImport(user, log, upload(bad));
    expect(preview.problems).toEqual([{ row: 2, column: "AB", message: expect.stringContaining('"Pending" is not a status') }]);
    const before = await counts(db);
    expect(await refused(() => confirmImport(user, preview.id))).toMatchObject({ status: 422, rows: preview.problems });
    expect(await counts(db)).toEqual(before);
  });

  it("reports a row exported before the hazard last changed, and a Ref used twice", async () => {
    const user = await sessionUser(db, CSO);
    const lines = file.split("\r\n");
    const stale = lines[2].replace(/,,,1,,$/, ",,,7,,"); // Version (AH) 7, the hazard is at 1
    expect(stale).not.toBe(lines[2]);
    const twice = [lines[0], lines[1], lines[1], stale].join("\r\n");
    const preview = await previewImport(user, log, upload(twice));
    expect(preview.problems).toEqual([
      { row: 3, column: "AC", message: expect.stringMatching(/also on row 2/) },
      { row: 4, column: "AH", message: expect.stringMatching(/H-002 is at version 1 in the log but this row was exported at version 7/) },
    ]);
  });

  it("is seen and confirmed by its creator only (404 for anyone else, even the same organisation)", async () => {
    const preview = await previewImport(await sessionUser(db, CSO), log, upload(edited(file)));
    const engineer = await sessionUser(db, "engineer@supplier.example");
    expect((await refused(() => getPreview(engineer, preview.id))).status).toBe(404);
    expect((await refused(() => confirmImport(engineer, preview.id))).status).toBe(404);
    expect((await refused(async () => getPreview(await sessionUser(db, "cso@icb.example"), preview.id))).status).toBe(404);
  });

  it("viewers and CSOs of other organisations cannot preview (403 / 404)", async () => {
    expect((await refused(async () => previewImport(await sessionUser(db, "auditor@icb.example"), log, upload(file)))).status).toBe(403);
    expect((await refused(async () => previewImport(await sessionUser(db, "cso@othersupplier.example"), log, upload(file)))).status).toBe(404);
  });
});

describe("confirm", () => {
  it("reports progress chunk by chunk as a long import is written", async () => {
    const user = await sessionUser(db, CSO);
    const source = await emptyLog(db, "Progress source log");
    await fillLog(db, source, Array.from({ length: 600 }, (_, i) => generatedHazard(i, [])));
    const csv = new TextDecoder().decode(await exportBytes(db, CSO, source, "csv"));
    const target = await emptyLog(db, "Progress target log");
    const preview = await previewImport(user, target, upload(csv, "long.csv"));
    const seen: number[] = [];
    const result = await confirmImport(user, preview.id, { requestId: "r-progress", onProgress: (done) => seen.push(done) });
    expect(result.created).toBe(600);
    // One report per chunk of CREATE_CHUNK rows, rising to the total.
    expect(seen).toEqual([CREATE_CHUNK, 2 * CREATE_CHUNK, 600].filter((n, i, all) => n <= 600 && all.indexOf(n) === i));
  }, 120_000);

  it("applies the plan in one go, with versions giving the reason and the audit entries", async () => {
    const user = await sessionUser(db, CSO);
    const target = await emptyLog(db, "Confirm log");
    await fillLog(db, target, loadDcspHazards().slice(0, 3).map((h) => h.input));
    const preview = await previewImport(user, target, upload(edited(file), "wessex.csv"));
    const seen: number[] = [];
    const result = await confirmImport(user, preview.id, { requestId: "r1", onProgress: (done) => seen.push(done) });
    expect(result).toEqual({ created: 1, updated: 1, unchanged: 2 });
    expect(seen).toEqual([1, 2]);
    const rows = await db.select().from(hazards).where(eq(hazards.hazardLogId, target));
    expect(rows.map((r) => [r.ref, r.title, r.version]).sort()).toEqual([
      ["H-001", expect.any(String), 1], ["H-002", "UI hard to use", 2], ["H-003", expect.any(String), 1], ["H-004", expect.any(String), 1],
    ]);
    const h2 = rows.find((r) => r.ref === "H-002")!;
    const [v2] = await db.select().from(hazardVersions).where(eq(hazardVersions.hazardId, h2.id)).orderBy(hazardVersions.version).offset(1);
    expect(v2.reason).toBe("Imported from wessex.csv");
    expect(await auditActions(db, target)).toEqual(["log.imported"]);
    expect(await auditActions(db, h2.id)).toEqual(["hazard.updated"]);
    // Applied once only.
    expect((await refused(() => confirmImport(user, preview.id))).status).toBe(422);
    expect((await getPreview(user, preview.id)).appliedAt).not.toBeNull();
  });

  it("answers 409 and writes nothing when a hazard changed after the preview", async () => {
    const user = await sessionUser(db, CSO);
    const target = await emptyLog(db, "Stale log");
    await fillLog(db, target, loadDcspHazards().slice(0, 3).map((h) => h.input));
    const preview = await previewImport(user, target, upload(edited(file)));
    const [h2] = await db.select().from(hazards).where(and(eq(hazards.ref, "H-002"), eq(hazards.hazardLogId, target)));
    await updateHazard(user, h2.id, { version: 1, owner: "Someone else", reason: "Meanwhile" });
    const before = await counts(db);
    const res = await refused(() => confirmImport(user, preview.id));
    expect(res.status).toBe(409);
    expect(res.message).toMatch(/H-002 \(row 3\) has changed since the preview/);
    expect(await counts(db)).toEqual(before);
    const [still] = await db.select().from(importPreviews).where(eq(importPreviews.id, preview.id));
    expect(still.appliedAt).toBeNull(); // rolled back with the rest
  });

  it("refuses an expired preview (422) and forgets a cancelled one (404)", async () => {
    const user = await sessionUser(db, CSO);
    const old = await previewImport(user, log, upload(edited(file)), new Date(Date.now() - 2 * 60 * 60_000));
    expect((await refused(() => confirmImport(user, old.id))).message).toMatch(/expired/);
    const cancelled = await previewImport(user, log, upload(edited(file)));
    await cancelPreview(user, cancelled.id);
    expect((await refused(() => confirmImport(user, cancelled.id))).status).toBe(404);
  });
});
