// The risk matrix laid out as the heatmaps show it: likelihood rows from the most likely at the top
// down to the least, severity columns from minor to catastrophic, each cell with its rating, the
// scheme's label and colour, and a count. Pure: the scheme and the counts come in.
import { describeRisk, type RiskLevel, type RiskScheme } from "./risk.ts";

export type GridCell = {
  key: string;
  likelihood: RiskLevel;
  severity: RiskLevel;
  rating: number;
  label: string;
  colour: string;
  count: number;
};
export type RiskGrid = { severities: RiskLevel[]; rows: { likelihood: RiskLevel; cells: GridCell[] }[] };

export const cellKey = (likelihood: string, severity: string) => `${likelihood}:${severity}`;

export function riskGrid(scheme: RiskScheme, counts: Record<string, number>): RiskGrid {
  const rows = scheme.likelihoods.map((likelihood, li) => ({
    likelihood,
    cells: scheme.severities.map((severity, si) => {
      const key = cellKey(likelihood.code, severity.code);
      const { rating, label, colour } = describeRisk(scheme, scheme.matrix[li][si]);
      return { key, likelihood, severity, rating, label, colour, count: counts[key] ?? 0 };
    }),
  }));
  // The scheme lists likelihoods from the least likely; the NHS matrix shows the most likely on top.
  return { severities: scheme.severities, rows: rows.reverse() };
}
