// Hazard log rows (nhs-template.ts) ↔ xlsx and csv bytes. No database. Reading is defensive:
// uploads come from anywhere, so whole-file problems throw a SpreadsheetError with an HTTP status,
// row problems are returned, and nothing is evaluated (formulas are reported, not run).
import { promisify } from "node:util";
import { deflateRawSync, inflateRaw as inflateRawCb, type ZlibOptions } from "node:zlib";
import ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { FORMULA_MESSAGE, LIKELIHOOD_WORDS, SEVERITY_WORDS, TEMPLATE_COLUMNS, type TemplateColumn, type TemplateRow } from "./nhs-template.ts";
import type { RiskScheme } from "./risk.ts";

const inflateRaw = promisify<Buffer | Uint8Array, ZlibOptions, Buffer>(inflateRawCb);

export const MAX_DATA_ROWS = 10_000;
/** Upload size, and the most an xlsx may expand to (zip bombs). */
export const MAX_BYTES = 50 * 1024 * 1024;
const MAX_NAMED_CELLS = 100_000;
const HEADER_ROWS = 4; // as the template: groups in rows 1–3, labels in row 4
const SHEET = "Hazard Log";

export class SpreadsheetError extends Error {
  constructor(readonly status: 400 | 413 | 422, message: string) {
    super(message);
    this.name = "SpreadsheetError";
  }
}
export type SheetRow = { rowNumber: number; cells: Record<string, string> };
export type SheetProblem = { row: number; column: string; message: string };
export type SheetContent = { format: "xlsx" | "csv"; rows: SheetRow[]; problems: SheetProblem[] };

// ---- Writing
/** exceljs drops XML-invalid characters and reads `_xHHHH_` as an escape: escape both ways so text
 * (carriage returns included) comes back exactly. A "_" is escaped as "_x005F_" wherever the
 * reader would otherwise see an escape. Surrogates are escaped too (see restoreAstral). */
