// Table cell text, wrapped once. pdfkit's doc.table() wraps every cell's text four times to
// measure it (twice per measuring pass, two passes per row) and a fifth time to draw it, and the
// report measured each row once more to decide page breaks: line breaking was most of a large
// report's time. Here each cell is wrapped ONCE, with pdfkit's own line breaker and width
// measurement (the same lines, widths and truncation pdfkit's first measuring pass finds), the
// result is cached per font, size, width and text, and the lines are drawn with pdfkit's own
// per-line text routine (_fragment, what doc.text() calls for each line). The drawing calls are
// the ones pdfkit's table makes, in the same order, so the page content is unchanged (the
// integration tests compare whole files with pdfkit's table).
//
// Uses two pdfkit internals, _text (wrapping with a per-line callback, as heightOfString does) and
// _fragment (one line of text); pdfkit is pinned to an exact version in package.json.
import { drawLine } from "./cell-ops.ts";
import type { Doc } from "./layout.ts";

type LineOptions = { textWidth: number; wordCount: number; lineWidth: number };
type TextOptions = Record<string, unknown>;
type PdfkitInternals = {
  _text(text: string, x: number, y: number, options: TextOptions, line: (text: string, options: LineOptions) => void): unknown;
  _fontFamily: string;
  _fontSize: number;
};
const internals = (doc: Doc) => doc as unknown as PdfkitInternals;

/** The current font's registered name and size. */
export function fontState(doc: Doc) {
  return { family: internals(doc)._fontFamily, size: internals(doc)._fontSize };
}

export type WrappedLine = { text: string; textWidth: number; wordCount: number };

export type WrappedText = {
  lines: WrappedLine[];
  /** The widest line (pdfkit's textBounds.width): lines are drawn within it. */
  width: number;
  /** Lines the text takes with no height limit (heightOfString): decides page breaks. */
  fullLines: number;
};

/**
 * pdfkit's measuring pass for one cell (boundsOfString with the table's text options): the lines
 * as doc.text() will draw them, within `width`, at most `height` tall (ellipsis on the last line).
 */
function wrapOnce(doc: Doc, text: string, width: number, height: number, align: string): { lines: WrappedLine[]; width: number } {
  const lines: WrappedLine[] = [];
  const lineHeight = doc.currentLineHeight(true);
  let widest = 0;
  const { x, y } = doc;
  internals(doc)._text(text, 0, 0, { align, ellipsis: true, stroke: false, fill: true, width, height, rotation: 0 }, (line, o) => {
    doc.y += lineHeight;
    lines.push({ text: line, textWidth: o.textWidth, wordCount: o.wordCount });
    if (line.replace(/\n/g, "").length) widest = Math.max(widest, o.textWidth);
  });
  doc.x = x;
  doc.y = y;
  return { lines, width: widest };
}

/** How many lines heightOfString() counts: no height limit, no ellipsis. */
function countLines(doc: Doc, text: string, width: number): number {
  let n = 0;
  const { x, y } = doc;
  internals(doc)._text(text, 0, 0, { width, height: Infinity }, () => {
    n++;
  });
  doc.x = x;
  doc.y = y;
  return n;
}

/** One cache per document: the fonts are the document's own objects. */
const caches = new WeakMap<Doc, Map<string, WrappedText>>();

/**
 * The cell text wrapped for the current font and size: `width` is the text's room (column width
 * less padding), `height` the most room a row may take (the page's content height less padding).
 */
export function wrapCell(doc: Doc, text: string, width: number, height: number, align: string): WrappedText {
  let cache = caches.get(doc);
  if (!cache) caches.set(doc, (cache = new Map()));
  const { _fontFamily: font, _fontSize: size } = internals(doc);
  const key = `${font}\u0000${size}\u0000${width}\u0000${height}\u0000${text}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const once = wrapOnce(doc, text, width, height, align);
  const lineHeight = doc.currentLineHeight(true);
  // Near the height limit pdfkit may have cut the text short; heightOfString counts every line.
  const nearLimit = (once.lines.length + 2) * lineHeight >= height - 1;
  const wrapped = { ...once, fullLines: nearLimit ? countLines(doc, text, width) : once.lines.length };
  cache.set(key, wrapped);
  return wrapped;
}

/** n lines' height added up from `from`, as pdfkit adds them (floating point included). */
export function linesHeight(n: number, lineHeight: number, from = 0): number {
  let y = from;
  for (let i = 0; i < n; i++) y += lineHeight;
  return y - from;
}

/**
 * Draws wrapped lines as doc.text(text, x, y, { width: wrapped.width, height, ellipsis: true,
 * align }) would after pdfkit's table measured the cell: same positions, same per-line options.
 */
export function drawWrapped(doc: Doc, wrapped: WrappedText, x: number, y: number, height: number, align: string) {
  const options: TextOptions = { align, ellipsis: true, stroke: false, fill: true, width: wrapped.width, height, rotation: 0, columns: 0, columnGap: 18 };
  // LineWrapper's line width: (width × horizontalScaling / 100 − columnGap × (columns − 1)) / columns
  const lineWidth = (wrapped.width * 100) / 100 - 18 * 0;
  const lineHeight = doc.currentLineHeight(true);
  doc.x = x;
  doc.y = y;
  for (const line of wrapped.lines) {
    options.textWidth = line.textWidth;
    options.wordCount = line.wordCount;
    options.lineWidth = lineWidth;
    drawLine(doc, line.text, x, doc.y, options);
    doc.y += lineHeight + 0;
  }
  doc.x = x;
}
