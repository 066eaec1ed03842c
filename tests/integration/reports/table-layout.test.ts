// The report tables wrap each cell once and draw the pre-wrapped lines (app/reports/cell-text.ts)
// instead of calling pdfkit's doc.table(), which wraps every cell five times, and the document's
// plumbing is tuned (app/reports/pdf-tuning.ts). The output must be the same file, byte for byte,
// as an untouched pdfkit document drawing with doc.table() (kept below as the reference): Unicode,
// long words, line breaks, empty cells, alignment, fills, page breaks with the repeated header, and
// a cell too tall for a page (pdfkit cuts it with an ellipsis).
import PDFDocument from "pdfkit";
import { describe, expect, it } from "vitest";
import { reportFonts } from "#app/reports/fonts.server.ts";
import { COLOURS, FONT, BOLD, MAX_CELL_CHARS, clip, createDoc, finishPages, newPage, table, toBuffer, type Cell, type Column, type Doc, type ReportMeta } from "#app/reports/layout.ts";

const PAD = 3;
const meta: ReportMeta = { title: "Table layout", organisation: "Test organisation", subject: "Tables", now: new Date("2025-06-01T12:00:00Z"), sha256: "f".repeat(64), draft: "DRAFT — test" };

// ---- the reference: an untouched pdfkit 0.20 document and the doc.table() drawing the reports used before ----
function referenceDoc(): Doc {
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: 84, bottom: 52, left: 42, right: 42 },
    bufferPages: true,
    autoFirstPage: true,
    lang: "en-GB",
    displayTitle: true,
    info: { Title: meta.title, Author: meta.organisation, Subject: meta.subject, Creator: "Clinical safety workflow", Producer: "Clinical safety workflow (pdfkit)", CreationDate: meta.now, ModDate: meta.now },
  });
  doc.registerFont(FONT, reportFonts().body as unknown as PDFKit.Mixins.PDFFontSource, FONT);
  doc.registerFont(BOLD, reportFonts().bold as unknown as PDFKit.Mixins.PDFFontSource, BOLD);
  doc.font(FONT).fontSize(10).fillColor(COLOURS.text);
  return doc;
}

const cellText = (c: Cell) => clip(typeof c === "string" ? c : c.text);
const bottomLimit = (doc: Doc) => doc.page.height - doc.page.margins.bottom;

function rowHeight(doc: Doc, columns: Column[], row: Cell[], size: number) {
  let h = 0;
  row.forEach((c, i) => {
    doc.font(typeof c !== "string" && c.bold ? BOLD : FONT).fontSize(size);
    const text = cellText(c);
    h = Math.max(h, (text ? doc.heightOfString(text, { width: columns[i].width - 2 * PAD }) : 0) + 2 * PAD);
  });
  doc.font(FONT);
  return h;
}

function toCell(c: Cell, col: Column, size: number): PDFKit.Mixins.CellOptions {
  const bold = typeof c !== "string" && c.bold;
  return { text: cellText(c), backgroundColor: typeof c === "string" ? undefined : c.fill, font: { src: bold ? BOLD : FONT, size }, align: { x: col.align ?? "left", y: "top" } };
}

function referenceTable(doc: Doc, columns: Column[], rows: Cell[][], opts: { size?: number } = {}) {
  const size = opts.size ?? 8;
  const header: Cell[] = columns.map((c) => ({ text: c.header, bold: true, fill: COLOURS.headerFill }));
  const headerHeight = rowHeight(doc, columns, header, size);
  const start = () => {
    const t = doc.table({
      position: { x: doc.page.margins.left, y: doc.y },
      columnStyles: columns.map((c) => ({ width: c.width })),
      defaultStyle: { padding: [PAD, PAD, PAD, PAD], border: 0.5, borderColor: COLOURS.rule, textColor: COLOURS.text },
    });
    t.row(header.map((c, i) => ({ ...toCell(c, columns[i], size), type: "TH" })));
    return t;
  };
  const orientation = () => (doc.page.width > doc.page.height ? "landscape" : "portrait");
  if (doc.y + headerHeight + 20 > bottomLimit(doc)) newPage(doc, orientation());
  let t = start();
  for (const row of rows) {
    const h = rowHeight(doc, columns, row, size) + 2;
    if (doc.y + h > bottomLimit(doc)) {
      t.end();
      newPage(doc, orientation());
      t = start();
    }
    t.row(row.map((c, j) => toCell(c, columns[j], size)));
  }
  t.end();
  doc.x = doc.page.margins.left;
  doc.moveDown(0.6);
  doc.font(FONT).fontSize(10).fillColor(COLOURS.text);
}

