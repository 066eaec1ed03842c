// Incidents on a hazard's inheritance family, the review flag they raise, and recording a new one.
import { Form } from "@remix-run/react";
import { FormProtection } from "./form-protection.tsx";

type Incident = { id: string; kind: "near_miss" | "harm"; occurredOn: string; organisation: { name: string }; description: string | null; here: boolean };
const KIND = { near_miss: "Near miss", harm: "Harm" } as const;

export function IncidentsSection({ incidents, needsReview, mayRecord, errors, values }: { incidents: Incident[]; needsReview: boolean; mayRecord: boolean; errors?: Record<string, string>; values?: Record<string, string> }) {
  return (
    <section aria-labelledby="incidents-heading">
      <h2 className="nhsuk-heading-m" id="incidents-heading">Incidents</h2>
      {needsReview ? (
        <div className="nhsuk-warning-callout">
          <h3 className="nhsuk-warning-callout__label"><span role="text"><span className="nhsuk-u-visually-hidden">Important: </span>Review needed</span></h3>
          <p>An incident has been recorded against this hazard, here or in another log that shares it, since it was last reviewed. Review the hazard (any change with a reason clears this).</p>
        </div>
      ) : null}
      {incidents.length === 0 ? <p>No incidents recorded.</p> : (
        <table className="nhsuk-table app-table-compact">
          <caption className="nhsuk-u-visually-hidden">Incidents on this hazard and the hazards it shares</caption>
          <thead className="nhsuk-table__head"><tr><th scope="col">Date</th><th scope="col">Kind</th><th scope="col">Recorded by</th><th scope="col">What happened</th></tr></thead>
          <tbody className="nhsuk-table__body">
            {incidents.map((i) => (
              <tr key={i.id}>
                <td className="app-nowrap">{i.occurredOn}</td><td>{KIND[i.kind]}</td>
                <td>{i.organisation.name}{i.here ? "" : " (shared hazard)"}</td>
                <td className="app-prewrap">{i.description ?? <span className="app-diff-empty">Recorded in a log your organisation cannot read</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {mayRecord ? (
        // Keyed by the count so a recorded incident starts a fresh, closed form.
        <details key={incidents.length} className="nhsuk-details" open={!!errors && Object.keys(errors).length > 0}>
          <summary className="nhsuk-details__summary"><span className="nhsuk-details__summary-text">Record an incident</span></summary>
          <div className="nhsuk-details__text">
            <div className="nhsuk-warning-callout">
              <h3 className="nhsuk-warning-callout__label"><span role="text">No patient details</span></h3>
              <p>Do not enter names, NHS numbers, dates of birth or anything else that could identify a patient. Describe what happened to the system and the care.</p>
            </div>
            <Form method="post" noValidate>
              <FormProtection />
              <input type="hidden" name="intent" value="record-incident" />
              <div className={`nhsuk-form-group${errors?.kind ? " nhsuk-form-group--error" : ""}`}>
                <label className="nhsuk-label" htmlFor="kind">Kind</label>
                {errors?.kind ? <span className="nhsuk-error-message" id="kind-error">{errors.kind}</span> : null}
                <select className="nhsuk-select" id="kind" name="kind" defaultValue={values?.kind ?? "near_miss"}><option value="near_miss">Near miss</option><option value="harm">Harm</option></select>
              </div>
              <div className={`nhsuk-form-group${errors?.occurredOn ? " nhsuk-form-group--error" : ""}`}>
                <label className="nhsuk-label" htmlFor="occurredOn">Date it happened</label>
                {errors?.occurredOn ? <span className="nhsuk-error-message" id="occurredOn-error">{errors.occurredOn}</span> : null}
                <input className="nhsuk-input nhsuk-input--width-10" id="occurredOn" name="occurredOn" type="date" defaultValue={values?.occurredOn} />
              </div>
              <div className={`nhsuk-form-group${errors?.description ? " nhsuk-form-group--error" : ""}`}>
                <label className="nhsuk-label" htmlFor="description">What happened</label>
                {errors?.description ? <span className="nhsuk-error-message" id="description-error">{errors.description}</span> : null}
                <textarea className="nhsuk-textarea" id="description" name="description" rows={4} defaultValue={values?.description} />
              </div>
              <button type="submit" className="nhsuk-button nhsuk-button--secondary">Record incident</button>
            </Form>
          </div>
        </details>
      ) : null}
    </section>
  );
}
