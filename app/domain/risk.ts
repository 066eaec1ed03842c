// The risk matrix rule: risk = lookup(scheme, likelihood, severity). Never a product, never typed
// in, never taken from a client. The scheme itself is data (risk_schemes rows); this module only
// knows how to read one.

export const SEVERITIES = ["minor", "significant", "considerable", "major", "catastrophic"] as const;
export const LIKELIHOODS = ["very_low", "low", "medium", "high", "very_high"] as const;
export type Severity = (typeof SEVERITIES)[number];
export type Likelihood = (typeof LIKELIHOODS)[number];
export type RiskRating = 1 | 2 | 3 | 4 | 5;

export type RiskLevel = { code: string; label: string; text?: string };

/** A risk scheme as stored: `matrix[likelihoodIndex][severityIndex]`, indices in array order. */
export type RiskScheme = {
  id: string;
  name: string;
  version: number;
  severities: RiskLevel[];
  likelihoods: RiskLevel[];
  matrix: number[][];
  acceptability: Record<string, string>;
  labels: Record<string, string>;
  colours: Record<string, string>;
};

export class UnknownRiskCodeError extends Error {}

/** Look the rating up in the scheme. Throws on a code the scheme does not know. */
export function lookupRisk(scheme: Pick<RiskScheme, "severities" | "likelihoods" | "matrix">, likelihood: string, severity: string): RiskRating {
  const l = scheme.likelihoods.findIndex((x) => x.code === likelihood);
  const s = scheme.severities.findIndex((x) => x.code === severity);
  if (l < 0) throw new UnknownRiskCodeError(`Unknown likelihood "${likelihood}"`);
  if (s < 0) throw new UnknownRiskCodeError(`Unknown severity "${severity}"`);
  const rating = scheme.matrix[l]?.[s];
  if (rating === undefined || rating < 1 || rating > 5) throw new Error("Risk scheme matrix is incomplete");
  return rating as RiskRating;
}

/** Rating, or null when either input is missing (the NHS template leaves the cell blank too). */
export function lookupRiskOrNull(scheme: Pick<RiskScheme, "severities" | "likelihoods" | "matrix">, likelihood: string | null | undefined, severity: string | null | undefined): RiskRating | null {
  if (!likelihood || !severity) return null;
  return lookupRisk(scheme, likelihood, severity);
}

/** The rating with its acceptability text, short label and colour, for display. */
export function describeRisk(scheme: RiskScheme, rating: number) {
  const key = String(rating);
  return {
    rating,
    label: scheme.labels[key] ?? `Risk ${rating}`,
    acceptability: scheme.acceptability[key] ?? "",
    colour: scheme.colours[key] ?? "#ffffff",
  };
}

/** Residual risk at or above this needs a risk–benefit justification before it can be accepted. */
export const RISK_BENEFIT_THRESHOLD = 4;

export function needsRiskBenefitJustification(residualRisk: number | null | undefined): boolean {
  return residualRisk != null && residualRisk >= RISK_BENEFIT_THRESHOLD;
}

/** The `rating` object of the API: { likelihood: { severity: 1..5 } }. */
export function ratingTable(scheme: RiskScheme): Record<string, Record<string, number>> {
  const table: Record<string, Record<string, number>> = {};
  scheme.likelihoods.forEach((l, li) => {
    table[l.code] = {};
    scheme.severities.forEach((s, si) => (table[l.code][s.code] = scheme.matrix[li][si]));
  });
  return table;
}