// ---- the data ----
const words = ["patient", "record", "wrong", "é", "naïve", "façade", "≥ 5 mg", "— dash", "“quoted”", "50%", "co-operate", "self-care", "https://example.org/a/very/long/path/without/any/break/at/all", "😀", "🩺", "✓", "★", "→", "½", "AVATAR", "Tower", "e\u0301clair", "q\u0323"]; // the last four: kerning pairs and combining marks (glyph offsets)

function prng(seed: number) {
  return () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function rowsFor(n: number, columns: number): Cell[][] {
  const rand = prng(n * 31 + columns);
  const text = (count: number) => Array.from({ length: count }, () => words[Math.floor(rand() * words.length)]).join(rand() < 0.2 ? "\n" : " ");
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: columns }, (_, j): Cell => {
      if (i % 17 === 5 && j === 1) return "";
      if (i % 23 === 7 && j === 2) return "x".repeat(300); // one word wider than the column
      if (i % 41 === 11 && j === 1) return "long text ".repeat(200); // clipped at MAX_CELL_CHARS
      if (j === 0) return { text: `H-${String(i + 1).padStart(4, "0")}`, bold: true };
      if (j === columns - 1 && i % 3 === 0) return { text: `Risk ${1 + (i % 5)}\n${text(2)}`, fill: ["#bfe3c0", "#fff2b3", "#ffd7a6", "#f5a3a3", "#e06666"][i % 5] };
      return text(1 + Math.floor(rand() * 30));
    }),
  );
}

async function render(doc: Doc, draw: (doc: Doc) => void | Promise<void>) {
  const bytes = toBuffer(doc);
  await draw(doc);
  finishPages(doc, meta); // the running header, DRAFT banner and "Page x of y" on every page
  doc.end();
  return bytes;
}

async function drawAll(doc: Doc, tableFn: (doc: Doc, columns: Column[], rows: Cell[][], opts?: { size?: number }) => unknown) {
  await tableFn(doc, [{ header: "Ref", width: 44 }, { header: "Title", width: 150 }, { header: "Text", width: 200 }, { header: "Rating", width: 117.28, align: "center" }], rowsFor(150, 4), { size: 8 });
  await tableFn(doc, [{ header: "Item", width: 102 }, { header: "Value", width: 409.28 }], [[{ text: "Key", bold: true }, "a".repeat(64)], [{ text: "Empty", bold: true }, ""], [{ text: "Lines", bold: true }, "one\ntwo\n\nfour"]], { size: 9 });
  newPage(doc, "landscape");
  await tableFn(doc, [{ header: "Ref", width: 44 }, { header: "Title", width: 100 }, { header: "Causes", width: 128 }, { header: "Harm", width: 112 }, { header: "Controls", width: 212 }, { header: "Initial", width: 60, align: "right" }, { header: "Residual", width: 60 }, { header: "Status", width: 54 }], rowsFor(120, 8), { size: 7.5 });
  // Far taller than a page in a narrow column: pdfkit cuts the text at the page's height.
  await tableFn(doc, [{ header: "Narrow", width: 30 }, { header: "Wide", width: 300 }], [["word ".repeat(MAX_CELL_CHARS), "short"], ["after", "the tall row"]], { size: 8 });
}

describe("report tables", () => {
  it("draw the same bytes as an untouched pdfkit document with doc.table()", async () => {
    const warn = console.warn;
    console.warn = () => {}; // pdfkit warns about the row taller than a page
    try {
      const reference = await render(referenceDoc(), (doc) => drawAll(doc, referenceTable));
      const fast = await render(createDoc(meta), (doc) => drawAll(doc, table));
      expect(reference.length).toBeGreaterThan(10_000);
      expect(fast.equals(reference)).toBe(true);
    } finally {
      console.warn = warn;
    }
  });
});
