// Words laid out without fontkit's shaper (app/reports/plain-words.ts) must be laid out exactly as
// fontkit lays them out: the same glyph objects, each advancing by its width, no offsets. Checked
// for every string of up to three characters over the characters the report fonts treat as plain
// (and the space), and for random longer words; and the numbers a report is full of are plain.
import { describe, expect, it } from "vitest";
import { reportFonts } from "#app/reports/fonts.server.ts";
import { plainGlyphs, type FontkitFont } from "#app/reports/plain-words.ts";

type Run = { glyphs: object[]; positions: { xAdvance: number; yAdvance: number; xOffset: number; yOffset: number }[] };
type Font = FontkitFont & { layout(text: string): Run };

function prng(seed: number) {
  return () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

describe.each(["body", "bold"] as const)("plain words in the %s font", (name) => {
  const font = reportFonts()[name] as unknown as Font;
  const printable = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i));

  function same(word: string) {
    const glyphs = plainGlyphs(font, word);
    if (!glyphs) return null;
    const run = font.layout(word);
    return run.glyphs.length === glyphs.length && run.glyphs.every((g, i) => g === glyphs[i]) && run.positions.every((p, i) => p.xAdvance === glyphs[i].advanceWidth && p.yAdvance === 0 && p.xOffset === 0 && p.yOffset === 0);
  }

  it("lays numbers out without the shaper, and never a kerned pair or a mark", () => {
    for (const word of ["123: ", "1000", "4.5 ", "(2025)", "12/05 "]) expect(plainGlyphs(font, word), word).not.toBeNull();
    for (const word of ["AV", "To", "Te", "e\u0301", "é", "1\n"]) expect(plainGlyphs(font, word), word).toBeNull(); // kerned, marked, not printable ASCII
  });

  it("gives fontkit's layout for every plain word", () => {
    const plain = printable.filter((c) => plainGlyphs(font, `${c}0`));
    expect(plain.length).toBeGreaterThan(20);
    const all = [...plain, " "];
    let checked = 0;
    const check = (word: string) => {
      const result = same(word);
      if (result === null) return;
      expect(result, JSON.stringify(word)).toBe(true);
      checked++;
    };
    for (const a of all) for (const b of all) for (const c of all) check(a + b + c);
    const rand = prng(9);
    for (let i = 0; i < 5000; i++) check(Array.from({ length: 1 + Math.floor(rand() * 12) }, () => all[Math.floor(rand() * all.length)]).join(""));
    expect(checked).toBeGreaterThan(10_000);
  });
});
