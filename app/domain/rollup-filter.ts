// Which roll-up lines a user asked to see: search by ref or title, only where someone has not
// accepted the current upstream version, only overdue reviews, only residual risk at or above a level.
export type RollupFilter = { q: string; pending: boolean; overdue: boolean; minRisk: number | null };
type Line = { ref: string; title: string; byOrganisation: Record<string, { upstreamAccepted: boolean | null; reviewOverdue: boolean; residualRisk: number | null }> };

export function parseRollupFilter(params: URLSearchParams): RollupFilter {
  const min = Number(params.get("minRisk"));
  return {
    q: (params.get("q") ?? "").trim().toLowerCase().slice(0, 200),
    pending: params.get("pending") === "true",
    overdue: params.get("overdue") === "true",
    minRisk: Number.isInteger(min) && min >= 1 && min <= 5 ? min : null,
  };
}

/**
 * The rule for one line. app/rollup.server.ts applies the same rule in SQL (a platform's roll-up is
 * too large to filter in Node); tests/integration/inheritance/rollup.test.ts keeps the two equal.
 */
export function matchesRollupFilter(line: Line, f: RollupFilter): boolean {
  const cells = Object.values(line.byOrganisation);
  if (f.q && !`${line.ref} ${line.title}`.toLowerCase().includes(f.q)) return false;
  if (f.pending && !cells.some((c) => c.upstreamAccepted === false)) return false;
  if (f.overdue && !cells.some((c) => c.reviewOverdue)) return false;
  if (f.minRisk !== null && !cells.some((c) => (c.residualRisk ?? 0) >= f.minRisk!)) return false;
  return true;
}
