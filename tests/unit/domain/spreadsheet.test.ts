// xlsx/csv bytes: lossless round trips (property-based, the 9 DCSP sample hazards, 1,000 hazards)
// and hostile files (random bytes, truncated zips, zip bombs, wrong layouts), which must end in a
// SpreadsheetError or row problems, never in any other exception.
import { deflateRawSync } from "node:zlib";
import ExcelJS from "exceljs";
import fc from "fast-check";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { HAZARD_TYPES, HazardInput, SOURCES } from "#app/domain/hazard-fields.ts";
import type { HazardView } from "#app/domain/hazard-view.ts";
import { encodeList, hazardToRow, rowToHazardInput, templateControlOrder, TEMPLATE_COLUMNS } from "#app/domain/nhs-template.ts";
import { LIKELIHOODS, lookupRisk, SEVERITIES, type RiskScheme } from "#app/domain/risk.ts";
import { MAX_DATA_ROWS, readSpreadsheet, SpreadsheetError, writeCsv, writeXlsx } from "#app/domain/spreadsheet.ts";
import { NHS_RISK_SCHEME } from "#db/seed-data/nhs-risk-scheme.ts";
import { loadDcspHazards, viewFromInput } from "#tests/fixtures/dcsp-markdown.ts";

const scheme: RiskScheme = { ...NHS_RISK_SCHEME, id: "00000000-0000-4000-8000-000000000001" };
const ORGS = ["11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222", "33333333-3333-4333-8333-333333333333"];
// The third organisation has no name on purpose: its id is written and read back as it is.
const names = new Map([[ORGS[0], "Acme Health Systems Ltd"], [ORGS[1], "NHS Wessex Coast ICB"]]);
const opts = { organisationIdByName: new Map([...names].map(([id, name]) => [name, id])) };
const utf8 = (s: string) => new TextEncoder().encode(s);

// ---- Arbitraries: stored-looking hazards whose text is built to collide with every encoding rule.
const piece = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom("=", "+", "-", "@", "'", "• ", "•", "\n", "\r\n", "\r", "\n  ", "\n• ", "- ", "\n- ", "[Test] ", "[Design] ", "_x000D_", "_x005F_", "_x005F", "_xD83D_", "_x0041", "x0041_", "_", ",", '"', ";", "\t", "é", "😀", "\u0001", "\u00a0", " ", "[Verified] ") },
  { weight: 3, arbitrary: fc.string({ unit: "grapheme", maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 4 }) },
);
// Trimmed (as the API stores text), no NUL and well-formed UTF-16 (as PostgreSQL stores text).
const text = (max: number, min = 0) =>
  fc.oneof({ weight: 20, arbitrary: fc.array(piece, { maxLength: 8 }).map((a) => a.join("")) }, { weight: 1, arbitrary: fc.constant("x".repeat(max)) })
    .map((s) => s.replace(/\u0000/g, "").slice(0, max).replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "").trim())
    .filter((s) => s.length >= min);
const maybe = <T,>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
const assessment = fc.record({ severity: maybe(fc.constantFrom(...SEVERITIES)), likelihood: maybe(fc.constantFrom(...LIKELIHOODS)), justification: maybe(text(4000, 1)) });
const control = fc.record({
  kind: fc.constantFrom("existing" as const, "additional" as const), type: fc.constantFrom("design" as const, "test" as const, "training" as const, "business_process" as const),
  description: text(4000, 1), ownerOrganisationId: fc.constantFrom(...ORGS), state: fc.constantFrom("planned" as const, "implemented" as const, "verified" as const),
  evidenceRefs: fc.array(text(200), { maxLength: 3 }),
});
const hazardView: fc.Arbitrary<HazardView> = fc.record({
  n: fc.integer({ min: 1, max: 9999 }), title: text(200, 1), description: text(4000), causes: fc.array(text(1000, 1), { maxLength: 4 }),
  effect: text(4000), hazard: text(4000), harm: text(4000, 1), hazardType: maybe(fc.constantFrom(...HAZARD_TYPES)), source: maybe(fc.constantFrom(...SOURCES)),
  owner: maybe(text(200, 1)), reviewDue: maybe(fc.integer({ min: 0, max: 40_000 }).map((d) => new Date(Date.UTC(2000, 0, 1 + d)).toISOString().slice(0, 10))),
  controls: fc.array(control, { maxLength: 6 }), initial: assessment, residual: assessment, riskBenefitJustification: maybe(text(4000, 1)),
  status: fc.constantFrom("open" as const, "transferred" as const, "closed" as const), version: fc.integer({ min: 1, max: 500 }),
}).map(({ n, version, ...input }) => ({ ...viewFromInput(HazardInput.parse(input), scheme, n, ORGS[0]), version }));

