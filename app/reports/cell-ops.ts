// Table cells written as content-stream operators directly. pdfkit's doc.table() draws a cell with
// about twenty drawing calls (save, colour, rectangle, fill, restore, clip, and per line of text a
// save, a transform, the text object and a restore), each parsing its arguments, formatting its
// numbers and writing one operator; and each line of text is encoded glyph by glyph again every
// time it is drawn. Here the same operators, in the same order and with the same number formatting,
// are written as one string per cell, colours are converted once per document and each line's
// glyph string (the TJ operator) is built once per font and text. The bytes are pdfkit's
// (tests/integration/reports/table-layout.test.ts compares whole files with doc.table()).
//
// What pdfkit's drawing calls do besides writing operators is kept: the fill colour it remembers,
// the page's font resources, and the document's x and y. Anything unusual (a colour that is not
// RGB or CMYK, glyphs with offsets such as combining marks, justified text) goes through pdfkit's
// own calls. Uses pdfkit internals (_normalizeColor, _font, _fontSize, _fragment, _fillColor);
// pdfkit is pinned to an exact version in package.json.
import type { Doc } from "./layout.ts";

type Position = { xAdvance: number; advanceWidth: number; xOffset: number; yOffset: number };
type Glyph = { id: number; advanceWidth: number; codePoints: number[] };
/** pdfkit's EmbeddedFont: its laid-out words (cached per word), its subset and what it records per glyph. */
type PdfFont = {
  id: string;
  ascender: number;
  scale: number;
  subset: { includeGlyph(id: number): number };
  widths: (number | undefined)[];
  unicode: (number[] | undefined)[];
  ref(): unknown;
  layoutCached(word: string): { glyphs: Glyph[]; positions: Position[] };
};
type Internals = {
  _font: PdfFont;
  _fontSize: number;
  _fillColor: unknown;
  _normalizeColor(colour: unknown): unknown;
  _fragment(text: string, x: number, y: number, options: Record<string, unknown>): void;
  page: { height: number; fonts: Record<string, unknown> };
  addContent(data: string): unknown;
  widthOfString(text: string, options?: Record<string, unknown>): number;
};
const internals = (doc: Doc) => doc as unknown as Internals;

/** pdfkit's PDFObject.number: what every operand goes through. */
export function num(n: number): number {
  if (n > -1e21 && n < 1e21) return Math.round(n * 1e6) / 1e6;
  throw new Error(`unsupported number: ${n}`);
}

export const rectOp = (x: number, y: number, w: number, h: number) => `${num(x)} ${num(y)} ${num(w)} ${num(h)} re`;

/** Per document: colour operators, and per font the TJ operator of each line (null: pdfkit draws it). */
type Caches = { colours: Map<string, string | null>; lines: Map<PdfFont, Map<string, string | null>>; words: Map<PdfFont, Map<string, Word>> };
const caches = new WeakMap<Doc, Caches>();

function cachesOf(doc: Doc): Caches {
  let c = caches.get(doc);
  if (!c) caches.set(doc, (c = { colours: new Map(), lines: new Map(), words: new Map() }));
  return c;
}

/**
 * The operators fillColor(colour) (stroke false) or strokeColor(colour) writes, or null when only
 * pdfkit's own call will do (spot colours, patterns, an unknown name: pdfkit writes nothing then).
 */
export function colourOps(doc: Doc, colour: string, stroke: boolean): string | null {
  const { colours } = cachesOf(doc);
  const key = `${stroke ? "S" : "f"}${colour}`;
  let ops = colours.get(key);
  if (ops === undefined) {
    const c = internals(doc)._normalizeColor(colour);
    ops = Array.isArray(c) && (c.length === 3 || c.length === 4) ? `/${c.length === 4 ? "DeviceCMYK" : "DeviceRGB"} ${stroke ? "CS" : "cs"}\n${c.join(" ")} ${stroke ? "SCN" : "scn"}` : null;
    colours.set(key, ops);
  }
  return ops;
}

/** As fillColor(colour) with no opacity: the operators, and the colour pdfkit remembers. */
export function fillColour(doc: Doc, colour: string) {
  const ops = colourOps(doc, colour, false);
  if (ops === null) return void doc.fillColor(colour);
  internals(doc).addContent(ops);
  internals(doc)._fillColor = [colour, undefined];
}

/** As strokeColor(colour) with no opacity. */
export function strokeColour(doc: Doc, colour: string) {
  const ops = colourOps(doc, colour, true);
  if (ops === null) return void doc.strokeColor(colour);
  internals(doc).addContent(ops);
}

