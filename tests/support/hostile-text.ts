// Text users should never be able to hurt us with: binary and grapheme strings, SQL and HTML
// fragments, bidi and zero-width characters, formula cells, template syntax. Shared by the
// property tests over the API and the forms; each adds the sizes that matter to it.
import fc from "fast-check";

export const HOSTILE_FRAGMENTS = ["'; DROP TABLE hazards; --", "<script>alert(1)</script>", "\u0000", "\u202e\u200b", "=HYPERLINK(\"x\")", "𝕳𝖆𝖟𝖆𝖗𝖉", "\r\n\t", "%00", "{{7*7}}", "${x}"];

export function hostileText(...extra: fc.Arbitrary<string>[]): fc.Arbitrary<string> {
  return fc.oneof(fc.string({ unit: "binary", maxLength: 60 }), fc.string({ unit: "grapheme", maxLength: 60 }), fc.constantFrom(...HOSTILE_FRAGMENTS), ...extra);
}
