// POST /api/v1/hazard-logs/{id}/import and GET …/export: answers (200, 400, 403, 404, 413, 415,
// 422), nothing written on any refusal, who may import (contract §3), formula neutralisation and
// the audit entries.
import { eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hazards } from "#db/schema/index.ts";
import { COL } from "#app/domain/nhs-template.ts";
import { MAX_BYTES } from "#app/domain/spreadsheet.ts";
import { closeTestDb, openTestDb, type Db } from "#tests/setup/test-db.ts";
import { loadDcspHazards } from "#tests/fixtures/dcsp-markdown.ts";
import { auditActions, counts, emptyLog, exportBytes, exportVia, fillLog, importVia, logIdByTitle, multipart, SUPPLIER_LOG, XLSX } from "./helpers.ts";

let db: Db;
let source: string;
let sampleCsv: string;
const CSO = "cso@supplier.example";
beforeAll(async () => {
  ({ db } = await openTestDb());
  source = await emptyLog(db, "Import API source");
  await fillLog(db, source, loadDcspHazards().map((h) => h.input));
  sampleCsv = new TextDecoder().decode(await exportBytes(db, CSO, source, "csv"));
});
afterAll(closeTestDb);

/** The sample CSV with one cell of one data row (1-based) replaced. */
function withCell(csv: string, dataRow: number, letter: string, value: string): string {
  const records = csvRecords(csv);
  const col = letter.length === 1 ? letter.charCodeAt(0) - 65 : 26 + letter.charCodeAt(1) - 65;
  records[dataRow][col] = value;
  return records.map((r) => r.map((v) => `"${v.replace(/"/g, '""')}"`).join(",")).join("\r\n");
}
function csvRecords(csv: string): string[][] {
  return parse(csv, { bom: true, relax_column_count: true });
}

describe("import answers", () => {
  it("200 { created, updated } for a good file", async () => {
    const target = await emptyLog(db, "Good import");
    const res = await importVia(db, CSO, target, multipart(sampleCsv, "good.csv"));
    expect(res).toEqual({ status: 200, body: { created: 9, updated: 0, unchanged: 0 } });
    expect(await auditActions(db, target)).toEqual(["log.imported"]);
    const created = await db.select().from(hazards).where(eq(hazards.hazardLogId, target));
    expect(created).toHaveLength(9);
    expect((await auditActions(db, created[0].id))).toEqual(["hazard.created"]);
  });

  it("422 with every problem by row and column, and nothing written", async () => {
    const target = await emptyLog(db, "Bad import");
    let bad = withCell(sampleCsv, 2, "M", "Catastrophic-ish");
    bad = withCell(bad, 4, COL.harm, "");
    bad = withCell(bad, 5, COL.initialRisk, "5"); // disagrees with the matrix: an error, the matrix counts
    const before = await counts(db);
    const res = await importVia(db, CSO, target, multipart(bad, "bad.csv"));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("import_errors");
    expect(res.body.error.rows).toEqual([
      { row: 3, column: "M", message: expect.stringContaining('"Catastrophic-ish" is not a severity') },
      { row: 5, column: "E", message: expect.stringContaining("is required") },
      { row: 6, column: "O", message: expect.stringMatching(/disagrees with the risk matrix .* the matrix value \d is what counts/) },
    ]);
    expect(await counts(db)).toEqual(before);
  });

  it("422 for a file without the template's headings (row 0: the whole file)", async () => {
    const res = await importVia(db, CSO, source, multipart("Name,Severity\nx,Major\n", "other.csv"));
    expect(res.status).toBe(422);
    expect(res.body.error.rows).toEqual([{ row: 0, column: "", message: expect.stringContaining("NHS Hazard Log template headings") }]);
  });

  it("400 without a file field, for an empty file, and for a body that is not multipart", async () => {
    expect((await importVia(db, CSO, source, multipart(null))).status).toBe(400);
    expect((await importVia(db, CSO, source, multipart(""))).status).toBe(400);
    const json = await importVia(db, CSO, source, "{}", { "Content-Type": "application/json" });
    expect(json.status).toBe(400);
  });

  it("415 for a file that is neither xlsx nor csv (PNG, PDF, a plain zip)", async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, ...new Array(64).fill(0)]);
    const pdf = new TextEncoder().encode("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n");
    for (const [bytes, name] of [[png, "log.csv"], [pdf, "log.xlsx"]] as const) {
      const res = await importVia(db, CSO, source, multipart(bytes, name));
      expect(res.status, name).toBe(415);
      expect(res.body.error.code).toBe("unsupported_type");
    }
  });

  it("413 from Content-Length before reading, and while reading a body that does not say its length", async () => {
    const before = await counts(db);
    const declared = await importVia(db, CSO, source, "x", { "Content-Type": "multipart/form-data; boundary=b", "Content-Length": String(MAX_BYTES + 10_000_000) });
    expect(declared.status).toBe(413);
    const chunk = new Uint8Array(1024 * 1024).fill(65);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > MAX_BYTES + 2 * chunk.length) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const streamed = await importVia(db, CSO, source, stream, { "Content-Type": "multipart/form-data; boundary=b" });
    expect(streamed.status).toBe(413);
    expect(sent).toBeLessThan(MAX_BYTES + 4 * chunk.length); // stopped reading soon after the limit
    expect(await counts(db)).toEqual(before);
  });
});

