// Shared PDF layout: the document (A4, embedded DejaVu, deterministic metadata), headings and
// paragraphs, tables whose header row repeats on every page, and the finishing pass that writes
// every page's header, DRAFT banner and footer ("Page x of y", baseline hash, generation time).
//
// Determinism: pdfkit's file ID is an MD5 of the info dictionary, so passing CreationDate and
// ModDate from the caller's clock (never `new Date()` here) makes the same input and the same `now`
// give byte-identical output. Nothing else in a pdfkit file depends on the time or on chance.
import PDFDocument from "pdfkit";
import { utc } from "../components/signature.tsx";
import { fillColour, rectOp, strokeColour } from "./cell-ops.ts";
import { drawWrapped, fontState, linesHeight, wrapCell, type WrappedText } from "./cell-text.ts";
import { reportFonts } from "./fonts.server.ts";
import { compressPages, tuneDocument } from "./pdf-tuning.ts";

export type Doc = PDFKit.PDFDocument;

export const FONT = "Body";
export const BOLD = "Bold";
export const COLOURS = { text: "#212b32", muted: "#4c6272", rule: "#768692", headerFill: "#e8edee", banner: "#b3261e", blue: "#005eb8" } as const;
/** Room above for the running header and the DRAFT banner, below for the footer. */
export const MARGINS = { top: 84, bottom: 52, left: 42, right: 42 } as const;

export type ReportMeta = {
  /** The report's title: the running header, the PDF Title. */
  title: string;
  /** Whose report it is: the running header, the PDF Author. */
  organisation: string;
  subject: string;
  /** The clock, passed in: the footer's generation time and the PDF dates. */
  now: Date;
  /** The baseline (or current content) hash: its first 12 characters go in every footer. */
  sha256: string;
  /** When set, every page carries this horizontal banner (extractable text, not a watermark). */
  draft: string | null;
};

export function createDoc(meta: ReportMeta): Doc {
  const doc = new PDFDocument({
    size: "A4",
    margins: { ...MARGINS },
    bufferPages: true, // the footer needs the page count: written in finishPages()
    autoFirstPage: true,
    lang: "en-GB",
    displayTitle: true,
    info: { Title: meta.title, Author: meta.organisation, Subject: meta.subject, Creator: "Clinical safety workflow", Producer: "Clinical safety workflow (pdfkit)", CreationDate: meta.now, ModDate: meta.now },
  });
  const fonts = reportFonts();
  // pdfkit accepts a parsed fontkit Font (it checks for .layout); the types only know bytes and paths.
  // The family argument matters: doc.table() restores the previous font as (source object, family),
  // and with no family string pdfkit misses its font cache and compares the fonts' name tables
  // through JSON.stringify on every cell (most of the time for a large table, measured).
  doc.registerFont(FONT, fonts.body as unknown as PDFKit.Mixins.PDFFontSource, FONT);
  doc.registerFont(BOLD, fonts.bold as unknown as PDFKit.Mixins.PDFFontSource, BOLD);
  tuneDocument(doc, [FONT, BOLD]); // in this order: pdfkit names the fonts F1, F2, … as they are first used
  doc.font(FONT).fontSize(10).fillColor(COLOURS.text);
  return doc;
}

export const contentWidth = (doc: Doc) => doc.page.width - doc.page.margins.left - doc.page.margins.right;
/** pdfkit's page.contentHeight (not in its type definitions). */
const pageContentHeight = (doc: Doc) => doc.page.height - doc.page.margins.top - doc.page.margins.bottom;
const bottomLimit = (doc: Doc) => doc.page.height - doc.page.margins.bottom;

export function newPage(doc: Doc, layout: "portrait" | "landscape" = "portrait") {
  doc.addPage({ size: "A4", layout, margins: { ...MARGINS } });
  doc.font(FONT).fontSize(10).fillColor(COLOURS.text);
}

/** Starts a new page when less than `height` points are left on this one. */
export function ensureSpace(doc: Doc, height: number) {
  if (doc.y + height > bottomLimit(doc)) newPage(doc, doc.page.width > doc.page.height ? "landscape" : "portrait");
}

