// Evidence on the control page: the items (newest first, with review outcome, SHA-256 and the
// integrity flag), the requests, and the request, upload and review forms for those allowed.
import { Form } from "@remix-run/react";
import type { EvidenceItemView, EvidenceRequestView } from "#app/evidence-views.server.ts";
import { fieldId } from "./forms.tsx";
import { formatDate, formatDateTime } from "./format.ts";
import { EVIDENCE_STATE_NAMES, EVIDENCE_STATE_TAGS } from "./labels.ts";
import { FormProtection } from "./form-protection.tsx";

type Failure = { errors?: Record<string, string>; values?: Record<string, string> } | undefined;

export function EvidenceTag({ state, integrityFailed }: { state: string; integrityFailed?: boolean }) {
  if (integrityFailed) return <strong className="nhsuk-tag nhsuk-tag--red">Integrity check failed</strong>;
  return <strong className={`nhsuk-tag ${EVIDENCE_STATE_TAGS[state] ?? "nhsuk-tag--grey"}`}>{EVIDENCE_STATE_NAMES[state] ?? state}</strong>;
}

export function formatSize(bytes: number) {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function ReviewForm({ item, failure }: { item: EvidenceItemView; failure: Failure }) {
  const failed = failure?.values?.intent === "review" && failure.values.evidenceId === item.id;
  const id = failed ? fieldId("reason") : `reason-${item.id}`;
  const error = failed ? failure?.errors?.reason : undefined;
  return (
    <Form method="post" className="app-review-form">
      <FormProtection />
      <input type="hidden" name="intent" value="review" />
      <input type="hidden" name="evidenceId" value={item.id} />
      <div className={`nhsuk-form-group${error ? " nhsuk-form-group--error" : ""}`}>
        <label className="nhsuk-label nhsuk-label--s" htmlFor={id}>Review comment<span className="nhsuk-u-visually-hidden"> for {item.filename}</span></label>
        <div className="nhsuk-hint" id={`${id}-hint`}>Required to reject: the supplier sees it and can send evidence again</div>
        {error ? <span className="nhsuk-error-message" id={`${id}-error`}><span className="nhsuk-u-visually-hidden">Error:</span> {error}</span> : null}
        <textarea className={`nhsuk-textarea${error ? " nhsuk-textarea--error" : ""}`} id={id} name="reason" rows={2} aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`} defaultValue={failed ? failure?.values?.reason : undefined} />
      </div>
      <div className="app-button-row">
        <button className="nhsuk-button nhsuk-u-margin-bottom-0" type="submit" name="decision" value="accept">Accept<span className="nhsuk-u-visually-hidden"> {item.filename}</span></button>
        <button className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" type="submit" name="decision" value="reject">Reject<span className="nhsuk-u-visually-hidden"> {item.filename}</span></button>
      </div>
    </Form>
  );
}

export function EvidenceItems({ items, reviewable, failure }: { items: EvidenceItemView[]; reviewable: string[]; failure: Failure }) {
  if (items.length === 0) return <p>No evidence has been sent for this control yet.</p>;
  return (
    <ul className="nhsuk-list app-evidence-list">
      {items.map((i) => (
        <li key={i.id} className="nhsuk-card nhsuk-u-margin-bottom-4">
          <div className="nhsuk-card__content">
            <h3 className="nhsuk-card__heading nhsuk-heading-s">
              {i.integrityFailed ? i.filename : <a href={`/api/v1/evidence/${i.id}/file`} download>{i.filename}</a>} <EvidenceTag state={i.state} integrityFailed={i.integrityFailed} />
            </h3>
            <p className="app-prewrap">{i.description}</p>
            <dl className="nhsuk-summary-list nhsuk-u-margin-bottom-2 app-evidence-meta">
              <div className="nhsuk-summary-list__row"><dt className="nhsuk-summary-list__key">Sent by</dt><dd className="nhsuk-summary-list__value">{i.uploadedBy.name}, {i.organisation.name}, {formatDateTime(i.uploadedAt)}</dd></div>
              <div className="nhsuk-summary-list__row"><dt className="nhsuk-summary-list__key">File</dt><dd className="nhsuk-summary-list__value">{i.mediaType.split(";")[0]}, {formatSize(i.size)}<br />SHA-256 <code className="app-hash">{i.sha256}</code></dd></div>
              {i.link ? <div className="nhsuk-summary-list__row"><dt className="nhsuk-summary-list__key">Link</dt><dd className="nhsuk-summary-list__value"><a href={i.link} rel="noopener noreferrer nofollow" target="_blank">{i.link}</a></dd></div> : null}
              {i.review ? <div className="nhsuk-summary-list__row"><dt className="nhsuk-summary-list__key">{i.state === "rejected" ? "Rejected by" : "Accepted by"}</dt><dd className="nhsuk-summary-list__value">{i.review.by.name}, {formatDateTime(i.review.at)}{i.review.reason ? <><br /><span className="app-prewrap">“{i.review.reason}”</span></> : null}</dd></div> : null}
            </dl>
            {i.integrityFailed ? <p className="nhsuk-error-message">Integrity check failed: the stored file no longer matches the SHA-256 recorded at upload, so it cannot be downloaded.</p> : null}
            {reviewable.includes(i.id) ? <ReviewForm item={i} failure={failure} /> : null}
          </div>
        </li>
      ))}
    </ul>
  );
}

export function EvidenceRequests({ requests }: { requests: EvidenceRequestView[] }) {
  if (requests.length === 0) return <p>No evidence has been requested for this control.</p>;
  return (
    <table className="nhsuk-table app-table-compact">
      <caption className="nhsuk-u-visually-hidden">Evidence requests for this control</caption>
      <thead className="nhsuk-table__head"><tr><th scope="col">What is needed</th><th scope="col">From</th><th scope="col">Requested by</th><th scope="col">Due</th><th scope="col">State</th></tr></thead>
      <tbody className="nhsuk-table__body">
        {requests.map((r) => (
          <tr key={r.id}>
            <td className="app-prewrap">{r.description}</td>
            <td>{r.from.name}</td>
            <td>{r.requestedBy.name}, {r.requestedBy.organisationName}</td>
            <td className="app-nowrap">{r.dueDate ? formatDate(r.dueDate) : "None"}</td>
            <td>{r.state === "open" ? <strong className="nhsuk-tag nhsuk-tag--blue">Open</strong> : <strong className="nhsuk-tag nhsuk-tag--green">Fulfilled</strong>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