describe("who may import (contract §3)", () => {
  it.each([
    ["auditor@icb.example", 403, "a viewer who may read the supplier log"],
    ["cso@harbourside.example", 403, "another organisation's CSO who may read it"],
    ["engineer@supplier.example", 403, "a contributor of the owner organisation"],
    ["cso@othersupplier.example", 404, "a CSO of an organisation outside the platform"],
  ])("%s → %i (%s), nothing written", async (email, status) => {
    const log = await logIdByTitle(db, SUPPLIER_LOG);
    const before = await counts(db);
    expect((await importVia(db, email, log, multipart(sampleCsv, "x.csv"))).status).toBe(status);
    expect(await counts(db)).toEqual(before);
  });

  it("export: readers may, others get 404", async () => {
    const log = await logIdByTitle(db, SUPPLIER_LOG);
    expect((await exportVia(db, "auditor@icb.example", log, "csv")).status).toBe(200);
    expect((await exportVia(db, "cso@othersupplier.example", log, "csv")).status).toBe(404);
  });
});

describe("export", () => {
  it("xlsx and csv with the right media type and an attachment filename; 400 for another format", async () => {
    const log = await logIdByTitle(db, SUPPLIER_LOG);
    const xlsx = await exportVia(db, CSO, log, "xlsx");
    expect(xlsx.headers.get("Content-Type")).toBe(XLSX);
    expect(xlsx.headers.get("Content-Disposition")).toMatch(/^attachment; filename="wessex-shared-epr-dcb0129-hazard-log-\d{4}-\d{2}-\d{2}\.xlsx"/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Hazard Log", "Risk Matrix"]);
    const csv = await exportVia(db, CSO, log, "csv");
    expect(csv.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("Content-Disposition")).toMatch(/filename=".*\.csv"/);
    expect((await exportVia(db, CSO, log)).headers.get("Content-Type")).toBe(XLSX); // xlsx by default
    const bad = await exportVia(db, CSO, log, "pdf");
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.fields.format).toBeTruthy();
  });

  it("neutralises formula-like text (OWASP CSV injection) in csv and xlsx", async () => {
    const log = await emptyLog(db, "Formula log");
    const [h] = loadDcspHazards();
    await fillLog(db, log, [{ ...h.input, title: '=HYPERLINK("http://evil.example","x")', harm: "+1+cmd|' /C calc'!A0", owner: "@SUM(1)" }]);
    const csv = new TextDecoder().decode(await exportBytes(db, CSO, log, "csv"));
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(csv).toContain("'+1+cmd|");
    expect(csv).toContain("'@SUM(1)");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await exportBytes(db, CSO, log, "xlsx")) as never);
    const row = wb.getWorksheet("Hazard Log")!.getRow(5);
    expect(row.getCell(30).value).toBe('\'=HYPERLINK("http://evil.example","x")'); // AD: Title
    expect(row.getCell(5).value).toBe("'+1+cmd|' /C calc'!A0");
    // …and the import takes exactly that quote off again.
    const target = await emptyLog(db, "Formula back");
    await importVia(db, CSO, target, multipart(csv, "f.csv"));
    const [back] = await db.select().from(hazards).where(eq(hazards.hazardLogId, target));
    expect(back.title).toBe('=HYPERLINK("http://evil.example","x")');
  });

  it("is audited (log.exported) in the log owner's chain, with the format and count", async () => {
    const log = await emptyLog(db, "Audited export");
    await exportBytes(db, "auditor@icb.example", log, "csv"); // the ICB reads the supplier's logs
    await exportBytes(db, CSO, log, "xlsx");
    expect(await auditActions(db, log)).toEqual(["log.exported", "log.exported"]);
  });
});