/** Lets other requests run between chunks of a long report (the event loop is never held for long). */
export const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

export function heading(doc: Doc, text: string, level: 1 | 2 = 1) {
  ensureSpace(doc, level === 1 ? 60 : 40);
  if (doc.y > doc.page.margins.top) doc.moveDown(level === 1 ? 0.8 : 0.5);
  doc.font(BOLD).fontSize(level === 1 ? 14 : 11.5).fillColor(level === 1 ? COLOURS.blue : COLOURS.text);
  doc.text(text, doc.page.margins.left, doc.y, { width: contentWidth(doc) });
  doc.moveDown(0.3);
  doc.font(FONT).fontSize(10).fillColor(COLOURS.text);
}

export function paragraph(doc: Doc, text: string, opts: { size?: number; colour?: string; bold?: boolean } = {}) {
  doc.font(opts.bold ? BOLD : FONT).fontSize(opts.size ?? 10).fillColor(opts.colour ?? COLOURS.text);
  ensureSpace(doc, doc.currentLineHeight(true) * 2);
  doc.text(text, doc.page.margins.left, doc.y, { width: contentWidth(doc), lineGap: 1.5 });
  doc.moveDown(0.4);
  doc.font(FONT).fontSize(10).fillColor(COLOURS.text);
}

export function bullets(doc: Doc, items: string[]) {
  for (const item of items) {
    ensureSpace(doc, 14);
    doc.font(FONT).fontSize(10).fillColor(COLOURS.text);
    doc.text(`•  ${item}`, doc.page.margins.left + 8, doc.y, { width: contentWidth(doc) - 8, lineGap: 1.5 });
  }
  doc.moveDown(0.4);
}

export type Column = { header: string; width: number; align?: "left" | "center" | "right" };
export type Cell = string | { text: string; fill?: string; bold?: boolean };

const PAD = 3;
/** Longest text one table cell takes: a row must fit on one page (domain limits allow far more). */
export const MAX_CELL_CHARS = 1200;

