// The hazard form as the browser posts it: one flat map of field name → text, with rows named by
// position (`causes.0`, `controls.1.description`). Flat names let a page without JavaScript post,
// and re-show, exactly what the user typed; this module turns that map into the API's shape and
// back, and names each field in the users' words for the error summary. Pure: no I/O.
import type { HazardView } from "./hazard-view.ts";

export type FormValues = Record<string, string>;

/** Hidden markers: the form showed these lists, so an empty list means "none" rather than "unchanged". */
export const LIST_MARKERS = { causes: "causes.shown", controls: "controls.shown" } as const;

const TEXT_FIELDS = ["title", "description", "effect", "hazard", "harm"] as const;
const OPTIONAL_FIELDS = ["hazardType", "source", "owner", "reviewDue", "riskBenefitJustification"] as const;
type ControlAttr = "id" | "kind" | "type" | "description" | "ownerOrganisationId" | "state" | "evidenceRefs";

/** The form's starting values for an existing hazard: only what this log owns (local causes and controls). */
export function valuesFromHazard(h: HazardView): FormValues {
  const v: FormValues = {};
  for (const f of TEXT_FIELDS) v[f] = h[f] ?? "";
  for (const f of OPTIONAL_FIELDS) v[f] = h[f] ?? "";
  (h.localCauses ?? h.causes).forEach((c, i) => (v[`causes.${i}`] = c));
  h.controls
    .filter((c) => !c.upstream)
    .forEach((c, i) => {
      v[`controls.${i}.id`] = c.id;
      v[`controls.${i}.kind`] = c.kind;
      v[`controls.${i}.type`] = c.type;
      v[`controls.${i}.description`] = c.description;
      v[`controls.${i}.ownerOrganisationId`] = c.ownerOrganisationId;
      v[`controls.${i}.state`] = c.state;
      v[`controls.${i}.evidenceRefs`] = c.evidenceRefs.join("\n");
    });
  for (const part of ["initial", "residual"] as const)
    for (const k of ["severity", "likelihood", "justification"] as const) v[`${part}.${k}`] = h[part][k] ?? "";
  v.version = String(h.version);
  return v;
}

/** A new hazard starts with one empty cause row and no controls. */
export function emptyValues(): FormValues {
  return { "causes.0": "" };
}

/** The row positions present in the values, in order (`causes.0`, `causes.3` → [0, 3]). */
export function rowsOf(values: FormValues, list: "causes" | "controls"): number[] {
  const found = new Set<number>();
  const pattern = new RegExp(`^${list}\\.(\\d+)(?:\\.|$)`);
  for (const key of Object.keys(values)) {
    const m = pattern.exec(key);
    if (m) found.add(Number(m[1]));
  }
  return [...found].sort((a, b) => a - b);
}

/** Renumbers a list's rows 0, 1, 2… in their current order (after a row was removed). */
function renumber(values: FormValues, list: "causes" | "controls"): FormValues {
  const rows = rowsOf(values, list);
  const out: FormValues = {};
  const prefix = `${list}.`;
  for (const [key, value] of Object.entries(values)) {
    const m = new RegExp(`^${list}\\.(\\d+)(.*)$`).exec(key);
    if (m) out[`${prefix}${rows.indexOf(Number(m[1]))}${m[2]}`] = value;
    else out[key] = value;
  }
  return out;
}

export type RowIntent = { list: "causes" | "controls"; op: "add" } | { list: "causes" | "controls"; op: "remove"; row: number };

/** `add-cause`, `remove-control-2`… : the row buttons a browser without JavaScript posts. */
export function parseRowIntent(intent: string | null | undefined): RowIntent | null {
  const m = /^(add|remove)-(cause|control)(?:-(\d+))?$/.exec(intent ?? "");
  if (!m) return null;
  const list = m[2] === "cause" ? "causes" : "controls";
  if (m[1] === "add") return { list, op: "add" };
  return m[3] === undefined ? null : { list, op: "remove", row: Number(m[3]) };
}

/** The values with a row added at the end, or one removed (then renumbered). */
export function applyRowIntent(values: FormValues, intent: RowIntent): FormValues {
  const rows = rowsOf(values, intent.list);
  if (intent.op === "add") {
    const next = rows.length ? rows[rows.length - 1] + 1 : 0;
    const key = intent.list === "causes" ? `causes.${next}` : `controls.${next}.description`;
    return { ...values, [key]: "", [LIST_MARKERS[intent.list]]: "1" };
  }
  const kept = Object.fromEntries(Object.entries(values).filter(([k]) => !new RegExp(`^${intent.list}\\.${intent.row}(?:\\.|$)`).test(k)));
  return renumber(kept, intent.list);
}

const blankToNull = (v: string | undefined) => (v === undefined || v.trim() === "" ? null : v);

/**
 * The API-shaped fields from the form values: only the fields the form showed (so a role's hidden
 * fields are not sent), blank optional fields as null, blank cause rows dropped. `causeRows` maps
 * each sent cause back to its form row, for error messages.
 */
