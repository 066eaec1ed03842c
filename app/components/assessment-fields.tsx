// Severity and likelihood for the initial and residual assessments, with the risk looked up live in
// the scheme the loader sent. Display only: the client never sends a risk; the server looks it up
// again from the same scheme when it saves.
import { useState } from "react";
import { describeRisk, lookupRiskOrNull, needsRiskBenefitJustification, type RiskScheme } from "#app/domain/risk.ts";
import type { FormValues } from "#app/domain/hazard-form.ts";
import { SelectField, TextArea, type Option } from "./fields.tsx";
import { RiskBadge } from "./risk.tsx";

type Props = { scheme: RiskScheme; values: FormValues; errors: Record<string, string> };

const levelOptions = (levels: { code: string; label: string }[]): Option[] => [{ value: "", label: "Not assessed" }, ...levels.map((l) => ({ value: l.code, label: l.label }))];

function LiveRisk({ scheme, id, severity, likelihood }: { scheme: RiskScheme; id: string; severity: string; likelihood: string }) {
  let risk: number | null = null;
  try {
    risk = lookupRiskOrNull(scheme, likelihood, severity);
  } catch {
    risk = null; // a code the scheme does not know: the server will say so
  }
  const shown = risk ? describeRisk(scheme, risk) : null;
  return (
    <div className="app-risk-live" id={id} aria-live="polite">
      <p className="nhsuk-body-s nhsuk-u-margin-bottom-1"><strong>Risk</strong> (looked up from the risk matrix)</p>
      <RiskBadge risk={shown} />
      {shown ? <p className="nhsuk-body-s nhsuk-u-margin-top-1">{shown.acceptability}</p> : null}
    </div>
  );
}

function Assessment({ part, title, scheme, values, errors, onRisk }: Props & { part: "initial" | "residual"; title: string; onRisk?: (risk: number | null) => void }) {
  const [severity, setSeverity] = useState(values[`${part}.severity`] ?? "");
  const [likelihood, setLikelihood] = useState(values[`${part}.likelihood`] ?? "");
  const update = (s: string, l: string) => {
    setSeverity(s);
    setLikelihood(l);
    try {
      onRisk?.(lookupRiskOrNull(scheme, l, s));
    } catch {
      onRisk?.(null);
    }
  };
  return (
    <fieldset className="nhsuk-fieldset app-row">
      <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{title}</legend>
      <div className="app-grid-2">
        <SelectField name={`${part}.severity`} label="Severity" options={levelOptions(scheme.severities)} defaultValue={severity} error={errors[`${part}.severity`]} onChange={(v) => update(v, likelihood)} />
        <SelectField name={`${part}.likelihood`} label="Likelihood" options={levelOptions(scheme.likelihoods)} defaultValue={likelihood} error={errors[`${part}.likelihood`]} onChange={(v) => update(severity, v)} />
      </div>
      <LiveRisk scheme={scheme} id={`${part}-risk`} severity={severity} likelihood={likelihood} />
      <TextArea name={`${part}.justification`} label="Justification" hint="Why this severity and likelihood." defaultValue={values[`${part}.justification`]} error={errors[`${part}.justification`]} />
    </fieldset>
  );
}

export function AssessmentFields({ scheme, values, errors }: Props) {
  const initialResidual = (() => {
    try {
      return lookupRiskOrNull(scheme, values["residual.likelihood"], values["residual.severity"]);
    } catch {
      return null;
    }
  })();
  const [residualRisk, setResidualRisk] = useState<number | null>(initialResidual);
  const needed = needsRiskBenefitJustification(residualRisk);
  return (
    <>
      <h2 className="nhsuk-heading-m">Risk assessment</h2>
      <Assessment part="initial" title="Initial assessment (with existing controls)" scheme={scheme} values={values} errors={errors} />
      <Assessment part="residual" title="Residual assessment (with additional controls)" scheme={scheme} values={values} errors={errors} onRisk={setResidualRisk} />
      <TextArea
        name="riskBenefitJustification"
        label="Risk–benefit justification"
        hint={needed ? `The residual risk is ${residualRisk}: explain why the clinical benefit outweighs the remaining risk. This is required.` : "Required when the residual risk is 4 or 5."}
        rows={4}
        defaultValue={values.riskBenefitJustification}
        error={errors.riskBenefitJustification}
      />
    </>
  );
}