/** What an import must give back: the writable fields, controls in template order. */
function writable(v: HazardView): HazardInput {
  const orNull = (s: string | null) => (s ? s : null);
  const a = (x: HazardView["initial"]) => ({ severity: x.severity, likelihood: x.likelihood, justification: orNull(x.justification) }) as HazardInput["initial"];
  return HazardInput.parse({
    title: v.title, description: v.description, causes: v.causes, effect: v.effect, hazard: v.hazard, harm: v.harm, hazardType: v.hazardType, source: v.source,
    owner: orNull(v.owner), reviewDue: v.reviewDue, initial: a(v.initial), residual: a(v.residual), riskBenefitJustification: orNull(v.riskBenefitJustification), status: v.status,
    controls: templateControlOrder(v.controls).map(({ kind, type, description, ownerOrganisationId, state, evidenceRefs }) => ({ kind, type, description, ownerOrganisationId, state, evidenceRefs })),
  });
}

async function roundTrip(views: HazardView[], format: "xlsx" | "csv") {
  const rows = views.map((v) => hazardToRow(v, names));
  const bytes = format === "xlsx" ? await writeXlsx(rows, scheme) : utf8(writeCsv(rows));
  const read = await readSpreadsheet(bytes, `log.${format}`);
  expect(read.problems).toEqual([]);
  expect(read.format).toBe(format);
  return read.rows.map((r) => ({ rowNumber: r.rowNumber, ...rowToHazardInput(r.cells, scheme, opts) }));
}

function expectSame(back: Awaited<ReturnType<typeof roundTrip>>, views: HazardView[]) {
  expect(back).toHaveLength(views.length);
  back.forEach((b, i) => {
    expect(b.problems).toEqual([]);
    expect({ ref: b.ref, version: b.version, input: b.input }).toEqual({ ref: views[i].ref, version: views[i].version, input: writable(views[i]) });
  });
}

async function expectRefused(p: Promise<unknown>, status?: number) {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(SpreadsheetError);
  if (status) expect((e as SpreadsheetError).status).toBe(status);
  return e as SpreadsheetError;
}

describe("round trip", () => {
  it("row level: any hazard → row → input gives back its writable fields", () => {
    fc.assert(fc.property(hazardView, (v) => {
      const cells = Object.fromEntries(Object.entries(hazardToRow(v, names)).map(([k, x]) => [k, x == null ? "" : String(x)]));
      const r = rowToHazardInput(cells, scheme, opts);
      expect(r.problems).toEqual([]);
      expect(r.input).toEqual(writable(v));
    }), { numRuns: 300 });
  });

  it("csv: any hazards → bytes → read gives back their writable fields", async () => {
    await fc.assert(fc.asyncProperty(fc.array(hazardView, { minLength: 1, maxLength: 4 }), async (views) => expectSame(await roundTrip(views, "csv"), views)), { numRuns: 60 });
  });

  it("xlsx: any hazards → bytes → read gives back their writable fields", async () => {
    await fc.assert(fc.asyncProperty(fc.array(hazardView, { minLength: 1, maxLength: 4 }), async (views) => expectSame(await roundTrip(views, "xlsx"), views)), { numRuns: 25 });
  }, 60_000);

  it("the 9 DCSP sample hazards survive xlsx and csv", async () => {
    const samples = loadDcspHazards();
    expect(samples).toHaveLength(9);
    for (const s of samples) {
      expect(s.warnings).toContain('status "Under review" read as open');
      const { initial } = s.input;
      expect(lookupRisk(scheme, initial.likelihood!, initial.severity!)).toBe(s.statedRisk);
    }
    const views = samples.map((s, i) => viewFromInput(s.input, scheme, i + 1, ORGS[0]));
    for (const format of ["xlsx", "csv"] as const) {
      const back = await roundTrip(views, format);
      expectSame(back, views);
      // Nothing the markdown said is lost (the import also fills the optional fields with null).
      back.forEach((b, i) => expect(b.input).toMatchObject({ ...samples[i].input, controls: samples[i].input.controls.map((c) => expect.objectContaining(c)) }));
    }
  });

  it("1,000 hazards round trip through xlsx and csv in well under 10 s", async () => {
    const views = fc.sample(hazardView, { numRuns: 1000, seed: 129 }).map((v, i) => ({ ...v, ref: `H-${i + 1}` }));
    const started = performance.now();
    expectSame(await roundTrip(views, "xlsx"), views);
    expectSame(await roundTrip(views, "csv"), views);
    expect(performance.now() - started).toBeLessThan(10_000);
  }, 30_000);
});

