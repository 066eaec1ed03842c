// Faster plumbing for one pdfkit document, same bytes out. Each report draws hundreds of thousands
// of small content operators and lays out every line of text word by word; pdfkit 0.20 spends much
// of a large report's time in the plumbing around that (profiled with `node --cpu-prof`):
//
// - addContent() turns every operator into its own Uint8Array (a JavaScript loop per character)
//   and keeps them all, per page, until the end: millions of tiny arrays for a 1,000-hazard report,
//   most of its memory and much of its garbage collection. Here operators are collected as strings
//   and written to the page as one latin1 Buffer when drawing moves to another page (or the page is
//   finished). The page's content stream is the same bytes.
// - EmbeddedFont.layout() splits each string into words, looks each up in a per-document cache and
//   concatenates the glyph arrays word by word (allocating a fresh array per word, and one per
//   character to test for a space). Here the same words, the same cached glyph runs and the same
//   sums, with plain pushes; and the cache of laid-out words is per font for the whole process
//   (what fontkit returns for a word depends only on the font), capped in size. A line drawn again
//   reuses its first encoding (glyph ids in this document's font subset).
//
// Everything is installed on the document's own objects (instance properties), never on pdfkit's
// prototypes. pdfkit is pinned to an exact version in package.json: tests/integration/reports
// compare the output with pdfkit's own, byte for byte.
import { availableParallelism } from "node:os";
import { promisify } from "node:util";
import { deflate } from "node:zlib";
import type { Doc } from "./layout.ts";
import { plainGlyphs, type FontkitFont } from "./plain-words.ts";

type Run = { glyphs: { id: number; advanceWidth: number; codePoints: number[] }[]; positions: Record<string, number>[]; advanceWidth: number };
type EmbeddedFont = {
  font: object;
  scale: number;
  encode(text: string, features?: unknown): [string[], Run["positions"]];
  layoutRun(text: string, features?: unknown): Run;
  layoutCached(text: string): Run;
  layout(text: string, features?: unknown, onlyWidth?: boolean): { glyphs: Run["glyphs"] | null; positions: Run["positions"] | null; advanceWidth: number };
};
type PageContent = { write(chunk: Uint8Array): unknown };
/** A page's content stream (pdfkit's PDFReference). */
type Stream = { compress: boolean; buffer: Uint8Array[] };
type Internals = {
  page: PageContent;
  compress: boolean;
  _pageBuffer: { content: Stream; markings: unknown[] }[];
  /** Writes the operators collected so far to their page (installed by batchContent). */
  flushContent?: () => void;
  addContent(data: string): Internals;
  addPage(...args: unknown[]): unknown;
  switchToPage(...args: unknown[]): unknown;
  flushPages(...args: unknown[]): unknown;
  _fontFamilies: Record<string, EmbeddedFont | undefined>;
};

/** Laid-out words per parsed font, shared by every document of this process. */
const runs = new WeakMap<object, Map<string, Run>>();
/** Words kept per font before the cache starts again (a few tens of MB at most). */
const MAX_WORDS = 100_000;
/** Encoded lines kept per font and document. */
const MAX_LINES = 10_000;

/** Operators collected as strings; one Buffer per page and visit, written in the same order. */
function batchContent(doc: Internals) {
  let pending: string[] = [];
  let target: PageContent | null = null;
  const flush = () => {
    if (target && pending.length) target.write(Buffer.from(`${pending.join("\n")}\n`, "latin1"));
    pending = [];
  };
  doc.flushContent = flush;
  doc.addContent = function (data: string) {
    if (this.page !== target) {
      flush();
      target = this.page;
    }
    pending.push(data);
    return this;
  };
  // Every way pdfkit leaves or finishes a page goes through one of these (end() calls flushPages()).
  for (const name of ["addPage", "switchToPage", "flushPages"] as const) {
    const original = doc[name];
    doc[name] = function (this: Internals, ...args: unknown[]) {
      flush();
      return original.apply(this, args);
    };
  }
}

/**
 * What pdfkit's layoutRun returns for a word fontkit would not shape (app/reports/plain-words.ts):
 * each glyph advancing by its width, positions scaled to 1,000 units per em as layoutRun scales them.
 */