/**
 * One word (as pdfkit's EmbeddedFont.layout splits a line: at spaces and tabs, the space kept) in
 * this document's font subset: its glyph ids in hex, cut after each glyph whose advance is adjusted
 * (kerning; `advance` is the adjustment, null for the uncut tail), and whether any glyph is offset.
 */
type Word = { pieces: { hex: string; advance: number | null }[]; offset: boolean };

/**
 * The word encoded as pdfkit's EmbeddedFont.encode() encodes it, with the same side effects in the
 * same order (the glyph joins the subset, its width and code points are recorded on first use).
 */
function encodeWord(font: PdfFont, word: string): Word {
  const run = font.layoutCached(word);
  const pieces: Word["pieces"] = [];
  let hex = "";
  let offset = false;
  for (let i = 0; i < run.glyphs.length; i++) {
    const glyph = run.glyphs[i];
    const gid = font.subset.includeGlyph(glyph.id);
    hex += `0000${gid.toString(16)}`.slice(-4);
    if (font.widths[gid] == null) font.widths[gid] = glyph.advanceWidth * font.scale;
    if (font.unicode[gid] == null) font.unicode[gid] = glyph.codePoints;
    const pos = run.positions[i];
    if (pos.xOffset || pos.yOffset) offset = true;
    if (pos.xAdvance - pos.advanceWidth !== 0) {
      pieces.push({ hex, advance: pos.xAdvance - pos.advanceWidth });
      hex = "";
    }
  }
  if (hex) pieces.push({ hex, advance: null });
  return { pieces, offset };
}

/**
 * The TJ operator _fragment writes for this text in the current font ("" for none), or null when
 * a glyph is offset (marks: pdfkit writes a text matrix per glyph). _fragment cuts the glyph string
 * after each glyph whose advance was adjusted; pdfkit lays a line out word by word, so the line's
 * glyphs are its words' glyphs one after another and each word is encoded once per document.
 */
function glyphOps(doc: Doc, text: string): string | null {
  const { lines, words } = cachesOf(doc);
  const font = internals(doc)._font;
  let byText = lines.get(font);
  let byWord = words.get(font);
  if (!byText) lines.set(font, (byText = new Map()));
  if (!byWord) words.set(font, (byWord = new Map()));
  let ops = byText.get(text);
  if (ops !== undefined) return ops;
  const commands: string[] = [];
  let hex = "";
  let last = 0;
  for (let index = 0; index <= text.length; index++) {
    const code = text.charCodeAt(index);
    if (!((index === text.length && last < index) || code === 32 || code === 9)) continue;
    const piece = text.slice(last, index + 1);
    last = index + 1;
    let word = byWord.get(piece);
    if (!word) byWord.set(piece, (word = encodeWord(font, piece)));
    if (word.offset) {
      byText.set(text, null);
      return null;
    }
    for (const p of word.pieces) {
      hex += p.hex;
      if (p.advance !== null) {
        commands.push(`<${hex}> ${num(-p.advance)}`);
        hex = "";
      }
    }
  }
  if (hex) commands.push(`<${hex}> 0`); // the tail's last glyph is not adjusted: number(-0)
  ops = commands.length ? `[${commands.join(" ")}] TJ\n` : "";
  byText.set(text, ops);
  return ops;
}

/**
 * One line of wrapped text at (x, y), as pdfkit's _fragment draws it with these options (the
 * options pdfkit's LineWrapper passes for a cell: align, width, lineWidth, textWidth, wordCount;
 * fill only, no spacing, underline, link or rotation).
 */
export function drawLine(doc: Doc, line: string, x: number, y: number, options: Record<string, unknown>) {
  const text = line.includes("\n") ? line.replace(/\n/g, "") : line;
  if (text.length === 0) return;
  const align = options.align as string;
  const d = internals(doc);
  const font = d._font;
  if (align !== "left" && align !== "right" && align !== "center") return d._fragment(line, x, y, options);
  if (d.page.fonts[font.id] == null) d.page.fonts[font.id] = font.ref(); // before encoding, as pdfkit does
  const ops = glyphOps(doc, text);
  if (ops === null) return d._fragment(line, x, y, options);
  if (align === "right") x += (options.lineWidth as number) - d.widthOfString(text.replace(/\s+$/, ""), options);
  else if (align === "center") x += (options.lineWidth as number) / 2 - (options.textWidth as number) / 2;
  const dy = (font.ascender / 1000) * d._fontSize;
  const height = d.page.height;
  // save, transform(1, 0, 0, -1, 0, page height) [undone by the restore], the text object, restore
  d.addContent(`q\n1 0 0 -1 0 ${num(height)} cm\nBT\n1 0 0 1 ${num(x)} ${num(height - y - dy)} Tm\n/${font.id} ${num(d._fontSize)} Tf\n${ops}ET\nQ`);
}