export function fieldsFromValues(values: FormValues): { fields: Record<string, unknown>; causeRows: number[] } {
  const fields: Record<string, unknown> = {};
  for (const f of TEXT_FIELDS) if (f in values) fields[f] = values[f];
  for (const f of OPTIONAL_FIELDS) if (f in values) fields[f] = blankToNull(values[f]);

  const causeRows = rowsOf(values, "causes").filter((i) => values[`causes.${i}`]?.trim());
  if (LIST_MARKERS.causes in values || causeRows.length) fields.causes = causeRows.map((i) => values[`causes.${i}`]);

  const controlRows = rowsOf(values, "controls");
  if (LIST_MARKERS.controls in values || controlRows.length)
    fields.controls = controlRows.map((i) => {
      const get = (attr: ControlAttr) => values[`controls.${i}.${attr}`];
      const control: Record<string, unknown> = {
        kind: get("kind") || "existing",
        type: get("type") || "design",
        description: get("description") ?? "",
        state: get("state") || "planned",
        evidenceRefs: (get("evidenceRefs") ?? "").split(/\r?\n/).map((s) => s.trim()).filter(Boolean),
      };
      if (get("id")) control.id = get("id");
      if (get("ownerOrganisationId")) control.ownerOrganisationId = get("ownerOrganisationId");
      return control;
    });

  for (const part of ["initial", "residual"] as const) {
    const keys = ["severity", "likelihood", "justification"].map((k) => `${part}.${k}`);
    if (keys.some((k) => k in values))
      fields[part] = {
        severity: blankToNull(values[`${part}.severity`]),
        likelihood: blankToNull(values[`${part}.likelihood`]),
        justification: blankToNull(values[`${part}.justification`]),
      };
  }
  return { fields, causeRows };
}

/** The form field a validation path points at (`causes.1` of the sent list → its form row). */
export function formKeyOf(path: string, causeRows: number[] = []): string {
  const cause = /^causes\.(\d+)$/.exec(path);
  if (cause) return `causes.${causeRows[Number(cause[1])] ?? cause[1]}`;
  if (path === "deprecate.reason" || path === "deprecate") return "reason";
  const evidence = /^(controls\.\d+\.evidenceRefs)\.\d+$/.exec(path);
  if (evidence) return evidence[1];
  return path;
}

const LABELS: Record<string, string> = {
  title: "Title",
  description: "Description",
  effect: "Effect",
  hazard: "Hazard",
  harm: "Potential clinical harm",
  hazardType: "Hazard type",
  source: "Source of identification",
  owner: "Owner",
  reviewDue: "Review due date",
  causes: "Causes",
  controls: "Controls",
  "initial.severity": "Initial severity",
  "initial.likelihood": "Initial likelihood",
  "initial.justification": "Initial assessment justification",
  "residual.severity": "Residual severity",
  "residual.likelihood": "Residual likelihood",
  "residual.justification": "Residual assessment justification",
  riskBenefitJustification: "Risk–benefit justification",
  reason: "Reason for the change",
  version: "Version",
  status: "Status",
};
const CONTROL_ATTR_LABELS: Record<string, string> = {
  id: "",
  kind: "existing or additional",
  type: "type",
  description: "description",
  ownerOrganisationId: "owning organisation",
  state: "state",
  evidenceRefs: "evidence references",
};

/** The field's name as the form shows it ("controls.0.description" → "Control 1 description"). */
export function formLabel(key: string): string {
  if (LABELS[key]) return LABELS[key];
  const cause = /^causes\.(\d+)$/.exec(key);
  if (cause) return `Cause ${Number(cause[1]) + 1}`;
  const control = /^controls\.(\d+)(?:\.(\w+))?$/.exec(key);
  if (control) return `Control ${Number(control[1]) + 1}${control[2] && CONTROL_ATTR_LABELS[control[2]] ? ` ${CONTROL_ATTR_LABELS[control[2]]}` : ""}`;
  return key;
}

/** Field messages keyed by form field, each a sentence ("Title is required"). */
export function formErrors(fields: Record<string, string>, causeRows: number[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(fields)) {
    const key = formKeyOf(path, causeRows);
    out[key] ??= `${formLabel(key)} ${message}`;
  }
  return out;
}

/**
 * Whether an edit needs a reason: once the hazard has a rating or has left "open". The form uses
 * this to say so up front; updateHazard is the authority and refuses a missing reason itself.
 */
export function isAssessed(h: Pick<HazardView, "initial" | "residual" | "status">): boolean {
  return [h.initial.severity, h.initial.likelihood, h.residual.severity, h.residual.likelihood].some((x) => x != null) || h.status !== "open";
}

/** The read-only, inherited parts of a hazard, for showing beside the form of its local parts. */
export type UpstreamParts = {
  ref: string;
  logTitle: string | null;
  title: string;
  description: string;
  causes: string[];
  effect: string;
  hazard: string;
  harm: string;
  hazardType: string | null;
  source: string | null;
  controls: { id: string; description: string }[];
};

export function upstreamPartsOf(h: HazardView, logTitle: string | null): UpstreamParts | null {
  if (!h.upstream) return null;
  const local = h.localCauses?.length ?? 0;
  return {
    ref: h.upstream.ref,
    logTitle,
    title: h.title,
    description: h.description,
    causes: h.causes.slice(0, h.causes.length - local),
    effect: h.effect,
    hazard: h.hazard,
    harm: h.harm,
    hazardType: h.hazardType,
    source: h.source,
    controls: h.controls.filter((c) => c.upstream).map((c) => ({ id: c.id, description: c.description })),
  };
}

/**
 * The status changes that make sense from here (the buttons offered). Whether the user may make
 * them is the permission helpers' question; whether they are allowed, updateHazard's.
 */
export function statusActionsFor(h: Pick<HazardView, "status" | "deprecated">): ("close" | "transfer" | "reopen" | "deprecate")[] {
  const out: ("close" | "transfer" | "reopen" | "deprecate")[] = [];
  if (h.status === "open") out.push("transfer");
  if (h.status !== "closed") out.push("close");
  if (h.status !== "open") out.push("reopen");
  if (!h.deprecated) out.push("deprecate");
  return out;
}
