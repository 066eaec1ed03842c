// DejaVu Sans (regular and bold) for every report: the standard PDF fonts are WinAnsi only (≥, —, ’
// come out wrong), and an embedded TTF must be parsed ONCE per process and handed to pdfkit as a
// parsed fontkit Font, or doc.table() re-parses the file for every cell (stack notes, pitfalls 20–21).
import * as fontkit from "fontkit";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
let parsed: { body: fontkit.Font; bold: fontkit.Font } | undefined;

function load(file: string): fontkit.Font {
  return fontkit.create(readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${file}`))) as fontkit.Font;
}

/** The parsed fonts, read from disk on first use only. */
export function reportFonts() {
  parsed ??= { body: load("DejaVuSans.ttf"), bold: load("DejaVuSans-Bold.ttf") };
  return parsed;
}