describe("xlsx layout", () => {
  it("has the grouped four-row header and the scheme's risk matrix", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await writeXlsx([], scheme) as unknown as ExcelJS.Buffer);
    const ws = wb.getWorksheet("Hazard Log")!;
    expect(ws.getCell("G1").value).toBe("Initial Risk");
    expect(ws.getCell("G2").value).toBe("Existing Controls");
    expect(ws.getCell("G3").value).toBe("HIT Design");
    expect(ws.getCell("G4").value).toBe("Description");
    expect(ws.getCell("U3").value).toBe("Business Process Change");
    expect(ws.getCell("AB1").value).toBe("Status");
    expect(ws.getCell("AC2").value).toBe("Ref");
    expect(ws.model.merges).toEqual(expect.arrayContaining(["C1:F1", "G1:P1", "Q1:Z1", "G2:L2", "M2:P2", "G3:H3", "A1:A4", "C3:C4", "AC1:AJ1", "AC2:AC4"]));
    const m = wb.getWorksheet("Risk Matrix")!;
    expect(m.getRow(3).values).toEqual([undefined, "Likelihood \\ Severity", "Minor", "Significant", "Considerable", "Major", "Catastrophic"]);
    expect(m.getRow(4).values).toEqual([undefined, "Very high", 3, 4, 4, 5, 5]);
    expect(m.getRow(8).values).toEqual([undefined, "Very low", 1, 1, 2, 2, 3]);
    expect((m.getCell("F4").fill as ExcelJS.FillPattern).fgColor?.argb).toBe("FFE36C0A");
    expect(m.getRow(11).values).toEqual([undefined, 1, "Acceptable", scheme.acceptability["1"]]);
  });
});

describe("xlsx text as Excel sees it", () => {
  it("keeps emoji as characters and writes control characters and literal escapes the OOXML way", async () => {
    const [s] = loadDcspHazards();
    const view = { ...viewFromInput(s.input, scheme, 1, ORGS[0]), description: "Alert 😀 shown\r\nnext _x000D_ \u0001 _x005F😀" };
    const zip = await JSZip.loadAsync(await writeXlsx([hazardToRow(view, names)], scheme));
    const strings = await zip.file("xl/sharedStrings.xml")!.async("string");
    // "_x005F" before an emoji is escaped too: harmless, it still reads back as "_x005F".
    expect(strings).toContain("Alert 😀 shown_x000D_\nnext _x005F_x000D_ _x0001_ _x005F_x005F😀");
    expect(strings).not.toMatch(/_xD83D_|\uFFFD/);
    const back = await roundTrip([view], "xlsx");
    expect(back[0].input?.description).toBe(view.description);
  });
});

// ---- Hostile and malformed files
async function modifyXlsx(change: (zip: JSZip) => Promise<void>) {
  const [s] = loadDcspHazards();
  const zip = await JSZip.loadAsync(await writeXlsx([hazardToRow(viewFromInput(s.input, scheme, 1, ORGS[0]), names)], scheme));
  await change(zip);
  return zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
}
const editEntry = (name: string, edit: (xml: string) => string) => async (zip: JSZip) => {
  zip.file(name, edit(await zip.file(name)!.async("string")));
};

