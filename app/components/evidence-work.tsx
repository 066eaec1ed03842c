// Home page section: evidence requested from the active organisation (with the latest answer, e.g.
// a rejection reason to act on) and, for a CSO, evidence awaiting their review.
import { Link } from "@remix-run/react";
import { formatDate, formatDateTime } from "./format.ts";
import { EvidenceTag } from "./evidence.tsx";

type Work = {
  requests: { id: string; controlId: string; control: string; description: string; dueDate: string | null; requestedBy: { organisationName: string }; latest: { state: string; reason: string | null } | null }[];
  toReview: { id: string; controlId: string; filename: string; organisation: string; uploadedAt: string }[];
};

export function EvidenceWork({ work }: { work: Work }) {
  if (!work.requests.length && !work.toReview.length) return null;
  return (
    <>
      {work.requests.length ? (
        <>
          <h2 className="nhsuk-heading-m">Evidence requested from you</h2>
          <ul className="nhsuk-list nhsuk-list--border">
            {work.requests.map((r) => (
              <li key={r.id}>
                <Link to={`/controls/${r.controlId}`}>{r.control.slice(0, 120)}</Link>
                <br />
                <span className="app-prewrap">{r.description}</span>
                <br />
                <span className="nhsuk-body-s">From {r.requestedBy.organisationName}{r.dueDate ? ` · due ${formatDate(r.dueDate)}` : ""}{r.latest ? " · latest: " : ""}</span>
                {r.latest ? <EvidenceTag state={r.latest.state} /> : null}
                {r.latest?.state === "rejected" && r.latest.reason ? <span className="nhsuk-body-s"> “{r.latest.reason}”</span> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {work.toReview.length ? (
        <>
          <h2 className="nhsuk-heading-m">Evidence awaiting your review</h2>
          <ul className="nhsuk-list nhsuk-list--border">
            {work.toReview.map((i) => (
              <li key={i.id}><Link to={`/controls/${i.controlId}`}>{i.filename}</Link> <span className="nhsuk-body-s">from {i.organisation}, {formatDateTime(i.uploadedAt)}</span></li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}
