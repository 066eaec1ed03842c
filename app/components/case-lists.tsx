// The home page's three lists of safety cases: awaiting my signature, submitted by me, returned to me.
import { Link } from "@remix-run/react";
import { CASE_STATE_NAMES } from "./labels.ts";

type Summary = { id: string; title: string; logTitle: string; state: string; signed: number; required: number; waitingFor: string[]; comment: string | null };

function CaseTable({ caption, cases, showComment }: { caption: string; cases: Summary[]; showComment?: boolean }) {
  return (
    <table className="nhsuk-table app-table-compact">
      <caption className="nhsuk-table__caption nhsuk-table__caption--m">{caption}</caption>
      <thead className="nhsuk-table__head">
        <tr><th scope="col">Safety case</th><th scope="col">State</th><th scope="col">{showComment ? "Comment" : "Signatures"}</th></tr>
      </thead>
      <tbody className="nhsuk-table__body">
        {cases.map((c) => (
          <tr key={c.id}>
            <td><Link to={`/safety-cases/${c.id}`}>{c.title}</Link><br /><span className="nhsuk-body-s">{c.logTitle}</span></td>
            <td>{CASE_STATE_NAMES[c.state] ?? c.state}</td>
            <td>
              {showComment ? c.comment : (
                <>
                  {c.signed} of {c.required} signed
                  {c.state === "in_review" && c.waitingFor.length ? <><br /><span className="nhsuk-body-s">Waiting for {c.waitingFor.join(", ")}</span></> : null}
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function MyCases({ work }: { work: { awaiting: Summary[]; submitted: Summary[]; returned: Summary[] } }) {
  if (!work.awaiting.length && !work.submitted.length && !work.returned.length) return null;
  return (
    <>
      {work.awaiting.length ? <CaseTable caption={`Awaiting your signature (${work.awaiting.length})`} cases={work.awaiting} /> : null}
      {work.returned.length ? <CaseTable caption={`Returned to you for changes (${work.returned.length})`} cases={work.returned} showComment /> : null}
      {work.submitted.length ? <CaseTable caption="Safety cases you submitted" cases={work.submitted} /> : null}
    </>
  );
}
