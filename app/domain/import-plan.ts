// From a read spreadsheet to a plan: which rows create hazards, which update one (and what
// changes), which change nothing, and every problem by row and column. Pure: the service loads the
// log's hazards and organisations and stores the plan; nothing here touches the database.
// Decisions the template leaves open:
// - A row whose Ref is a hazard of this log updates it; a row with no Ref, or a Ref the log does
//   not have (a file from another log), creates a hazard and the server gives the next ref.
// - A Version cell older than the hazard's version is a problem: the file was exported before
//   someone else changed the hazard, and applying it would silently undo their change.
// - On an inherited hazard only the local fields change: upstream fields and controls must come
//   back as they are (a problem otherwise), and the upstream part of the causes is dropped.
// - Own controls are matched to the file's by template pair and position, so their ids (and the
//   evidence linked to them) survive an edit of their text.
import { canonicalJson } from "./canonical.ts";
import type { HazardInput } from "./hazard-fields.ts";
import type { HazardView } from "./hazard-view.ts";
import { COL, hazardToRow, rowToHazardInput, templateControlOrder, type ImportOptions, type OrgNames } from "./nhs-template.ts";
import { lookupRiskOrNull, needsRiskBenefitJustification, type RiskScheme } from "./risk.ts";
import type { SheetContent, SheetProblem } from "./spreadsheet.ts";

export type ImportProblem = SheetProblem;

/** The fields an update sends (HazardPatch's shape; the service parses it again before writing). */
export type ImportPatch = Omit<HazardInput, "controls"> & { version: number; reason: string; controls: (HazardInput["controls"][number] & { id?: string })[] };

export type PlanItem =
  | { action: "create"; row: number; ref: string | null; title: string; input: HazardInput; note?: string }
  | { action: "update"; row: number; ref: string; hazardId: string; version: number; title: string; changes: string[]; patch: ImportPatch };

export type ImportPlan = { items: PlanItem[]; unchanged: { row: number; ref: string }[]; problems: ImportProblem[]; rowCount: number };

export type PlanContext = {
  scheme: Pick<RiskScheme, "severities" | "likelihoods" | "matrix">;
  /** The log's live hazards, by ref. */
  existing: ReadonlyMap<string, HazardView>;
  organisationIdByName: ImportOptions["organisationIdByName"];
  orgNameById: OrgNames;
  filename: string;
};

export const importReason = (filename: string) => `Imported from ${filename}`.slice(0, 2000);

const CHANGE_LABELS: [keyof HazardInput, string][] = [
  ["title", "title"], ["description", "description"], ["causes", "causes"], ["effect", "effect"], ["hazard", "hazard"], ["harm", "harm"],
  ["hazardType", "hazard type"], ["source", "source"], ["owner", "owner"], ["reviewDue", "review due"], ["controls", "controls"],
  ["initial", "initial risk"], ["residual", "residual risk"], ["riskBenefitJustification", "risk–benefit justification"], ["status", "status"],
];
const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

/** The hazard as the file would carry it, read back the same way (so "unchanged" means unchanged). */
function currentInput(view: HazardView, ctx: PlanContext): HazardInput | undefined {
  const row = hazardToRow(view, ctx.orgNameById);
  const cells = Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v == null ? "" : String(v)]));
  return rowToHazardInput(cells, ctx.scheme, { organisationIdByName: ctx.organisationIdByName }).input;
}

const slotOf = (c: { kind: string; type: string }) => `${c.kind}:${c.type === "test" ? "design" : c.type}`;

/** File controls in template order → own controls with the ids of the hazard's controls in the same
 * pair and position; upstream controls (inherited hazards) must be unchanged and are left out. */
function matchControls(view: HazardView, file: HazardInput["controls"], report: (column: string, message: string) => void): ImportPatch["controls"] {
  const current = templateControlOrder(view.controls);
  const bySlot = new Map<string, typeof current>();
  for (const c of current) bySlot.set(slotOf(c), [...(bySlot.get(slotOf(c)) ?? []), c]);
  const seen = new Map<string, number>();
  const out: ImportPatch["controls"] = [];
  for (const c of file) {
    const slot = slotOf(c);
    const i = seen.get(slot) ?? 0;
    seen.set(slot, i + 1);
    const match = bySlot.get(slot)?.[i];
    if (match?.upstream) {
      if (match.description !== c.description || match.type !== c.type) report(controlColumn(c), `control ${i + 1} belongs to the upstream log and is read-only here`);
      continue;
    }
    out.push(match ? { ...c, id: match.id } : c);
  }
  const upstreamCount = current.filter((c) => c.upstream).length;
  const upstreamSeen = [...bySlot.entries()].reduce((n, [slot, list]) => n + list.slice(0, seen.get(slot) ?? 0).filter((c) => c.upstream).length, 0);
  if (upstreamSeen < upstreamCount) report(COL.title, "an upstream control is missing: controls inherited from the upstream log cannot be removed here");
  return out;
}