export function clip(text: string, max = MAX_CELL_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max - 40).trimEnd()}… (shortened; full text in the hazard log)`;
}

const cellText = (c: Cell) => clip(typeof c === "string" ? c : c.text);
const cellFont = (c: Cell) => (typeof c !== "string" && c.bold ? BOLD : FONT);

/**
 * A table drawn as pdfkit's doc.table() draws it (cell fill, 0.5pt border, clipped text with 3pt
 * padding), one table per page so the header row repeats on every page (pdfkit does not repeat it).
 * Each cell's text is wrapped once (app/reports/cell-text.ts) and that serves the page-break check,
 * the row height and the drawing. A row that does not fit starts a new page (same orientation) with
 * the header again. Yields to the event loop every `breatheEvery` rows.
 */
export async function table(doc: Doc, columns: Column[], rows: Cell[][], opts: { size?: number; breatheEvery?: number } = {}) {
  const size = opts.size ?? 8;
  const header: Cell[] = columns.map((c) => ({ text: c.header, bold: true, fill: COLOURS.headerFill }));
  const grid = new Grid(doc, columns, size);
  const orientation = () => (doc.page.width > doc.page.height ? "landscape" : "portrait");
  if (doc.y + grid.breakHeight(header) + 20 > bottomLimit(doc)) newPage(doc, orientation());
  grid.start();
  grid.row(header);
  for (let i = 0; i < rows.length; i++) {
    const wrapped = grid.wrapRow(rows[i]);
    const h = grid.breakHeight(rows[i], wrapped) + 2; // slack: pdfkit measures with its own rounding
    if (doc.y + h > bottomLimit(doc)) {
      newPage(doc, orientation());
      grid.start();
      grid.row(header);
    }
    grid.row(rows[i], wrapped);
    if (opts.breatheEvery && i % opts.breatheEvery === opts.breatheEvery - 1) await breathe();
  }
  doc.x = doc.page.margins.left;
  doc.moveDown(0.6); // in the font size the last row was measured in (10 when it went to a new page)
  doc.font(FONT).fontSize(10).fillColor(COLOURS.text);
}

/**
 * The arithmetic of pdfkit 0.20's table (column x positions, row y positions, auto row height as
 * the tallest cell's text plus padding, its own page break and clamping) with the drawing calls
 * of its renderCell, in the same order, so the output is the same as doc.table()'s.
 */
class Grid {
  private xs: number[] = [];
  private top = 0;
  constructor(
    private doc: Doc,
    private columns: Column[],
    private size: number,
  ) {}

  /** A new table at the current position (one per page). */
  start() {
    let x = this.doc.page.margins.left;
    this.xs = this.columns.map((c) => {
      const at = x;
      x += c.width;
      return at;
    });
    this.top = this.doc.y;
  }

  private wrap(c: Cell, i: number): WrappedText | null {
    const text = cellText(c);
    if (!text) return null;
    this.doc.font(cellFont(c)).fontSize(this.size);
    return wrapCell(this.doc, text, this.columns[i].width - PAD - PAD, pageContentHeight(this.doc) - PAD - PAD, this.columns[i].align ?? "left");
  }

  /** Each cell's text wrapped (the same for every page of the table: one orientation, one margin). */
  wrapRow(row: Cell[]): (WrappedText | null)[] {
    return row.map((c, i) => this.wrap(c, i));
  }

  /** The row's height as heightOfString() measures it from the current y: what decides a page break. */
  breakHeight(row: Cell[], wrapped = this.wrapRow(row)) {
    let h = 0;
    wrapped.forEach((w, i) => {
      if (w) this.doc.font(cellFont(row[i])).fontSize(this.size); // the line height is the cell font's
      h = Math.max(h, (w ? linesHeight(w.fullLines, this.doc.currentLineHeight(true), this.doc.y) : 0) + 2 * PAD);
    });
    this.doc.font(FONT);
    return h;
  }

  /**
   * Draws the row (after breakHeight(), with its wrapped cells). The operators are written as
   * strings (app/reports/cell-ops.ts): the ones pdfkit's renderCell writes, in the same order.
   */
  row(row: Cell[], wrapped?: (WrappedText | null)[]) {
    const doc = this.doc;
    const before = fontState(doc); // restored at the end, as pdfkit's table does
    wrapped ??= this.wrapRow(row);
    let height = 0;
    row.forEach((c, i) => {
      const w = wrapped[i];
      doc.font(cellFont(c)).fontSize(this.size);
      const textHeight = w ? Math.min(linesHeight(w.lines.length, doc.currentLineHeight(true)), pageContentHeight(doc) - PAD - PAD) : 0;
      height = Math.max(height, textHeight + PAD + PAD);
    });
    let y = this.top;
    let advance = height;
    if (height > pageContentHeight(doc)) {
      console.warn("Table row taller than the page: clamped");
      advance = doc.page.maxY() - y;
    } else if (y + height >= doc.page.maxY()) {
      y = doc.page.margins.top;
      doc.continueOnNewPage();
    }
    const ops = doc as unknown as { addContent(data: string): unknown };
    row.forEach((c, i) => {
      const x = this.xs[i];
      const width = this.columns[i].width;
      const fill = typeof c === "string" ? undefined : c.fill;
      const box = rectOp(x, y, width, height);
      // save().fillColor(fill).rect().fill().restore(), then save().lineWidth(0.5).strokeColor(rule).rect().stroke().restore()
      if (fill != null) {
        ops.addContent("q");
        fillColour(doc, fill);
        ops.addContent(`${box}\nf\nQ`);
      }
      ops.addContent("q\n0.5 w");
      strokeColour(doc, COLOURS.rule);
      ops.addContent(`${box}\nS\nQ`);
      const w = wrapped[i];
      if (!w) return;
      doc.font(cellFont(c)).fontSize(this.size);
      const align = this.columns[i].align ?? "left";
      const room = width - PAD - PAD;
      const shift = (room - w.width) * (align === "right" ? 1 : align === "center" ? 0.5 : 0);
      const textHeight = Math.min(linesHeight(w.lines.length, doc.currentLineHeight(true)), height - PAD - PAD);
      // save().rect().clip(), fillColor(text).strokeColor("black"), the lines, restore()
      ops.addContent(`q\n${rectOp(x + PAD, y + PAD, room, height - PAD - PAD)}\nW n`);
      fillColour(doc, COLOURS.text);
      strokeColour(doc, "black");
      if (w.width) drawWrapped(doc, w, x + PAD + shift, y + PAD, textHeight, align);
      else {
        // only zero-width text: as pdfkit draws it
        doc.text(cellText(c), x + PAD + shift, y + PAD, { align, ellipsis: true, stroke: false, fill: true, width: w.width, height: textHeight });
      }
      ops.addContent("Q");
    });
    doc.font(before.family).fontSize(before.size);
    this.top = y + advance;
    doc.x = this.xs[0];
    doc.y = this.top;
  }
}

/** Label/value pairs as a two-column table (document control, system description). */
export async function keyValues(doc: Doc, pairs: [string, string][]) {
  const w = contentWidth(doc);
  // The value column is wide enough for a 64-character SHA-256 on one line (text extraction finds it whole).
  const key = Math.round(w * 0.2);
  await table(doc, [{ header: "Item", width: key }, { header: "Value", width: w - key }], pairs.map(([k, v]) => [{ text: k, bold: true }, v]), { size: 9 });
}

/**
 * The finishing pass over every buffered page: running header (title, organisation), the DRAFT
 * banner when the report is not approved, and the footer. Bottom margin 0 while writing the footer,
 * or pdfkit would add a page (stack notes §5).
 */
export function finishPages(doc: Doc, meta: ReportMeta) {
  const range = doc.bufferedPageRange();
  const generated = utc(meta.now.toISOString());
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const { width, height } = doc.page;
    const left = MARGINS.left;
    const w = width - MARGINS.left - MARGINS.right;
    const savedBottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font(BOLD).fontSize(9).fillColor(COLOURS.text).text(meta.title, left, 24, { width: w * 0.62, lineBreak: false, ellipsis: true });
    doc.font(FONT).fontSize(9).fillColor(COLOURS.muted).text(meta.organisation, left + w * 0.62, 24, { width: w * 0.38, align: "right", lineBreak: false, ellipsis: true });
    doc.moveTo(left, 40).lineTo(left + w, 40).lineWidth(0.5).strokeColor(COLOURS.rule).stroke();
    if (meta.draft) {
      doc.rect(left, 47, w, 22).fill(COLOURS.banner);
      doc.font(BOLD).fontSize(10.5).fillColor("#ffffff").text(meta.draft, left + 8, 52.5, { width: w - 16, align: "center", lineBreak: false, ellipsis: true });
    }
    doc.moveTo(left, height - 40).lineTo(left + w, height - 40).lineWidth(0.5).strokeColor(COLOURS.rule).stroke();
    doc.font(FONT).fontSize(8).fillColor(COLOURS.muted);
    doc.text(`SHA-256 ${meta.sha256.slice(0, 12)}… · Generated ${generated}`, left, height - 33, { width: w * 0.75, lineBreak: false, ellipsis: true });
    doc.text(`Page ${i - range.start + 1} of ${range.count}`, left + w * 0.75, height - 33, { width: w * 0.25, align: "right", lineBreak: false });
    doc.page.margins.bottom = savedBottom;
  }
  doc.fillColor(COLOURS.text);
}

/**
 * Runs the drawing (which may yield) and ends the document; the caller streams the document as
 * pdfkit writes it. A failure destroys the stream (the client sees an aborted download, never a
 * truncated file presented as complete).
 */
export function render(meta: ReportMeta, draw: (doc: Doc) => Promise<void>): Doc {
  const doc = createDoc(meta);
  void (async () => {
    try {
      await draw(doc);
      finishPages(doc, meta);
      await compressPages(doc);
      doc.end();
    } catch (error) {
      console.error(error);
      doc.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  })();
  return doc;
}

/** The whole document as bytes (tests, the benchmark). */
export function toBuffer(doc: Doc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
}
