// The hazard as a reader sees it: every field, the controls, both assessments with the risk as
// colour, text and acceptability, and — on an inherited hazard — which parts come from upstream.
import { showsAsTransferred } from "#app/domain/transfer.ts";
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import type { HazardView } from "#app/domain/hazard-view.ts";
import { formatDate } from "./format.ts";
import { CONTROL_KIND_NAMES, CONTROL_STATE_NAMES, CONTROL_TYPE_NAMES, STATUS_NAMES, hazardTypeName, sourceName } from "./labels.ts";
import { RiskBadge, type RiskDisplay } from "./risk.tsx";

export type HazardDetailsProps = {
  hazard: HazardView;
  risk: { initial: RiskDisplay | null; residual: RiskDisplay | null };
  words: { severities: Record<string, string>; likelihoods: Record<string, string>; organisations: Record<string, string> };
  overdue: boolean;
};

const Upstream = () => <strong className="nhsuk-tag nhsuk-tag--grey app-upstream-tag">Upstream</strong>;
const orNone = (v: ReactNode, none = "Not given") => (v === null || v === undefined || v === "" ? <span className="app-diff-empty">{none}</span> : v);

function Row({ label, upstream, children }: { label: string; upstream?: boolean; children: ReactNode }) {
  return (
    <div className="nhsuk-summary-list__row">
      <dt className="nhsuk-summary-list__key">{label}{upstream ? <Upstream /> : null}</dt>
      <dd className="nhsuk-summary-list__value app-prewrap">{children}</dd>
    </div>
  );
}

function Causes({ hazard }: { hazard: HazardView }) {
  const upstreamCount = hazard.upstream ? hazard.causes.length - (hazard.localCauses?.length ?? 0) : 0;
  if (hazard.causes.length === 0) return orNone(null, "None recorded");
  return (
    <ol className="nhsuk-list nhsuk-list--number">
      {hazard.causes.map((c, i) => (
        <li key={i}>{c}{i < upstreamCount ? <Upstream /> : null}</li>
      ))}
    </ol>
  );
}

export function HazardFields({ hazard, overdue }: HazardDetailsProps) {
  const up = !!hazard.upstream;
  return (
    <dl className="nhsuk-summary-list">
      <Row label="Description" upstream={up}>{orNone(hazard.description)}</Row>
      <Row label="Causes"><Causes hazard={hazard} /></Row>
      <Row label="Effect" upstream={up}>{orNone(hazard.effect)}</Row>
      <Row label="Hazard" upstream={up}>{orNone(hazard.hazard)}</Row>
      <Row label="Potential clinical harm" upstream={up}>{orNone(hazard.harm)}</Row>
      <Row label="Hazard type" upstream={up}>{orNone(hazardTypeName(hazard.hazardType), "Not set")}</Row>
      <Row label="Source of identification" upstream={up}>{orNone(sourceName(hazard.source), "Not set")}</Row>
      <Row label="Owner">{orNone(hazard.owner, "Not set")}</Row>
      <Row label="Review due">
        {hazard.reviewDue ? <span className={overdue ? "app-overdue" : undefined}>{formatDate(hazard.reviewDue)}{overdue ? " (overdue)" : ""}</span> : orNone(null, "Not set")}
      </Row>
      <Row label="Status">
        {showsAsTransferred(hazard) ? <>Transferred <span className="nhsuk-body-s">(recorded as {STATUS_NAMES[hazard.status]}: every control of this organisation is in place and what remains is transferred to the deploying organisations)</span></> : STATUS_NAMES[hazard.status]}
      </Row>
      {hazard.upstream ? (
        <Row label="Upstream status">
          {hazard.upstream.deprecated ? `Deprecated upstream: ${hazard.upstream.deprecated.reason}` : `${STATUS_NAMES[hazard.upstream.status]} upstream`}
        </Row>
      ) : null}
    </dl>
  );
}

export function ControlsTable({ hazard, words }: HazardDetailsProps) {
  if (hazard.controls.length === 0) return <p>No controls recorded.</p>;
  return (
    <table className="nhsuk-table app-table-compact">
      <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Controls for {hazard.ref}</caption>
      <thead className="nhsuk-table__head">
        <tr><th scope="col">Existing or additional</th><th scope="col">Type</th><th scope="col">Description</th><th scope="col">Owning organisation</th><th scope="col">State</th><th scope="col">Evidence</th></tr>
      </thead>
      <tbody className="nhsuk-table__body">
        {hazard.controls.map((c) => (
          <tr key={c.id}>
            <td>{CONTROL_KIND_NAMES[c.kind]}</td>
            <td>{CONTROL_TYPE_NAMES[c.type]}</td>
            <td className="app-prewrap">{c.description}{c.upstream ? <Upstream /> : null}{c.transferred ? <strong className="nhsuk-tag nhsuk-tag--blue app-upstream-tag">Transferred</strong> : null}</td>
            <td>{words.organisations[c.ownerOrganisationId] ?? "Another organisation"}</td>
            <td>{CONTROL_STATE_NAMES[c.state]}</td>
            <td>
              {c.evidenceRefs.length ? <ul className="nhsuk-list">{c.evidenceRefs.map((e) => <li key={e}>{e}</li>)}</ul> : null}
              <Link to={`/controls/${c.id}`}>Evidence ({c.evidenceIds.length})<span className="nhsuk-u-visually-hidden"> for this control</span></Link>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function AssessmentTable({ hazard, risk, words }: HazardDetailsProps) {
  const cell = (part: "initial" | "residual") => ({
    severity: orNone(words.severities[hazard[part].severity ?? ""], "Not assessed"),
    likelihood: orNone(words.likelihoods[hazard[part].likelihood ?? ""], "Not assessed"),
    risk: (
      <>
        <RiskBadge risk={risk[part]} />
        {risk[part] ? <p className="nhsuk-body-s nhsuk-u-margin-top-1 nhsuk-u-margin-bottom-0">{risk[part]!.acceptability}</p> : null}
      </>
    ),
    justification: orNone(hazard[part].justification),
  });
  const initial = cell("initial");
  const residual = cell("residual");
  const rows: [string, "severity" | "likelihood" | "risk" | "justification"][] = [["Severity", "severity"], ["Likelihood", "likelihood"], ["Risk", "risk"], ["Justification", "justification"]];
  return (
    <table className="nhsuk-table app-table-compact">
      <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Initial and residual risk assessment</caption>
      <thead className="nhsuk-table__head"><tr><td /><th scope="col">Initial (with existing controls)</th><th scope="col">Residual (with additional controls)</th></tr></thead>
      <tbody className="nhsuk-table__body">
        {rows.map(([label, key]) => (
          <tr key={key}><th scope="row">{label}</th><td className="app-prewrap">{initial[key]}</td><td className="app-prewrap">{residual[key]}</td></tr>
        ))}
      </tbody>
    </table>
  );
}
