// The hazard as users and the API see it (contract §4 Hazard), built from stored rows. For an
// inherited hazard the upstream fields come from the upstream view (inheritance by reference:
// never copied), and the local fields from the inheriting log's own row.
import type { ControlRow, HazardRow } from "#db/schema/hazard-logs";

export type ControlView = {
  id: string;
  kind: "existing" | "additional";
  type: ControlRow["type"];
  description: string;
  ownerOrganisationId: string;
  state: ControlRow["state"];
  evidenceRefs: string[];
  evidenceIds: string[];
  transferred: boolean;
  transferredFromControlId: string | null;
  /** True when the control belongs to an upstream log and is read-only here. */
  upstream: boolean;
};

export type AssessmentView = { severity: string | null; likelihood: string | null; risk: number | null; justification: string | null };

export type HazardView = {
  id: string;
  ref: string;
  hazardLogId: string;
  title: string;
  description: string;
  causes: string[];
  localCauses?: string[];
  effect: string;
  hazard: string;
  harm: string;
  hazardType: string | null;
  source: string | null;
  controls: ControlView[];
  initial: AssessmentView;
  residual: AssessmentView;
  riskBenefitJustification: string | null;
  riskScheme: { id: string | null; version: number | null };
  status: HazardRow["status"];
  owner: string | null;
  reviewDue: string | null;
  upstream?: {
    hazardId: string;
    hazardLogId: string;
    ref: string;
    acceptedVersion: number | null;
    currentVersion: number;
    status: HazardRow["status"];
    deprecated: { at: string; reason: string } | null;
  };
  deprecated: { at: string; reason: string } | null;
  version: number;
  createdAt: string;
  updatedAt: string;
};

export type ControlWithLink = ControlRow & { kind: "existing" | "additional"; position: number; evidenceIds?: string[] };

function toControlView(c: ControlWithLink, upstream: boolean): ControlView {
  return {
    id: c.id,
    kind: c.kind,
    type: c.type,
    description: c.description,
    ownerOrganisationId: c.ownerOrganisationId,
    state: c.state,
    evidenceRefs: c.evidenceRefs,
    evidenceIds: c.evidenceIds ?? [],
    transferred: c.transferred,
    transferredFromControlId: c.transferredFromControlId,
    upstream,
  };
}

const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());

function deprecation(row: HazardRow) {
  return row.deprecatedAt ? { at: iso(row.deprecatedAt), reason: row.deprecatedReason ?? "" } : null;
}

/** Build the view of a hazard; pass the upstream's view when the row inherits one. */
export function buildHazardView(row: HazardRow, controls: ControlWithLink[], upstream?: HazardView): HazardView {
  const sorted = [...controls].sort((a, b) => a.position - b.position);
  const own = sorted.map((c) => toControlView(c, false));
  const base = {
    id: row.id,
    ref: row.ref,
    hazardLogId: row.hazardLogId,
    hazardType: row.hazardType,
    source: row.source,
    initial: { severity: row.initialSeverity, likelihood: row.initialLikelihood, risk: row.initialRisk, justification: row.initialJustification },
    residual: { severity: row.residualSeverity, likelihood: row.residualLikelihood, risk: row.residualRisk, justification: row.residualJustification },
    riskBenefitJustification: row.riskBenefitJustification,
    riskScheme: { id: row.riskSchemeId, version: row.riskSchemeVersion },
    status: row.status,
    owner: row.owner,
    reviewDue: row.reviewDue,
    deprecated: deprecation(row),
    version: row.version,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
  if (!upstream) {
    return {
      ...base,
      title: row.title ?? "",
      description: row.description ?? "",
      causes: row.causes,
      effect: row.effect ?? "",
      hazard: row.hazard ?? "",
      harm: row.harm ?? "",
      controls: own,
    };
  }
  return {
    ...base,
    title: upstream.title,
    description: upstream.description,
    causes: [...upstream.causes, ...row.causes],
    localCauses: row.causes,
    effect: upstream.effect,
    hazard: upstream.hazard,
    harm: upstream.harm,
    hazardType: row.hazardType ?? upstream.hazardType,
    source: row.source ?? upstream.source,
    controls: [...upstream.controls.map((c) => ({ ...c, upstream: true })), ...own],
    upstream: {
      hazardId: upstream.id,
      hazardLogId: upstream.hazardLogId,
      ref: upstream.ref,
      acceptedVersion: row.upstreamAcceptedVersion,
      currentVersion: upstream.version,
      status: upstream.status,
      deprecated: upstream.deprecated,
    },
  };
}

/** A review is overdue when its date has passed and the hazard is not closed (the list filter
 * `overdue=true` in hazards.server.ts asks the database the same question). */
export function isReviewOverdue(h: Pick<HazardView, "reviewDue" | "status">, today: string): boolean {
  return !!h.reviewDue && h.reviewDue < today && h.status !== "closed";
}

/** What a version snapshot keeps: the view without its bookkeeping (version and times). */
export function snapshotOf(view: HazardView): Record<string, unknown> {
  const { version: _v, createdAt: _c, updatedAt: _u, ...rest } = view;
  return rest;
}
