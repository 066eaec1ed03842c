// What a report is drawn from: a baseline's canonical content (app/baselines.server.ts, the same
// shape for the log's current content), parsed and summarised. Pure: no database, no pdfkit.
import type { HazardView } from "../domain/hazard-view.ts";
import type { RiskScheme } from "../domain/risk.ts";

/** A hazard as a baseline holds it: the view without its times, with its version. */
export type ReportHazard = Omit<HazardView, "createdAt" | "updatedAt">;

export type LogContent = {
  hazardLog: { id: string; title: string; standard: string; scope: string; organisationId: string };
  hazards: ReportHazard[];
};

/** Where the hazards came from: a frozen baseline (its version and hash) or the log as it is now. */
export type ContentSource =
  | { kind: "baseline"; hazardLogVersion: number; sha256: string; frozenAt: string; issued: boolean }
  | { kind: "current"; sha256: string };

export function parseContent(text: string): LogContent {
  const parsed = JSON.parse(text) as LogContent;
  if (!parsed?.hazardLog || !Array.isArray(parsed.hazards)) throw new Error("Baseline content is not a hazard log");
  return parsed;
}

/** Hazards that count in summaries: deprecated ones stay in the full table only. */
export const liveHazards = (hazards: ReportHazard[]) => hazards.filter((h) => !h.deprecated);

/** Hazards per rating 1–5, plus those not yet assessed. */
export function countByRisk(hazards: ReportHazard[], which: "initial" | "residual") {
  const counts: Record<string, number> = { "1": 0, "2": 0, "3": 0, "4": 0, "5": 0, none: 0 };
  for (const h of hazards) counts[h[which].risk == null ? "none" : String(h[which].risk)]++;
  return counts;
}

/** counts[likelihoodIndex][severityIndex] in the scheme's order (the heatmap). */
export function heatmap(scheme: Pick<RiskScheme, "severities" | "likelihoods">, hazards: ReportHazard[], which: "initial" | "residual"): number[][] {
  const grid = scheme.likelihoods.map(() => scheme.severities.map(() => 0));
  for (const h of hazards) {
    const l = scheme.likelihoods.findIndex((x) => x.code === h[which].likelihood);
    const s = scheme.severities.findIndex((x) => x.code === h[which].severity);
    if (l >= 0 && s >= 0) grid[l][s]++;
  }
  return grid;
}

export function countByStatus(hazards: ReportHazard[]) {
  const counts: Record<string, number> = { open: 0, transferred: 0, closed: 0 };
  for (const h of hazards) counts[h.status] = (counts[h.status] ?? 0) + 1;
  return counts;
}

/** A control is in place once implemented or verified. */
export const isInPlace = (c: ReportHazard["controls"][number]) => c.state === "implemented" || c.state === "verified";

/** A gap in control: a hazard still open or transferred with no control implemented or verified. */
export const isGapInControl = (h: Pick<ReportHazard, "status" | "controls">) => h.status !== "closed" && !h.controls.some(isInPlace);

export const withoutControlInPlace = (hazards: ReportHazard[]) => hazards.filter(isGapInControl);

/** Transferred controls not yet in place: another organisation still has to act. */
export function openTransferredControls(hazards: ReportHazard[]) {
  return hazards.flatMap((h) => h.controls.filter((c) => c.transferred && !isInPlace(c)).map((control) => ({ hazard: h, control })));
}

/** Every evidence reference and uploaded evidence id the controls hold. */
export function evidenceItems(hazards: ReportHazard[]) {
  return hazards.flatMap((h) =>
    h.controls.flatMap((control) => [
      ...control.evidenceRefs.map((ref) => ({ hazard: h, control, kind: "reference" as const, value: ref })),
      ...(control.evidenceIds ?? []).map((id) => ({ hazard: h, control, kind: "upload" as const, value: id })),
    ]),
  );
}
