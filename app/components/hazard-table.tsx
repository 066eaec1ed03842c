// The log's hazards as a table: ref (links to the hazard), title with inherited / upstream / deprecated
// tags, status, owner, review due (an overdue review says "Overdue" in words), initial and residual risk.
import { ClientLinks } from "./client-links.tsx";
import { RiskBadge, type RiskDisplay } from "./risk.tsx";
import { STATUS_NAMES } from "./labels.ts";

export type HazardTableRow = {
  id: string; ref: string; title: string; status: string; owner: string | null; reviewDue: string | null;
  overdue: boolean; deprecated: boolean; inherited: boolean; upstreamPending: boolean;
  initial: RiskDisplay | null; residual: RiskDisplay | null;
};

const DATE = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
/** 2026-03-12 → 12 Mar 2026; the same on server and browser (UTC), so hydration agrees. */
const formatDate = (iso: string) => DATE.format(new Date(`${iso}T00:00:00Z`));

export function HazardTable({ rows, caption }: { rows: HazardTableRow[]; caption: string }) {
  // The rows' links navigate in the app (ClientLinks): plain anchors cost less to render than <Link>s.
  return (
    <ClientLinks>
      <table className="nhsuk-table app-table-compact" id="hazards">
        <caption className="nhsuk-u-visually-hidden">{caption}</caption>
        <thead className="nhsuk-table__head">
          <tr>
            <th scope="col">Ref</th><th scope="col">Hazard</th><th scope="col">Status</th><th scope="col">Owner</th>
            <th scope="col">Review due</th><th scope="col">Initial risk</th><th scope="col">Residual risk</th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {rows.map((h) => (
            <tr key={h.id}>
              <td className="app-nowrap"><a href={`/hazards/${h.id}`}>{h.ref}</a></td>
              <td>
                {h.title || <span className="nhsuk-body-s">Untitled</span>}
                {h.inherited || h.upstreamPending || h.deprecated ? (
                  <span className="app-tags">
                    {h.inherited ? <strong className="nhsuk-tag nhsuk-tag--grey">Inherited</strong> : null}
                    {h.upstreamPending ? <strong className="nhsuk-tag nhsuk-tag--orange">Upstream change pending</strong> : null}
                    {h.deprecated ? <strong className="nhsuk-tag nhsuk-tag--white">Deprecated</strong> : null}
                  </span>
                ) : null}
              </td>
              <td>{STATUS_NAMES[h.status] ?? h.status}</td>
              <td>{h.owner ?? <span className="nhsuk-body-s">Not assigned</span>}</td>
              <td className="app-nowrap">
                {h.reviewDue ? formatDate(h.reviewDue) : <span className="nhsuk-body-s">Not set</span>}
                {h.overdue ? <><br /><strong className="nhsuk-tag nhsuk-tag--red">Overdue</strong></> : null}
              </td>
              <td><RiskBadge risk={h.initial} /></td>
              <td><RiskBadge risk={h.residual} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </ClientLinks>
  );
}