function plainRun(glyphs: Run["glyphs"], scale: number): Run {
  const positions = glyphs.map((g) => {
    const x = g.advanceWidth * scale;
    return { xAdvance: x, yAdvance: 0, xOffset: 0, yOffset: 0, advanceWidth: x };
  });
  let advanceWidth = 0;
  for (const p of positions) advanceWidth += p.xAdvance; // GlyphRun.advanceWidth: the same sum, in order
  return { glyphs, positions, advanceWidth };
}

function tuneFont(font: EmbeddedFont) {
  let cache = runs.get(font.font);
  if (!cache) runs.set(font.font, (cache = new Map()));
  const words = cache;
  font.layoutCached = function (text: string): Run {
    const hit = words.get(text);
    if (hit) return hit;
    const glyphs = plainGlyphs(this.font as FontkitFont, text);
    const run = glyphs ? plainRun(glyphs, this.scale) : this.layoutRun(text);
    // GlyphRun.advanceWidth is a getter that adds up the positions on every read: read it once.
    const plain: Run = { glyphs: run.glyphs, positions: run.positions, advanceWidth: run.advanceWidth };
    if (words.size >= MAX_WORDS) words.clear();
    words.set(text, plain);
    return plain;
  };
  // The same line drawn again (a label, a rating, a repeated phrase) encodes to the same glyph ids:
  // its glyphs are already in this document's subset, so the first result is reused. Callers only
  // read the arrays (pdfkit's _fragment copies them before changing anything).
  const encode = font.encode;
  const encoded = new Map<string, [string[], Run["positions"]]>();
  font.encode = function (text: string, features?: unknown) {
    if (features) return encode.call(this, text, features);
    const hit = encoded.get(text);
    if (hit) return hit;
    const result = encode.call(this, text);
    if (encoded.size < MAX_LINES) encoded.set(text, result); // the first lines seen: labels and headers
    return result;
  };
  // pdfkit's EmbeddedFont.layout, word by word at spaces and tabs, without the per-word copies.
  font.layout = function (text: string, features?: unknown, onlyWidth?: boolean) {
    if (features) return this.layoutRun(text, features);
    const glyphs: Run["glyphs"] | null = onlyWidth ? null : [];
    const positions: Run["positions"] | null = onlyWidth ? null : [];
    let advanceWidth = 0;
    let last = 0;
    let index = 0;
    while (index <= text.length) {
      const code = text.charCodeAt(index);
      if ((index === text.length && last < index) || code === 32 || code === 9) {
        const run = this.layoutCached(text.slice(last, ++index));
        if (glyphs && positions) {
          for (const g of run.glyphs) glyphs.push(g);
          for (const p of run.positions) positions.push(p);
        }
        advanceWidth += run.advanceWidth;
        last = index;
      } else {
        index++;
      }
    }
    return { glyphs, positions, advanceWidth };
  };
}

const deflateAsync = promisify(deflate);

/**
 * Compresses every buffered page's content stream on libuv's thread pool, all pages at once,
 * instead of one after another on this thread when end() writes them (about a tenth of a large
 * report's time, and the event loop is free meanwhile). Same zlib, same default settings, so the
 * same bytes: pdfkit's PDFReference writes a stream whose `compress` is off as it is, and its
 * FlateDecode filter was set when the content was written. Call it after the last drawing
 * (finishPages) and right before end(): nothing may write to the pages after it.
 */
export async function compressPages(pdf: Doc) {
  const doc = pdf as unknown as Internals;
  if (!doc.compress) return;
  doc.flushContent?.();
  const streams = doc._pageBuffer.filter(({ content, markings }) => content.compress && content.buffer.length && !markings.length); // else end() still writes to it
  // A few at a time: each compression holds its own zlib state (a few hundred KB) until it is done.
  let next = 0;
  const worker = async () => {
    while (next < streams.length) {
      const { content } = streams[next++];
      content.buffer = [await deflateAsync(Buffer.concat(content.buffer))];
      content.compress = false;
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, availableParallelism()) }, worker));
}

/** Installs the faster plumbing on a new document whose fonts `families` are registered. */
export function tuneDocument(pdf: Doc, families: string[]) {
  const doc = pdf as unknown as Internals;
  batchContent(doc);
  for (const family of families) {
    pdf.font(family);
    const font = doc._fontFamilies[family];
    if (font) tuneFont(font);
  }
}
