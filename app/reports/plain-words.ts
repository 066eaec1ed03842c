// Words that no OpenType rule of the font can touch, laid out without fontkit's shaping engine.
// A report lays out every distinct word once with fontkit (cached afterwards), and a large report
// has thousands of distinct words that are numbers ("123: ", "1000", "4.5 "): in a fresh process
// fontkit's shaper (script selection, a shaping plan, every lookup of every feature) was a large
// part of the first report's time. For such a word fontkit's result is known exactly: the glyphs
// the character map gives, each advancing by its own width, no offsets.
//
// Exact because every OpenType lookup, GSUB or GPOS, of every type, fires only at a glyph in its
// coverage table (mark attachment at the mark; the base, ligature and second mark coverages are
// looked up only after that), and fontkit applies to printable ASCII text only the lookups of the
// Latin or default script's features (lookupsForPlainText). A word is plain when it is printable
// ASCII (no default-ignorable characters, left to right), none of its glyphs is in a trigger
// coverage of those lookups and none is a mark (fontkit zeroes marks' advances); the last glyph may
// also be one whose only lookups are ligatures of two or more glyphs (nothing follows it in the
// word, so no ligature can start there). A font with no GPOS table, or whose legacy `kern` table
// fontkit would apply to such text, gets no plain words at all. In DejaVu Sans the digits, the
// space and most punctuation are plain (tests/integration/reports/plain-words.test.ts compares
// every such word of up to three characters, and random longer ones, with fontkit).
//
// Reads fontkit's parsed tables (fontkit is pinned in package.json). The integration tests compare
// whole reports with pdfkit's own output byte for byte.

type Glyph = { id: number; advanceWidth: number; codePoints: number[] };
type Coverage = { version?: number; glyphs?: ArrayLike<number>; rangeRecords?: ArrayLike<{ start: number; end: number }> };
type ClassDef = { version?: number; startGlyph?: number; classValueArray?: ArrayLike<number>; classRangeRecord?: ArrayLike<{ start: number; end: number; class: number }> };
type LayoutTable = {
  lookupList: { length: number; get(i: number): { lookupType: number; subTables: unknown } };
  scriptList: { tag: string; script: { defaultLangSys?: { featureIndexes: number[] } | null } }[];
  featureList: { tag: string; feature: { lookupListIndexes: number[] } }[];
};
export type FontkitFont = {
  GSUB?: LayoutTable;
  GPOS?: LayoutTable;
  GDEF?: { glyphClassDef?: ClassDef | null };
  kern?: unknown;
  glyphForCodePoint(codePoint: number): Glyph;
};

/** Coverage tables that are not where a lookup fires (it fires at the mark, then looks these up). */
const NOT_TRIGGERS = new Set(["baseCoverage", "ligatureCoverage", "mark2Coverage"]);
/** GSUB ligature substitution, and the extension lookup type that may wrap it. */
const LIGATURE = 4;
const GSUB_EXTENSION = 7;

const asArray = <T>(x: unknown): T[] => {
  if (x == null) return [];
  const list = x as { toArray?: () => T[] };
  return typeof list.toArray === "function" ? list.toArray() : Array.isArray(x) ? (x as T[]) : [];
};

function coverageGlyphs(c: Coverage | null | undefined, add: (glyph: number) => void) {
  if (!c) return;
  for (const g of asArray<number>(c.glyphs)) add(g);
  for (const r of asArray<{ start: number; end: number }>(c.rangeRecords)) for (let g = r.start; g <= r.end; g++) add(g);
}

/**
 * Every glyph in this subtable's trigger coverages. They are fields of the subtable itself (or of the
 * subtable an extension lookup wraps); nothing else is read, so the rest of the table (kerning
 * pairs, anchors, ligatures) is never decoded. Unknown coverage fields count as triggers.
 */
function triggerGlyphs(subTable: unknown, add: (glyph: number) => void) {
  if (subTable == null || typeof subTable !== "object") return;
  for (const [key, value] of Object.entries(subTable)) {
    if (key === "extension") triggerGlyphs(value, add);
    else if (/coverage/i.test(key) && !NOT_TRIGGERS.has(key)) {
      const many = asArray<Coverage>(value);
      if (many.length) many.forEach((c) => coverageGlyphs(c, add));
      else coverageGlyphs(value as Coverage, add);
    }
  }
}

function classOf(glyph: number, def: ClassDef): number {
  if (def.classValueArray && def.startGlyph != null) {
    const i = glyph - def.startGlyph;
    return i >= 0 && i < def.classValueArray.length ? def.classValueArray[i] : 0;
  }
  for (const r of asArray<{ start: number; end: number; class: number }>(def.classRangeRecord)) if (r.start <= glyph && glyph <= r.end) return r.class;
  return 0;
}