const ESCAPED = "\\u0000-\\u0008\\u000B\\u000C\\u000D\\u000E-\\u001F\\u007F\\uD800-\\uDFFF\\uFFFE\\uFFFF";
const xlsxText = (s: string) =>
  s.replace(new RegExp(`_(?=x[0-9A-F]{4}(?:_|[${ESCAPED}]))`, "g"), "_x005F_")
    .replace(new RegExp(`[${ESCAPED}]`, "g"), (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}_`);
/** JSZip (inside exceljs) encodes each 16K-character slice of a part on its own and breaks a
 * character outside the BMP (an emoji) cut in two. So those go through exceljs as escape pairs
 * (`_xD83D__xDE00_`, which Excel would show literally) and become real characters again here. */
async function restoreAstral(xlsx: Buffer): Promise<Buffer> {
  const tokens = /_x(D[89AB][0-9A-F]{2})__x(D[C-F][0-9A-F]{2})_|_x[0-9A-F]{4}_/g; // same left-to-right cut as the readers
  const files = (await checkZip(xlsx, Infinity)).map((f) => f.name !== "xl/sharedStrings.xml" ? f
    : { ...f, data: Buffer.from(f.data.toString("utf8").replace(tokens, (m, hi?: string, lo?: string) => (hi && lo ? String.fromCharCode(parseInt(hi, 16), parseInt(lo, 16)) : m))) });
  return zipFiles(files);
}
const thin = { style: "thin" as const };
const box = { top: thin, left: thin, bottom: thin, right: thin };

function xlsxValue(c: TemplateColumn, v: string | number | null | undefined): ExcelJS.CellValue {
  if (v == null || v === "") return null;
  if (c.kind === "date" && typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v)) return new Date(`${v}T00:00:00Z`);
  return typeof v === "number" ? v : xlsxText(v);
}

/** The template's grouped header: each group merged across its columns, each label merged down. */
function writeHeader(ws: ExcelJS.Worksheet) {
  const levels = TEMPLATE_COLUMNS.map((c) => [c.group, c.section, c.sub]);
  TEMPLATE_COLUMNS.forEach((c, i) => {
    const last = levels[i].findLastIndex((x) => x !== null);
    levels[i].forEach((v, k) => v !== null && (ws.getCell(k + 1, i + 1).value = v));
    ws.getCell(last + 2, i + 1).value = c.label;
    if (last + 2 < HEADER_ROWS) ws.mergeCells(last + 2, i + 1, HEADER_ROWS, i + 1);
  });
  for (let k = 0; k < 3; k++) {
    const key = (i: number) => (levels[i][k] === null ? null : JSON.stringify(levels[i].slice(0, k + 1)));
    for (let i = 0; i < levels.length; ) {
      let j = i;
      while (j + 1 < levels.length && key(i) !== null && key(j + 1) === key(i)) j++;
      if (j > i) ws.mergeCells(k + 1, i + 1, k + 1, j + 1);
      i = j + 1;
    }
  }
  for (let r = 1; r <= HEADER_ROWS; r++) {
    ws.getRow(r).eachCell({ includeEmpty: true }, (cell, col) => {
      cell.font = { bold: true };
      cell.alignment = { wrapText: true, vertical: "middle", horizontal: "center" };
      cell.border = box;
      cell.fill = fill(TEMPLATE_COLUMNS[col - 1]?.template ? "#D9E2F3" : "#EDEDED");
    });
  }
}

const fill = (hex: string | undefined): ExcelJS.Fill => ({ type: "pattern", pattern: "solid", fgColor: { argb: `FF${(hex ?? "#FFFFFF").replace("#", "").toUpperCase()}` } });

/** The scheme's 5×5 matrix (most likely at the top, as the template draws it), coloured, with the
 * acceptability of each rating and the meaning of each likelihood. */
function writeMatrix(wb: ExcelJS.Workbook, scheme: RiskScheme) {
  const ws = wb.addWorksheet("Risk Matrix");
  ws.columns = [{ width: 24 }, ...scheme.severities.map(() => ({ width: 16 }))];
  ws.getCell("A1").value = scheme.name;
  ws.getCell("A1").font = { bold: true, size: 14 };
  const [lCount, top] = [scheme.likelihoods.length, 5 + scheme.likelihoods.length];
  ws.getRow(3).values = ["Likelihood \\ Severity", ...scheme.severities.map((s) => s.label)];
  scheme.likelihoods.forEach((l, li) => {
    const row = ws.getRow(3 + lCount - li);
    row.values = [l.label, ...scheme.matrix[li]];
    scheme.matrix[li].forEach((rating, si) => Object.assign(row.getCell(2 + si), { fill: fill(scheme.colours[String(rating)]), border: box, alignment: { horizontal: "center" } }));
  });
  ws.getRow(top).values = ["Risk rating", "Label", "Acceptability"];
  for (let rating = 1; rating <= 5; rating++) {
    ws.getRow(top + rating).values = [rating, scheme.labels[String(rating)] ?? "", scheme.acceptability[String(rating)] ?? ""];
    ws.getCell(top + rating, 1).fill = fill(scheme.colours[String(rating)]);
  }
  ws.getRow(top + 7).values = ["Likelihood", "Meaning"];
  scheme.likelihoods.forEach((l, i) => (ws.getRow(top + 8 + i).values = [l.label, l.text ?? ""]));
  for (const r of [3, top, top + 7]) ws.getRow(r).font = { bold: true };
  for (let r = 4; r < 4 + lCount; r++) ws.getCell(r, 1).font = { bold: true };
}

/** Workbook with the "Hazard Log" sheet (template layout) and the scheme's "Risk Matrix" sheet. */
export async function writeXlsx(rows: readonly TemplateRow[], scheme: RiskScheme): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(SHEET, { views: [{ state: "frozen", ySplit: HEADER_ROWS, xSplit: 1 }] });
  TEMPLATE_COLUMNS.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    col.width = c.width;
    col.alignment = { wrapText: true, vertical: "top" };
    if (c.kind === "date") col.numFmt = "yyyy-mm-dd";
  });
  writeHeader(ws);
  for (const row of rows) ws.addRow(TEMPLATE_COLUMNS.map((c) => xlsxValue(c, row[c.letter])));
  // Drop-downs as in the template, over the rows written and some spare ones for additions.
  const [sev, lik] = [Object.values(SEVERITY_WORDS), Object.values(LIKELIHOOD_WORDS)];
  const lists: Record<string, string[]> = { initialSeverity: sev, residualSeverity: sev, initialLikelihood: lik, residualLikelihood: lik, status: ["Open", "Closed", "Transferred"] };
  for (const c of TEMPLATE_COLUMNS.filter((x) => lists[x.key])) {
    for (let r = HEADER_ROWS + 1; r <= HEADER_ROWS + rows.length + 200; r++)
      ws.getCell(`${c.letter}${r}`).dataValidation = { type: "list", allowBlank: true, formulae: [`"${lists[c.key].join(",")}"`] };
  }
  writeMatrix(wb, scheme);
  // Deflate level 1 (JSZip's default is 6, in JavaScript): about a third less CPU for the export
  // of a 5,000-hazard log for a file about a third larger (~1.1 MB); the content is the same.
  const xlsx = Buffer.from(await wb.xlsx.writeBuffer({ zip: { compression: "DEFLATE", compressionOptions: { level: 1 } } } as Partial<ExcelJS.XlsxWriteOptions>));
  return rows.some((r) => Object.values(r).some((v) => typeof v === "string" && /[\uD800-\uDBFF][\uDC00-\uDFFF]/.test(v))) ? restoreAstral(xlsx) : xlsx;
}

/** Same columns, one header row; a BOM so Excel reads UTF-8; every cell with a line break quoted. */
export function writeCsv(rows: readonly TemplateRow[]): string {
  const records = [TEMPLATE_COLUMNS.map((c) => c.header), ...rows.map((r) => TEMPLATE_COLUMNS.map((c) => (r[c.letter] == null ? "" : String(r[c.letter]))))];
  return `\uFEFF${stringify(records, { record_delimiter: "windows", quoted_match: /[\r\n]/ })}`;
}

// ---- Reading
const letter = (i: number): string => (i >= 26 ? letter(Math.floor(i / 26) - 1) : "") + String.fromCharCode(65 + (i % 26));
const norm = (s: string) => s.trim().replace(/\s+/g, " ").toLowerCase();
const labelMatches = (c: TemplateColumn, found: string) => [c.label, c.header].some((x) => norm(x) === norm(found));

/** Which columns the header row holds: all of A–AB, then our own columns for as far as they go. */
function headerWidth(labels: string[], where: string): number {
  const bad = TEMPLATE_COLUMNS.slice(0, 28).find((c, i) => !labelMatches(c, labels[i] ?? ""));
  if (bad) throw new SpreadsheetError(422, `${where} does not have the NHS Hazard Log template headings: column ${bad.letter} should be "${bad.header}", found "${labels[TEMPLATE_COLUMNS.indexOf(bad)] ?? ""}"`);
  let width = 28;
  while (width < TEMPLATE_COLUMNS.length && (labels[width] ?? "").trim() !== "") {
    const c = TEMPLATE_COLUMNS[width];
    if (!labelMatches(c, labels[width])) throw new SpreadsheetError(422, `${where}: column ${c.letter} should be "${c.header}" or empty, found "${labels[width]}"`);
    width++;
  }
  return width;
}

export async function readSpreadsheet(bytes: Uint8Array, filename: string): Promise<SheetContent> {
  if (bytes.length === 0) throw new SpreadsheetError(400, "The file is empty");
  if (bytes.length > MAX_BYTES) throw new SpreadsheetError(413, "The file is larger than 50 MB");
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return readXlsx(bytes);
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf) throw new SpreadsheetError(400, "Old Excel (.xls) files are not read: save it as .xlsx or .csv");
  if (/\.xls[xm]?$/i.test(filename)) throw new SpreadsheetError(400, `${filename} is not a readable xlsx workbook`);
  return readCsv(decodeText(bytes));
}

function decodeText(bytes: Uint8Array): string {
  if (bytes.includes(0)) throw new SpreadsheetError(400, "The file is neither an xlsx workbook nor a CSV text file");
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    // Excel's "CSV (Comma delimited)" is Windows-1252; anything else binary is refused.
    const text = new TextDecoder("windows-1252").decode(bytes);
    if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text)) throw new SpreadsheetError(400, "The file is neither an xlsx workbook nor a CSV text file");
    return text;
  }
}

function readCsv(text: string): SheetContent {
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: false });
  } catch (e) {
    throw new SpreadsheetError(400, `The CSV file cannot be read: ${(e as Error).message}`);
  }
  const width = headerWidth(records[0] ?? [], "The CSV header row");
  const rows: SheetRow[] = [];
  const problems: SheetProblem[] = [];
  for (let i = 1; i < records.length; i++) {
    const rec = records[i];
    if (rec.every((v) => v.trim() === "")) continue;
    if (rows.length + problems.length >= MAX_DATA_ROWS) throw new SpreadsheetError(413, `More than ${MAX_DATA_ROWS} rows`);
    if (rec.length !== records[0].length) {
      const at = letter(Math.min(rec.length, records[0].length));
      problems.push({ row: i + 1, column: at, message: `The row has ${rec.length} cells but the header has ${records[0].length}` });
      continue;
    }
    rows.push({ rowNumber: i + 1, cells: Object.fromEntries(TEMPLATE_COLUMNS.slice(0, width).map((c, j) => [c.letter, rec[j]])) });
  }
  return { format: "csv", rows, problems };
}

function toText(v: ExcelJS.CellValue | undefined): string {
  if (v == null) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? "" : v.toISOString().endsWith("T00:00:00.000Z") ? v.toISOString().slice(0, 10) : v.toISOString();
  if ("richText" in v) return v.richText.map((r) => r.text).join("");
  if ("hyperlink" in v) return toText(v.text as ExcelJS.CellValue);
  if ("error" in v) return String(v.error);
  if ("result" in v) return toText(v.result as ExcelJS.CellValue);
  return "";
}

async function readXlsx(bytes: Uint8Array): Promise<SheetContent> {
  const entries = await checkZip(bytes);
  const workbookXml = entries.find((e) => e.name === "xl/workbook.xml")?.data.toString("utf8");
  if (workbookXml === undefined) throw new SpreadsheetError(400, "The zip file is not an xlsx workbook");
  checkDefinedNames(workbookXml);
  const wb = new ExcelJS.Workbook();
  try {
    // Range-expanding parts (merges, validations, formats, tables) are skipped: a few bytes of XML
    // there can make exceljs visit billions of cells, and the import needs none of them.
    // Row and cell caps bound memory (blank formatted rows count, hence the margin over 10,000).
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer, {
      ignoreNodes: ["mergeCells", "dataValidations", "conditionalFormatting", "hyperlinks", "extLst", "tableParts", "drawing", "picture", "autoFilter", "rowBreaks"],
      maxRows: 100_000, maxCols: 2_000,
    } as Partial<ExcelJS.XlsxReadOptions>);
  } catch (e) {
    if (/^Max (row|column) count/.test((e as Error).message)) throw new SpreadsheetError(413, "The workbook has too many rows or columns");
    throw new SpreadsheetError(400, "The xlsx workbook cannot be read");
  }
  const ws = wb.worksheets.find((w) => norm(w.name) === norm(SHEET));
  if (!ws) throw new SpreadsheetError(422, `The workbook has no "${SHEET}" sheet`);

  // Labels sit in the lowest header row, or higher where merged down (the merge itself is skipped).
  const labels: string[] = [];
  let headerRow = 0;
  let width = 0;
  let best: { matches: number; error: unknown } = { matches: -1, error: new SpreadsheetError(422, `The "${SHEET}" sheet is empty`) };
  for (let r = 1; r <= Math.min(10, ws.rowCount) && !headerRow; r++) {
    TEMPLATE_COLUMNS.forEach((_c, i) => {
      const t = toText(ws.findRow(r)?.getCell(i + 1).value);
      if (t.trim()) labels[i] = t;
    });
    try {
      width = headerWidth(labels, `The "${SHEET}" sheet`);
      headerRow = r;
    } catch (error) {
      // Report the row that came closest (a header that is slightly off, not a data row).
      const matches = TEMPLATE_COLUMNS.filter((c, i) => labelMatches(c, labels[i] ?? "")).length;
      if (matches > best.matches) best = { matches, error };
    }
  }
  if (!headerRow) throw best.error;

  const rows: SheetRow[] = [];
  const problems: SheetProblem[] = [];
  for (let r = headerRow + 1; r <= ws.rowCount; r++) {
    const row = ws.findRow(r);
    if (!row) continue;
    const cells: Record<string, string> = {};
    const found: SheetProblem[] = [];
    TEMPLATE_COLUMNS.slice(0, width).forEach((c, i) => {
      const v = row.getCell(i + 1).value;
      const formula = v && typeof v === "object" && ("formula" in v || "sharedFormula" in v);
      if (formula && !c.formula) {
        found.push({ row: r, column: c.letter, message: `${c.header}: ${FORMULA_MESSAGE}` });
        cells[c.letter] = `=${"formula" in v ? v.formula : v.sharedFormula}`;
      } else cells[c.letter] = toText(v);
    });
    if (Object.values(cells).every((t) => t.trim() === "")) continue;
    if (rows.length >= MAX_DATA_ROWS) throw new SpreadsheetError(413, `More than ${MAX_DATA_ROWS} rows`);
    rows.push({ rowNumber: r, cells });
    problems.push(...found);
  }
  return { format: "xlsx", rows, problems };
}

type ZipEntry = { name: string; data: Buffer };
/** Walks the zip's central directory and inflates every entry within its declared size, so a
 * zip bomb (declared or disguised) is refused before exceljs sees it. */
async function checkZip(b: Uint8Array, limit = MAX_BYTES): Promise<ZipEntry[]> {
  const damaged = () => new SpreadsheetError(400, "The xlsx file is damaged or incomplete");
  const tooBig = () => new SpreadsheetError(413, "The xlsx workbook expands to more than 50 MB");
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const u16 = (o: number) => dv.getUint16(o, true);
  const u32 = (o: number) => dv.getUint32(o, true);
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 0xffff); i--) if (u32(i) === 0x06054b50) { eocd = i; break; }
  if (eocd < 0) throw damaged();
  const [count, cdSize, cdOffset] = [u16(eocd + 10), u32(eocd + 12), u32(eocd + 16)];
  if (count === 0xffff || cdOffset === 0xffffffff) throw tooBig(); // ZIP64: only needed beyond 4 GB
  if (cdOffset + cdSize > eocd || count > 10_000) throw damaged();
  const entries: { name: string; flags: number; method: number; csize: number; usize: number; local: number }[] = [];
  let total = 0;
  for (let n = 0, p = cdOffset; n < count; n++) {
    if (p + 46 > eocd || u32(p) !== 0x02014b50) throw damaged();
    const nlen = u16(p + 28);
    const e = { name: Buffer.from(b.subarray(p + 46, p + 46 + nlen)).toString("utf8"), flags: u16(p + 8), method: u16(p + 10), csize: u32(p + 20), usize: u32(p + 24), local: u32(p + 42) };
    total += e.usize;
    if (total > limit || e.usize === 0xffffffff) throw tooBig();
    entries.push(e);
    p += 46 + nlen + u16(p + 30) + u16(p + 32);
  }
  const out: ZipEntry[] = [];
  for (const e of entries) {
    if (e.flags & 1) throw new SpreadsheetError(400, "Encrypted (password-protected) workbooks are not read");
    if (e.local + 30 > b.length || u32(e.local) !== 0x04034b50) throw damaged();
    const start = e.local + 30 + u16(e.local + 26) + u16(e.local + 28);
    if (start + e.csize > b.length) throw damaged();
    const data = b.subarray(start, start + e.csize);
    let content: Buffer;
    if (e.method === 0) content = Buffer.from(data);
    else if (e.method === 8) {
      try {
        content = await inflateRaw(data, { maxOutputLength: Math.max(1, e.usize) });
      } catch (err) {
        throw (err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE" ? tooBig() : damaged();
      }
    } else throw damaged();
    if (content.length !== e.usize) throw damaged();
    out.push({ name: e.name, data: content });
  }
  return out;
}

/** Entries (already size-checked) deflated into a zip file, names flagged as UTF-8. */
function zipFiles(files: ZipEntry[]): Buffer {
  const [parts, central] = [[] as Buffer[], [] as Buffer[]];
  let offset = 0;
  for (const f of files) {
    const [name, crc, data] = [Buffer.from(f.name), crc32(f.data), deflateRawSync(f.data)];
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(0x0800, 6); local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14); local.writeUInt32LE(data.length, 18); local.writeUInt32LE(f.data.length, 22); local.writeUInt16LE(name.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0); dir.writeUInt16LE(20, 4); dir.writeUInt16LE(20, 6); dir.writeUInt16LE(0x0800, 8); dir.writeUInt16LE(8, 10);
    dir.writeUInt32LE(crc, 16); dir.writeUInt32LE(data.length, 20); dir.writeUInt32LE(f.data.length, 24); dir.writeUInt16LE(name.length, 28); dir.writeUInt32LE(offset, 42);
    parts.push(local, name, data);
    central.push(dir, name);
    offset += 30 + name.length + data.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(files.length, 8); end.writeUInt16LE(files.length, 10); end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cd, end]);
}
// zlib.crc32 needs Node 20.15; the table version works on every Node 20.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  for (let k = 0; k < 8; k++) n = n & 1 ? 0xedb88320 ^ (n >>> 1) : n >>> 1;
  return n >>> 0;
});
const crc32 = (bytes: Uint8Array) => ~bytes.reduce((c, b) => CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8), ~0) >>> 0;

/** exceljs expands every defined name (except print areas) cell by cell: refuse huge ones. */
function checkDefinedNames(xml: string) {
  let cells = 0;
  for (const m of xml.matchAll(/<definedName\b([^>]*)>([^<]*)<\/definedName>/g)) {
    if (/name="_xlnm\./.test(m[1])) continue;
    for (const r of m[2].matchAll(/\$?([A-Z]{1,3})\$?(\d+):\$?([A-Z]{1,3})\$?(\d+)/g)) {
      const col = (s: string) => [...s].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
      cells += (Math.abs(col(r[3]) - col(r[1])) + 1) * (Math.abs(Number(r[4]) - Number(r[2])) + 1);
    }
  }
  if (cells > MAX_NAMED_CELLS) throw new SpreadsheetError(422, "The workbook's named ranges cover too many cells");
}