function controlColumn(c: { kind: string; type: string }): string {
  const pair = { design: 0, test: 0, training: 1, business_process: 2 }[c.type] ?? 0;
  return COL[`${c.kind === "existing" ? "Existing Controls" : "Additional Controls"}${pair}d`];
}

/** Plans the import of `sheet` into a log; an import with any problem must not be applied. */
export function planImport(sheet: Pick<SheetContent, "rows" | "problems">, ctx: PlanContext): ImportPlan {
  const problems: ImportProblem[] = [...sheet.problems];
  const items: PlanItem[] = [];
  const unchanged: ImportPlan["unchanged"] = [];
  const refRows = new Map<string, number>();
  if (sheet.rows.length === 0 && sheet.problems.length === 0) problems.push({ row: 0, column: "", message: "The file has no hazard rows" });

  for (const { rowNumber: row, cells } of sheet.rows) {
    const rowProblems: ImportProblem[] = [];
    const report = (column: string, message: string) => rowProblems.push({ row, column, message });
    const parsed = rowToHazardInput(cells, ctx.scheme, { organisationIdByName: ctx.organisationIdByName });
    parsed.problems.forEach((p) => report(p.column, p.message));
    const ref = parsed.ref;
    if (ref) {
      const first = refRows.get(ref.toLowerCase());
      if (first !== undefined) report(COL.ref, `Ref ${ref} is also on row ${first}: each hazard once`);
      else refRows.set(ref.toLowerCase(), row);
    }
    const input = parsed.input;
    if (input && needsRiskBenefitJustification(lookupRiskOrNull(ctx.scheme, input.residual.likelihood, input.residual.severity)) && !input.riskBenefitJustification?.trim())
      report(COL.riskBenefit, "Risk-benefit justification: is required when the residual risk is 4 or 5");
    const target = ref ? ctx.existing.get(ref) : undefined;
    if (input && target) planUpdate({ row, input, target, version: parsed.version, ctx, report, items, unchanged });
    else if (input) items.push({ action: "create", row, ref, title: input.title, input, ...(ref ? { note: `${ref} is not in this log: created with the next ref` } : {}) });
    problems.push(...rowProblems);
  }
  problems.sort((a, b) => a.row - b.row || a.column.length - b.column.length || a.column.localeCompare(b.column));
  return { items: problems.length ? [] : items, unchanged, problems, rowCount: sheet.rows.length };
}

function planUpdate(a: {
  row: number; input: HazardInput; target: HazardView; version: number | null; ctx: PlanContext;
  report: (column: string, message: string) => void; items: PlanItem[]; unchanged: ImportPlan["unchanged"];
}) {
  const { row, input, target, ctx, report } = a;
  if (a.version !== null && a.version !== target.version)
    return report(COL.version, `${target.ref} is at version ${target.version} in the log but this row was exported at version ${a.version}: export again and make your changes there`);
  const before = currentInput(target, ctx);
  if (before && same(before, input)) return a.unchanged.push({ row, ref: target.ref });
  const inherited = !!target.upstream;
  if (inherited) {
    for (const f of ["title", "description", "effect", "hazard", "harm"] as const)
      if ((input[f] ?? "") !== (before?.[f] ?? target[f])) report(COL[f], "is inherited from the upstream log and read-only here");
  }
  const upstreamCauses = inherited ? target.causes.slice(0, target.causes.length - (target.localCauses?.length ?? 0)) : [];
  if (upstreamCauses.some((c, i) => input.causes[i] !== c)) report(COL.causes, "the upstream causes come first and are read-only here");
  const controls = matchControls(target, input.controls, report);
  const changes = CHANGE_LABELS.filter(([k]) => !before || !same(before[k], input[k])).map(([, label]) => label);
  a.items.push({
    action: "update", row, ref: target.ref, hazardId: target.id, version: target.version, title: input.title, changes,
    patch: { ...input, causes: input.causes.slice(upstreamCauses.length), controls, version: target.version, reason: importReason(ctx.filename) },
  });
}

/** Counts for the preview and the API answer. */
export function planSummary(plan: Pick<ImportPlan, "items" | "unchanged" | "problems">) {
  return {
    creates: plan.items.filter((i) => i.action === "create").length,
    updates: plan.items.filter((i) => i.action === "update").length,
    unchanged: plan.unchanged.length,
    problems: plan.problems.length,
  };
}