/** A ligature subtable whose ligatures starting with `glyph` all need at least one more glyph. */
function ligaturesNeedMore(subTable: unknown, glyph: number): boolean {
  const t = subTable as { coverage?: Coverage; ligatureSets?: unknown };
  const covered: number[] = [];
  coverageGlyphs(t.coverage, (g) => covered.push(g));
  const index = covered.indexOf(glyph);
  if (index === -1) return true;
  const sets = t.ligatureSets as { get?: (i: number) => unknown } | unknown[] | undefined;
  const set = asArray<{ components?: ArrayLike<number> }>(sets && "get" in sets && typeof sets.get === "function" ? sets.get(index) : asArray<unknown>(sets)[index]);
  return set.length > 0 && set.every((l) => (l.components?.length ?? 0) >= 1);
}

/**
 * The lookups fontkit may apply to printable ASCII text: fontkit picks the script from the text
 * (Latin, or none for digits and punctuation: then DFLT, dflt or latn, the first the font has), no
 * language (the default language system), and applies lookups of that language system's features
 * only. Lookups that a contextual lookup calls need that lookup to fire first: covered by its own
 * trigger glyphs. All of these scripts are taken, whichever the text picks.
 */
function lookupsForPlainText(table: LayoutTable): number[] {
  const indexes = new Set<number>();
  for (const s of table.scriptList) {
    if (!["DFLT", "dflt", "latn"].includes(s.tag)) continue;
    for (const f of s.script.defaultLangSys?.featureIndexes ?? []) for (const l of table.featureList[f]?.feature.lookupListIndexes ?? []) indexes.add(l);
  }
  return [...indexes].sort((a, b) => a - b);
}

type Plain = { trigger: Set<number>; endOnly: Set<number>; marks: ClassDef | null };
const plainFonts = new WeakMap<FontkitFont, Plain | null>();

function analyse(font: FontkitFont): Plain | null {
  if (!font.GPOS) return null;
  // fontkit applies a legacy kern table when the selected script's GPOS features have no kern.
  if (font.kern) {
    const scripts = font.GPOS.scriptList.filter((s) => ["DFLT", "dflt", "latn"].includes(s.tag));
    const kerned = (s: (typeof scripts)[number]) => !!s.script.defaultLangSys && s.script.defaultLangSys.featureIndexes.some((i) => font.GPOS!.featureList[i]?.tag === "kern");
    if (scripts.length === 0 || !scripts.every(kerned)) return null;
  }
  const trigger = new Set<number>();
  const ligatureOnly = new Map<number, boolean>(); // glyph -> every lookup firing at it is a ligature needing more glyphs
  for (const [tag, table] of [["GSUB", font.GSUB], ["GPOS", font.GPOS]] as const) {
    if (!table) continue;
    for (const i of lookupsForPlainText(table)) {
      const lookup = table.lookupList.get(i);
      for (const subTable of asArray<unknown>(lookup.subTables)) {
        const ext = subTable as { lookupType?: number; extension?: unknown };
        const type = tag === "GSUB" && lookup.lookupType === GSUB_EXTENSION ? ext.lookupType : lookup.lookupType;
        const inner = tag === "GSUB" && lookup.lookupType === GSUB_EXTENSION ? ext.extension : subTable;
        triggerGlyphs(subTable, (g) => {
          trigger.add(g);
          const ok = tag === "GSUB" && type === LIGATURE && ligaturesNeedMore(inner, g);
          ligatureOnly.set(g, (ligatureOnly.get(g) ?? true) && ok);
        });
      }
    }
  }
  const endOnly = new Set([...ligatureOnly].filter(([, ok]) => ok).map(([g]) => g));
  return { trigger, endOnly, marks: font.GDEF?.glyphClassDef ?? null };
}

/**
 * fontkit's glyphs for `word` when no OpenType rule can apply to it (see above), else null. The
 * glyphs are fontkit's own (cached) glyph objects; each advances by its advance width.
 */
export function plainGlyphs(font: FontkitFont, word: string): Glyph[] | null {
  let plain = plainFonts.get(font);
  if (plain === undefined) plainFonts.set(font, (plain = analyse(font)));
  if (!plain || word.length === 0) return null;
  const glyphs: Glyph[] = [];
  for (let i = 0; i < word.length; i++) {
    const code = word.charCodeAt(i);
    if (code < 0x20 || code > 0x7e) return null;
    const glyph = font.glyphForCodePoint(code);
    if (plain.trigger.has(glyph.id) && !(i === word.length - 1 && plain.endOnly.has(glyph.id))) return null;
    if (plain.marks && classOf(glyph.id, plain.marks) === 3) return null;
    glyphs.push(glyph);
  }
  return glyphs;
}
