// The one hazard form, for raising and for editing. It posts flat field names (see
// app/domain/hazard-form.ts) and shows only what the user may change: no ratings for a role that
// may not assess, no upstream fields on an inherited hazard (those are shown read-only instead).
import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import type { FormValues, UpstreamParts } from "#app/domain/hazard-form.ts";
import type { RiskScheme } from "#app/domain/risk.ts";
import { AssessmentFields } from "./assessment-fields.tsx";
import { SelectField, TextArea, TextField } from "./fields.tsx";
import { FormErrorSummary } from "./forms.tsx";
import { CauseRows, ControlRows } from "./hazard-form-rows.tsx";
import { hazardTypeName, sourceName } from "./labels.ts";
import { FormProtection } from "./form-protection.tsx";


export type HazardFormProps = {
  values: FormValues;
  errors?: Record<string, string>;
  formError?: string;
  scheme: RiskScheme;
  organisations: { id: string; name: string }[];
  /** The log owner: the default owning organisation of a new control. */
  defaultOwner: string;
  options: { hazardTypes: readonly string[]; sources: readonly string[] };
  mayAssess: boolean;
  /** Set on an inherited hazard: these parts are read-only here. */
  upstream?: UpstreamParts | null;
  /** Edit only: the version the form was filled from, and whether a reason is required. */
  edit?: { version: number; reasonRequired: boolean };
  submitLabel: string;
  /** Shown above the form, under the error summary (the "changed since you opened it" panel). */
  notice?: ReactNode;
};

function ReadOnlyUpstream({ upstream }: { upstream: UpstreamParts }) {
  const rows: [string, ReactNode][] = [
    ["Title", upstream.title],
    ["Description", upstream.description],
    ["Causes", upstream.causes.length ? <ul className="nhsuk-list nhsuk-list--bullet">{upstream.causes.map((c, i) => <li key={i}>{c}</li>)}</ul> : "None"],
    ["Effect", upstream.effect],
    ["Hazard", upstream.hazard],
    ["Potential clinical harm", upstream.harm],
    ["Hazard type", hazardTypeName(upstream.hazardType) || "Not set"],
    ["Source of identification", sourceName(upstream.source) || "Not set"],
    ["Controls", upstream.controls.length ? <ul className="nhsuk-list nhsuk-list--bullet">{upstream.controls.map((c) => <li key={c.id}>{c.description}</li>)}</ul> : "None"],
  ];
  return (
    <section className="app-readonly nhsuk-u-margin-bottom-5" aria-labelledby="upstream-heading">
      <h2 className="nhsuk-heading-s" id="upstream-heading">Inherited from {upstream.ref}{upstream.logTitle ? ` in ${upstream.logTitle}` : ""} (read-only here)</h2>
      <dl className="nhsuk-summary-list">
        {rows.map(([k, v]) => (
          <div className="nhsuk-summary-list__row" key={k}>
            <dt className="nhsuk-summary-list__key">{k}</dt>
            <dd className="nhsuk-summary-list__value">{v || "Not given"}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

export function HazardForm(p: HazardFormProps) {
  const errors = p.errors ?? {};
  const v = p.values;
  const own = !p.upstream;
  return (
    <>
      <FormErrorSummary state={{ formError: p.formError, errors }} />
      {p.notice}
      {p.upstream ? <ReadOnlyUpstream upstream={p.upstream} /> : null}
      <Form method="post" noValidate className="app-hazard-form">
        <FormProtection />
        {/* Enter in a text field submits with the first submit button: make that "save", not "remove a row". */}
        <button type="submit" name="intent" value="save" tabIndex={-1} aria-hidden="true" className="app-default-submit">{p.submitLabel}</button>
        {p.edit ? <input type="hidden" name="version" value={p.edit.version} /> : null}
        {own ? (
          <>
            <TextField name="title" label="Title" labelClass="nhsuk-label--s" hint="A short name for the hazard." defaultValue={v.title} error={errors.title} maxLength={200} />
            <TextArea name="description" label="Description" defaultValue={v.description} error={errors.description} />
          </>
        ) : null}
        <CauseRows values={v} errors={errors} />
        {own ? (
          <>
            <TextArea name="effect" label="Effect" hint="The change to the intended care that results from a cause." defaultValue={v.effect} error={errors.effect} />
            <TextArea name="hazard" label="Hazard" hint="The potential for harm." defaultValue={v.hazard} error={errors.hazard} />
            <TextArea name="harm" label="Potential clinical harm" hint="What could happen to the patient." defaultValue={v.harm} error={errors.harm} />
            <div className="app-grid-2">
              <SelectField name="hazardType" label="Hazard type (optional)" options={[{ value: "", label: "Not set" }, ...p.options.hazardTypes.map((t) => ({ value: t, label: hazardTypeName(t) }))]} defaultValue={v.hazardType} error={errors.hazardType} />
              <SelectField name="source" label="Source of identification" options={[{ value: "", label: "Not set" }, ...p.options.sources.map((s) => ({ value: s, label: sourceName(s) }))]} defaultValue={v.source} error={errors.source} />
            </div>
          </>
        ) : null}
        <div className="app-grid-2">
          <TextField name="owner" label="Owner" hint="The person responsible for this hazard." defaultValue={v.owner} error={errors.owner} />
          <TextField name="reviewDue" type="date" label="Review due date" hint="When this hazard should next be reviewed." defaultValue={v.reviewDue} error={errors.reviewDue} />
        </div>
        <ControlRows values={v} errors={errors} organisations={p.organisations} defaultOwner={p.defaultOwner} />
        {p.mayAssess ? <AssessmentFields scheme={p.scheme} values={v} errors={errors} /> : (
          <p className="nhsuk-inset-text">Only the clinical safety officer can assess this hazard or change its status.</p>
        )}
        {p.edit ? (
          <TextArea
            name="reason"
            label={p.edit.reasonRequired ? "Reason for the change" : "Reason for the change (optional)"}
            labelClass="nhsuk-label--s"
            hint={p.edit.reasonRequired ? "Required: the hazard has been assessed. The reason is kept in its history." : "Kept in the hazard's history."}
            defaultValue={v.reason}
            error={errors.reason}
          />
        ) : null}
        <button type="submit" name="intent" value="save" className="nhsuk-button">{p.submitLabel}</button>
      </Form>
    </>
  );
}
