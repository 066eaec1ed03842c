// Close, transfer, reopen and deprecate, each behind a disclosure with its reason. Which buttons
// show is the page's choice from the permission helpers; the server decides again on submit.
import { Form } from "@remix-run/react";
import { TextArea } from "./fields.tsx";
import { fieldId } from "./forms.tsx";
import { FormProtection } from "./form-protection.tsx";

export type StatusAction = "close" | "transfer" | "reopen" | "deprecate";

const TEXT: Record<StatusAction, { summary: string; button: string; hint: string; warning?: boolean }> = {
  close: { summary: "Close this hazard", button: "Close hazard", hint: "Why every clinical risk management action for this hazard is complete." },
  transfer: { summary: "Mark as transferred", button: "Mark as transferred", hint: "Which actions the deploying organisations now own, and why yours are complete." },
  reopen: { summary: "Reopen this hazard", button: "Reopen hazard", hint: "For example a change, an incident or new evidence." },
  deprecate: { summary: "Deprecate this hazard", button: "Deprecate hazard", hint: "Why the hazard no longer applies. It is kept, with its history, and hidden from the log by default.", warning: true },
};

/** The reason field's id for one action: several reason fields share the page. */
export const reasonFieldKey = (action: StatusAction) => `${action}.reason`;

export function HazardActions({ actions, version, failed }: { actions: StatusAction[]; version: number; failed?: { intent: string; error?: string; reason?: string } | null }) {
  if (actions.length === 0) return null;
  return (
    <section aria-labelledby="status-heading">
      <h2 className="nhsuk-heading-m" id="status-heading">Change status</h2>
      <div className="app-actions">
        {actions.map((a) => {
          const mine = failed?.intent === a;
          return (
            <details key={a} className="nhsuk-details" open={mine}>
              <summary className="nhsuk-details__summary"><span className="nhsuk-details__summary-text">{TEXT[a].summary}</span></summary>
              <div className="nhsuk-details__text">
                <Form method="post" noValidate>
                  <FormProtection />
                  <input type="hidden" name="intent" value={a} />
                  <input type="hidden" name="version" value={version} />
                  <TextArea id={fieldId(reasonFieldKey(a))} name="reason" label="Reason" hint={TEXT[a].hint} error={mine ? failed?.error : undefined} defaultValue={mine ? failed?.reason : undefined} />
                  <button type="submit" className={`nhsuk-button${TEXT[a].warning ? " nhsuk-button--warning" : " nhsuk-button--secondary"}`}>{TEXT[a].button}</button>
                </Form>
              </div>
            </details>
          );
        })}
      </div>
    </section>
  );
}