/** A one-entry zip written by hand, so its declared sizes can lie. */
function handZip(name: string, data: Buffer, declaredSize: number, method = 8) {
  const n = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(method, 8);
  local.writeUInt32LE(data.length, 18); local.writeUInt32LE(declaredSize, 22); local.writeUInt16LE(n.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(method, 10);
  central.writeUInt32LE(data.length, 20); central.writeUInt32LE(declaredSize, 24); central.writeUInt16LE(n.length, 28);
  const cdOffset = 30 + n.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(1, 8); end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + n.length, 12); end.writeUInt32LE(cdOffset, 16);
  return Buffer.concat([local, n, data, central, n, end]);
}

describe("hostile files", () => {
  it("random bytes end in a SpreadsheetError or a result, never another exception", async () => {
    const zipLike = fc.uint8Array({ maxLength: 600 }).map((b) => Uint8Array.from([0x50, 0x4b, 0x03, 0x04, ...b]));
    await fc.assert(fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 2000 }), zipLike), fc.constantFrom("upload.xlsx", "upload.csv"), async (bytes, name) => {
      await readSpreadsheet(bytes, name).catch((e) => expect(e).toBeInstanceOf(SpreadsheetError));
    }), { numRuns: 300 });
  });

  it("truncated and corrupted workbooks are refused as damaged", async () => {
    const good = await modifyXlsx(async () => {});
    for (const cut of [10, 100, good.length / 2, good.length - 30, good.length - 1]) await expectRefused(readSpreadsheet(good.subarray(0, Math.floor(cut)), "log.xlsx"), 400);
    await fc.assert(fc.asyncProperty(fc.array(fc.tuple(fc.nat({ max: good.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), async (flips) => {
      const bad = Uint8Array.from(good);
      for (const [at, v] of flips) bad[at] = v;
      await readSpreadsheet(bad, "log.xlsx").catch((e) => expect(e).toBeInstanceOf(SpreadsheetError));
    }), { numRuns: 60 });
  }, 60_000);

  it("zip bombs are refused from their declared sizes, or when they expand beyond them", async () => {
    const big = deflateRawSync(Buffer.alloc(60 * 1024 * 1024));
    expect((await expectRefused(readSpreadsheet(handZip("xl/workbook.xml", big, 60 * 1024 * 1024), "bomb.xlsx"), 413)).message).toMatch(/50 MB/);
    await expectRefused(readSpreadsheet(handZip("xl/workbook.xml", big, 1000), "liar.xlsx"), 413);
    await expectRefused(readSpreadsheet(handZip("readme.txt", deflateRawSync(Buffer.from("hello")), 5), "other.zip"), 400);
    await expectRefused(readSpreadsheet(handZip("xl/workbook.xml", Buffer.from("abc"), 3, 12), "bzip2.xlsx"), 400);
  });

  it("workbooks without the Hazard Log sheet or its headings are refused", async () => {
    const renamed = await modifyXlsx(editEntry("xl/workbook.xml", (x) => x.replace('name="Hazard Log"', 'name="Hazards"')));
    expect((await expectRefused(readSpreadsheet(renamed, "a.xlsx"), 422)).message).toMatch(/no "Hazard Log" sheet/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await modifyXlsx(async () => {}) as unknown as ExcelJS.Buffer);
    wb.getWorksheet("Hazard Log")!.getCell("N4").value = "Probability";
    const relabelled = new Uint8Array(await wb.xlsx.writeBuffer());
    expect((await expectRefused(readSpreadsheet(relabelled, "a.xlsx"), 422)).message).toMatch(/column N should be "Initial Risk - Likelihood", found "Probability"/);
  });

  it("a few bytes of XML cannot make the reader visit billions of cells", async () => {
    const huge = await modifyXlsx(editEntry("xl/worksheets/sheet1.xml", (x) => x.replace("</sheetData>",
      '</sheetData><mergeCells count="1"><mergeCell ref="A100:XFD1048576"/></mergeCells><dataValidations count="1"><dataValidation type="list" sqref="A100:XFD1048576"><formula1>"a,b"</formula1></dataValidation></dataValidations>')));
    const started = performance.now();
    expect((await readSpreadsheet(huge, "a.xlsx")).rows).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(5000);
    const named = await modifyXlsx(editEntry("xl/workbook.xml", (x) => x.replace("</sheets>", "</sheets><definedNames><definedName name=\"All\">'Hazard Log'!$A$1:$XFD$1048576</definedName></definedNames>")));
    await expectRefused(readSpreadsheet(named, "a.xlsx"), 422);
  });

  it("formula cells are reported, not evaluated; the template's Risk formula is read from its cached result", async () => {
    const withFormulas = await modifyXlsx(editEntry("xl/worksheets/sheet1.xml", (x) => x
      .replace(/<c r="E5"([^>]*?)( t="s")?><v>\d+<\/v><\/c>/, '<c r="E5"$1><f>1+1</f><v>2</v></c>')
      .replace(/<c r="O5"([^>]*?)><v>3<\/v><\/c>/, '<c r="O5"$1><f>INDEX(Matrix,MATCH(N5,L,0),MATCH(M5,C,0))</f><v>3</v></c>')));
    const read = await readSpreadsheet(withFormulas, "a.xlsx");
    expect(read.problems).toEqual([{ row: 5, column: "E", message: expect.stringMatching(/^Harm: holds a formula/) }]);
    expect(read.rows[0].cells).toMatchObject({ E: "=1+1", O: "3" });
    expect(rowToHazardInput(read.rows[0].cells, scheme, opts).problems).toEqual([{ column: "E", message: read.problems[0].message }]);
  });

  it("csv rows with the wrong number of cells are problems; wrong headings and bad quoting are refused", async () => {
    const [s] = loadDcspHazards();
    const csv = writeCsv([hazardToRow(viewFromInput(s.input, scheme, 1, ORGS[0]), names)]);
    const [header, row] = csv.slice(1).split("\r\n");
    const read = await readSpreadsheet(utf8([header, row, `${row},extra`, "a,b,c", "", ",,,"].join("\r\n")), "log.csv");
    expect(read.rows.map((r) => r.rowNumber)).toEqual([2]);
    expect(read.problems).toEqual([
      { row: 3, column: "AK", message: "The row has 37 cells but the header has 36" },
      { row: 4, column: "D", message: "The row has 3 cells but the header has 36" },
    ]);
    await expectRefused(readSpreadsheet(utf8(`${header.replace("Harm", "Patient harm")}\r\n${row}`), "log.csv"), 422);
    await expectRefused(readSpreadsheet(utf8(`${header}\r\n"unclosed,${row}`), "log.csv"), 400);
    await expectRefused(readSpreadsheet(utf8("just some text"), "notes.txt"), 422);
    await expectRefused(readSpreadsheet(new Uint8Array(), "empty.csv"), 400);
    // Only the 28 template columns: a plain NHS log exported to CSV.
    const plain = [header.split(",").slice(0, 28).join(","), `1,,effect,hazard,harm,"${encodeList(["a", "b"])}"${",".repeat(22)}`].join("\n");
    const plainRead = await readSpreadsheet(utf8(plain), "nhs.csv");
    expect(plainRead.problems).toEqual([]);
    expect(plainRead.rows[0].cells).not.toHaveProperty("AC");
    expect(rowToHazardInput(plainRead.rows[0].cells, scheme).input).toMatchObject({ title: "hazard", causes: ["a", "b"] });
  });

  it(`more than ${MAX_DATA_ROWS} rows are refused, in a workbook too`, async () => {
    const rows = Array.from({ length: MAX_DATA_ROWS + 1 }, (_, i) => ({ A: i + 1, E: "harm" }));
    await expectRefused(readSpreadsheet(await writeXlsx(rows, scheme), "many.xlsx"), 413);
  }, 30_000);

  it(`more than ${MAX_DATA_ROWS} rows are refused`, async () => {
    const header = writeCsv([]).trim();
    const line = `1,,,,harm${",".repeat(TEMPLATE_COLUMNS.length - 5)}`;
    const ok = await readSpreadsheet(utf8([header, ...Array(MAX_DATA_ROWS).fill(line)].join("\n")), "max.csv");
    expect(ok.rows).toHaveLength(MAX_DATA_ROWS);
    await expectRefused(readSpreadsheet(utf8([header, ...Array(MAX_DATA_ROWS + 1).fill(line)].join("\n")), "many.csv"), 413);
  });
});
