// An upstream change waiting for this organisation's review: what changed since the version it
// accepted, field by field, and (for its CSO) accept it, or record that it does not apply here.
import { Form } from "@remix-run/react";
import { ChangeList } from "./change-list.tsx";
import type { ChangeText } from "./change-text.ts";
import { FormProtection } from "./form-protection.tsx";

type Review = { acceptedVersion: number | null; currentVersion: number; changes: ChangeText[] };

export function UpstreamReviewPanel({ review, mayAccept, error }: { review: Review; mayAccept: boolean; error?: string }) {
  return (
    <section className="nhsuk-warning-callout" aria-labelledby="upstream-review-heading">
      <h2 className="nhsuk-warning-callout__label" id="upstream-review-heading">
        <span role="text"><span className="nhsuk-u-visually-hidden">Important: </span>Changed upstream since you accepted</span>
      </h2>
      <p>
        {review.acceptedVersion === null ? `This upstream hazard (version ${review.currentVersion}) has not been accepted here yet.` : `Upstream version ${review.currentVersion} differs from version ${review.acceptedVersion}, which your organisation accepted:`}
      </p>
      <ChangeList changes={review.changes} />
      {mayAccept ? (
        <div className="app-actions">
          <Form method="post">
            <FormProtection />
            <input type="hidden" name="intent" value="accept-upstream" />
            <input type="hidden" name="upstreamVersion" value={review.currentVersion} />
            <button type="submit" className="nhsuk-button nhsuk-u-margin-bottom-0">Accept upstream version {review.currentVersion}</button>
          </Form>
          <details className="nhsuk-details nhsuk-u-margin-bottom-0">
            <summary className="nhsuk-details__summary"><span className="nhsuk-details__summary-text">Not applicable here</span></summary>
            <div className="nhsuk-details__text">
              <Form method="post" noValidate>
                <FormProtection />
                <input type="hidden" name="intent" value="not-applicable" />
                <input type="hidden" name="upstreamVersion" value={review.currentVersion} />
                <div className={`nhsuk-form-group${error ? " nhsuk-form-group--error" : ""}`}>
                  <label className="nhsuk-label" htmlFor="comment">Why it does not apply to your organisation</label>
                  <div className="nhsuk-hint" id="comment-hint">The hazard is accepted and closed here with this reason; it stays in your log.</div>
                  {error ? <span className="nhsuk-error-message" id="comment-error"><span className="nhsuk-u-visually-hidden">Error:</span> {error}</span> : null}
                  <textarea className={`nhsuk-textarea${error ? " nhsuk-textarea--error" : ""}`} id="comment" name="comment" rows={3} aria-describedby={`comment-hint${error ? " comment-error" : ""}`} />
                </div>
                <button type="submit" className="nhsuk-button nhsuk-button--secondary">Record as not applicable</button>
              </Form>
            </div>
          </details>
        </div>
      ) : null}
    </section>
  );
}
