// A hazard change (diffSnapshots) in words: codes become the scheme's and the users' names, lists
// show the items added and removed rather than two long lists, a control is named by its
// description. Used by the history and by the "changed since you opened it" panel.
import { fieldLabel, type FieldChange } from "#app/domain/hazard-diff.ts";
import { formatDate, formatDateTime } from "./format.ts";
import { CONTROL_KIND_NAMES, CONTROL_STATE_NAMES, CONTROL_TYPE_NAMES, STATUS_NAMES, hazardTypeName, sourceName } from "./labels.ts";

export type ChangeText = { field: string; label: string; from: string | null; to: string | null; added?: string[]; removed?: string[] };

export type Words = {
  severities: Record<string, string>;
  likelihoods: Record<string, string>;
  riskLabels: Record<string, string>;
  organisations: Record<string, string>;
  /** Control id → description, for naming a changed control. */
  controls: Record<string, string>;
};

type ControlSummary = { description?: unknown; type?: unknown; state?: unknown; kind?: unknown };

const str = (v: unknown) => (v === null || v === undefined || v === "" ? null : String(v));
const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);

function controlText(c: unknown): string | null {
  if (!c || typeof c !== "object") return null;
  const s = c as ControlSummary;
  const kind = CONTROL_KIND_NAMES[String(s.kind)] ?? "";
  const type = CONTROL_TYPE_NAMES[String(s.type)]?.toLowerCase() ?? "";
  const state = CONTROL_STATE_NAMES[String(s.state)]?.toLowerCase() ?? "";
  return `${kind} ${type} control: ${String(s.description ?? "")}${state ? ` (${state})` : ""}`.trim();
}

function valueText(field: string, v: unknown, words: Words): string | null {
  if (v === null || v === undefined || v === "") return null;
  if (/^(initial|residual)\.severity$/.test(field)) return words.severities[String(v)] ?? String(v);
  if (/^(initial|residual)\.likelihood$/.test(field)) return words.likelihoods[String(v)] ?? String(v);
  if (/^(initial|residual)\.risk$/.test(field)) return `${v}${words.riskLabels[String(v)] ? ` (${words.riskLabels[String(v)]})` : ""}`;
  if (field === "status") return STATUS_NAMES[String(v)] ?? String(v);
  if (field === "hazardType") return hazardTypeName(String(v));
  if (field === "source") return sourceName(String(v));
  if (field === "reviewDue") return formatDate(String(v));
  if (field === "deprecated" && typeof v === "object") {
    const d = v as { at?: string; reason?: string };
    return `Deprecated${d.at ? ` on ${formatDateTime(d.at)}` : ""}: ${d.reason ?? ""}`;
  }
  if (/^controls\[[^\]]+\]$/.test(field)) return controlText(v);
  if (field.endsWith(".ownerOrganisationId")) return words.organisations[String(v)] ?? "Another organisation";
  if (field.endsWith(".type")) return CONTROL_TYPE_NAMES[String(v)] ?? String(v);
  if (field.endsWith(".state")) return CONTROL_STATE_NAMES[String(v)] ?? String(v);
  if (field.endsWith(".kind")) return CONTROL_KIND_NAMES[String(v)] ?? String(v);
  if (field.endsWith(".transferred")) return v ? "Yes" : "No";
  return str(v);
}

/** Each change as a label and old → new text (lists: items added and removed). */
export function describeChanges(changes: FieldChange[], words: Words): ChangeText[] {
  // A control added or removed in these changes names itself; others are named from the current hazard.
  const controlNames = { ...words.controls };
  for (const c of changes) {
    const m = /^controls\[([^\]]+)\]$/.exec(c.field);
    const summary = (c.to ?? c.from) as ControlSummary | null;
    if (m && summary?.description) controlNames[m[1]] ??= String(summary.description);
  }
  return changes.map((c) => {
    const control = /^controls\[([^\]]+)\]\.\w+$/.exec(c.field);
    const label = control && controlNames[control[1]] ? `${fieldLabel(c.field)} (“${controlNames[control[1]]}”)` : fieldLabel(c.field);
    if (c.field === "causes") {
      const from = list(c.from);
      const to = list(c.to);
      return { field: c.field, label, from: null, to: null, added: to.filter((x) => !from.includes(x)), removed: from.filter((x) => !to.includes(x)) };
    }
    if (/^controls\[[^\]]+\]$/.test(c.field)) {
      const text = valueText(c.field, c.to ?? c.from, words);
      return { field: c.field, label: c.to ? "Control added" : "Control removed", from: null, to: null, ...(c.to ? { added: [text ?? ""] } : { removed: [text ?? ""] }) };
    }
    return { field: c.field, label, from: valueText(c.field, c.from, words), to: valueText(c.field, c.to, words) };
  });
}

/** The words for a risk scheme's codes and a platform's organisations. */
export function wordsFor(
  scheme: { severities: { code: string; label: string }[]; likelihoods: { code: string; label: string }[]; labels: Record<string, string> },
  organisations: { id: string; name: string }[],
  controls: { id: string; description: string }[] = [],
): Words {
  return {
    severities: Object.fromEntries(scheme.severities.map((s) => [s.code, s.label])),
    likelihoods: Object.fromEntries(scheme.likelihoods.map((l) => [l.code, l.label])),
    riskLabels: scheme.labels,
    organisations: Object.fromEntries(organisations.map((o) => [o.id, o.name])),
    controls: Object.fromEntries(controls.map((c) => [c.id, c.description])),
  };
}
