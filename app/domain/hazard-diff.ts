// What changed between two versions of a hazard, field by field, for the version history and the
// audit trail. Pure: two snapshots (HazardView or snapshotOf(view)) in, a list of changes out.
// Controls are compared by id: `controls[<id>]` added or removed, `controls[<id>].<attr>` changed.

export type FieldChange = { field: string; from: unknown; to: unknown };

type Snapshot = Record<string, unknown>;

/** Top-level fields compared as values (arrays and objects by their JSON). */
const SCALAR_FIELDS = [
  "title", "description", "causes", "effect", "hazard", "harm", "hazardType", "source", "owner", "reviewDue", "status",
] as const;
const ASSESSMENT_PARTS = ["severity", "likelihood", "risk", "justification"] as const;
const CONTROL_ATTRS = ["description", "state", "type", "kind", "ownerOrganisationId", "transferred"] as const;

const LABELS: Record<string, string> = {
  title: "Title",
  description: "Description",
  causes: "Causes",
  effect: "Effect",
  hazard: "Hazard",
  harm: "Potential clinical harm",
  hazardType: "Hazard type",
  source: "Source",
  owner: "Owner",
  reviewDue: "Review due",
  status: "Status",
  riskBenefitJustification: "Risk–benefit justification",
  deprecated: "Deprecated",
  "initial.severity": "Initial severity",
  "initial.likelihood": "Initial likelihood",
  "initial.risk": "Initial risk",
  "initial.justification": "Initial assessment justification",
  "residual.severity": "Residual severity",
  "residual.likelihood": "Residual likelihood",
  "residual.risk": "Residual risk",
  "residual.justification": "Residual assessment justification",
};
const CONTROL_LABELS: Record<string, string> = {
  description: "Control description",
  state: "Control state",
  type: "Control type",
  kind: "Control kind",
  ownerOrganisationId: "Control owner",
  transferred: "Control transferred",
};

/** A readable label for a change's `field` (e.g. "residual.risk" → "Residual risk"). */
export function fieldLabel(field: string): string {
  if (LABELS[field]) return LABELS[field];
  const control = /^controls\[[^\]]+\](?:\.(\w+))?$/.exec(field);
  if (control) return control[1] ? (CONTROL_LABELS[control[1]] ?? `Control ${control[1]}`) : "Control";
  return field.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/^./, (c) => c.toUpperCase()).replace(/\./g, " ");
}

const norm = (v: unknown) => (v === undefined ? null : v);
const same = (a: unknown, b: unknown) => JSON.stringify(norm(a)) === JSON.stringify(norm(b));
const obj = (v: unknown): Snapshot => (v && typeof v === "object" && !Array.isArray(v) ? (v as Snapshot) : {});

type ControlLike = { id: string } & Record<string, unknown>;
function controlsOf(s: Snapshot): ControlLike[] {
  const list = Array.isArray(s.controls) ? (s.controls as unknown[]) : [];
  return list.filter((c): c is ControlLike => !!c && typeof c === "object" && typeof (c as { id?: unknown }).id === "string");
}
function controlSummary(c: ControlLike) {
  return { description: norm(c.description), type: norm(c.type), state: norm(c.state), kind: norm(c.kind) };
}

/** Field-by-field changes from `before` to `after`. */
export function diffSnapshots(before: Snapshot | object, after: Snapshot | object): FieldChange[] {
  const b = before as Snapshot;
  const a = after as Snapshot;
  const out: FieldChange[] = [];
  const push = (field: string, from: unknown, to: unknown) => {
    if (!same(from, to)) out.push({ field, from: norm(from), to: norm(to) });
  };
  for (const f of SCALAR_FIELDS) push(f, b[f], a[f]);
  for (const part of ["initial", "residual"] as const)
    for (const p of ASSESSMENT_PARTS) push(`${part}.${p}`, obj(b[part])[p], obj(a[part])[p]);
  push("riskBenefitJustification", b.riskBenefitJustification, a.riskBenefitJustification);
  push("deprecated", b.deprecated, a.deprecated);

  const beforeControls = new Map(controlsOf(b).map((c) => [c.id, c]));
  const afterControls = new Map(controlsOf(a).map((c) => [c.id, c]));
  for (const [id, c] of afterControls) {
    const old = beforeControls.get(id);
    if (!old) {
      out.push({ field: `controls[${id}]`, from: null, to: controlSummary(c) });
      continue;
    }
    for (const attr of CONTROL_ATTRS) push(`controls[${id}].${attr}`, old[attr], c[attr]);
  }
  for (const [id, c] of beforeControls) if (!afterControls.has(id)) out.push({ field: `controls[${id}]`, from: controlSummary(c), to: null });
  return out;
}
