// The 5×5 risk matrix and the hazard heatmaps, drawn as vector shapes: likelihood rows (highest at
// the top) × severity columns. Every cell carries text as well as its scheme colour (accessibility:
// never colour alone), and dark text on the scheme's light fills stays readable in greyscale too.
import { describeRisk, type RiskScheme } from "../domain/risk.ts";
import { BOLD, COLOURS, FONT, contentWidth, ensureSpace, type Doc } from "./layout.ts";

type GridOptions = {
  /** What each cell says under its rating (the matrix) or instead of it (the heatmap). */
  cell: (likelihoodIndex: number, severityIndex: number, rating: number) => { main: string; sub?: string; emphasis?: boolean };
  caption: string;
  width: number;
  x: number;
};

const ROW_HEADER = 62;
const HEAD = 26;

/** Height of a grid of the given width (cells are square-ish). */
export const gridHeight = (width: number) => HEAD + 5 * cellHeight((width - ROW_HEADER) / 5) + 30;
const cellHeight = (cellW: number) => (cellW > 60 ? 34 : 30);

/** Writes `text` on one line within `width`, shrinking the font (never below 5pt) rather than wrapping. */
function fitText(doc: Doc, text: string, x: number, y: number, width: number, size: number, align: "left" | "center") {
  doc.fontSize(size);
  const natural = doc.widthOfString(text);
  const fitted = natural > width - 2 ? Math.max(5, (size * (width - 2)) / natural) : size;
  doc.fontSize(fitted).text(text, x, y + (size - fitted) / 2, { width, align, lineBreak: false });
}

function drawGrid(doc: Doc, scheme: RiskScheme, top: number, opts: GridOptions) {
  const { x, width } = opts;
  const cellW = (width - ROW_HEADER) / scheme.severities.length;
  const cellH = cellHeight(cellW);
  doc.font(BOLD).fillColor(COLOURS.text);
  fitText(doc, opts.caption, x, top, width, 8.5, "left");
  const gridTop = top + 14;
  doc.font(FONT).fontSize(6.5).fillColor(COLOURS.muted);
  fitText(doc, "Likelihood ↓ Severity →", x, gridTop + 2, ROW_HEADER - 2, 6.5, "left");
  scheme.severities.forEach((s, si) => {
    doc.font(BOLD).fillColor(COLOURS.text);
    fitText(doc, s.label, x + ROW_HEADER + si * cellW, gridTop + 2, cellW, 7, "center");
  });
  const rowsTop = gridTop + HEAD - 12;
  const order = scheme.likelihoods.map((_, i) => i).reverse(); // very high at the top, as the NHS template
  order.forEach((li, row) => {
    const y = rowsTop + row * cellH;
    doc.font(BOLD).fillColor(COLOURS.text);
    fitText(doc, scheme.likelihoods[li].label, x, y + cellH / 2 - 4, ROW_HEADER - 4, 7, "left");
    scheme.severities.forEach((_, si) => {
      const rating = scheme.matrix[li][si];
      const cx = x + ROW_HEADER + si * cellW;
      doc.rect(cx, y, cellW, cellH).fillAndStroke(describeRisk(scheme, rating).colour, "#5a5a5a");
      const c = opts.cell(li, si, rating);
      doc.font(c.emphasis ? BOLD : FONT).fontSize(c.emphasis ? 10 : 9).fillColor("#000000");
      doc.text(c.main, cx, y + (c.sub ? 5 : cellH / 2 - 5), { width: cellW, align: "center", lineBreak: false });
      if (c.sub) {
        doc.font(FONT).fillColor("#000000");
        fitText(doc, c.sub, cx + 1, y + cellH - 11, cellW - 2, 6, "center");
      }
    });
  });
  return rowsTop + scheme.likelihoods.length * cellH;
}

/** The scheme's matrix: each cell's rating and its short label. */
export function drawRiskMatrix(doc: Doc, scheme: RiskScheme) {
  const width = Math.min(contentWidth(doc), 470);
  ensureSpace(doc, gridHeight(width));
  const bottom = drawGrid(doc, scheme, doc.y, {
    x: doc.page.margins.left,
    width,
    caption: `${scheme.name} (version ${scheme.version})`,
    cell: (_l, _s, rating) => ({ main: String(rating), sub: describeRisk(scheme, rating).label }),
  });
  doc.x = doc.page.margins.left;
  doc.y = bottom + 10;
  doc.font(FONT).fontSize(10).fillColor(COLOURS.text);
}

/** Initial and residual heatmaps side by side: hazards per cell (rating in brackets). */
export function drawHeatmaps(doc: Doc, scheme: RiskScheme, initial: number[][], residual: number[][]) {
  const gap = 18;
  const width = (contentWidth(doc) - gap) / 2;
  ensureSpace(doc, gridHeight(width));
  const top = doc.y;
  const cell = (grid: number[][]) => (l: number, s: number, rating: number) => ({ main: String(grid[l][s]), sub: `risk ${rating}`, emphasis: grid[l][s] > 0 });
  const a = drawGrid(doc, scheme, top, { x: doc.page.margins.left, width, caption: "Initial risk: hazards per cell", cell: cell(initial) });
  const b = drawGrid(doc, scheme, top, { x: doc.page.margins.left + width + gap, width, caption: "Residual risk: hazards per cell", cell: cell(residual) });
  doc.x = doc.page.margins.left;
  doc.y = Math.max(a, b) + 10;
  doc.font(FONT).fontSize(10).fillColor(COLOURS.text);
}
