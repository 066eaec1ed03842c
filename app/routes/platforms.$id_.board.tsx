// The board assurance summary for a platform (in the form board assurance frameworks use):
// sign-off per organisation, principal risks and their controls, gaps in control, mitigating actions.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "#app/auth.server.ts";
import { boardSummary } from "#app/board-summary.server.ts";
import { Breadcrumbs } from "#app/components/breadcrumbs.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { CASE_STATE_NAMES, STATUS_NAMES } from "#app/components/labels.ts";
import { AppError } from "#app/errors.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Board assurance – ${data?.platform.name ?? "Platform"} – Clinical safety workflow` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  try {
    return await boardSummary(user, params.id ?? "");
  } catch (error) {
    if (error instanceof AppError) throw new Response(error.message, { status: error.status });
    throw error;
  }
}

type Line = { id: string; ref: string; title: string; organisation: string; residualRisk: number | null; status: string; owner: string | null; reviewDue: string | null; inPlace: string[] };

function Risks({ caption, lines }: { caption: string; lines: Line[] }) {
  return (
    <table className="nhsuk-table app-table-compact">
      <caption className="nhsuk-table__caption nhsuk-table__caption--m">{caption}</caption>
      <thead className="nhsuk-table__head"><tr><th scope="col">Hazard</th><th scope="col">Log of</th><th scope="col">Residual risk</th><th scope="col">Current controls in place</th><th scope="col">Owner and review</th></tr></thead>
      <tbody className="nhsuk-table__body">
        {lines.map((l) => (
          <tr key={l.id}>
            <td><Link to={`/hazards/${l.id}`}>{l.ref}</Link> {l.title}<br /><span className="nhsuk-body-s">{STATUS_NAMES[l.status]}</span></td>
            <td>{l.organisation}</td>
            <td>{l.residualRisk ?? "Not assessed"}</td>
            <td>{l.inPlace.length ? <ul className="nhsuk-list nhsuk-list--bullet">{l.inPlace.map((c, i) => <li key={i}>{c}</li>)}</ul> : <strong>None in place</strong>}</td>
            <td>{l.owner ?? "No owner"}<br /><span className="nhsuk-body-s">{l.reviewDue ? `Review by ${l.reviewDue}` : "No review date"}</span></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default function BoardSummary() {
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumbs items={[{ label: `${d.platform.name} roll-up`, to: `/platforms/${d.platform.id}` }, { label: "Board assurance", to: `/platforms/${d.platform.id}/board` }]} />
      <span className="nhsuk-caption-l">Prepared for {d.icb}</span>
      <h1>Board assurance: {d.platform.name}</h1>
      <p>A point-in-time view of the hazard logs your organisation may read. <a href={`/api/v1/platforms/${d.platform.id}/board-report.pdf`} download>Download as PDF</a></p>
      <table className="nhsuk-table app-table-compact">
        <caption className="nhsuk-table__caption nhsuk-table__caption--m">Sign-off status per organisation</caption>
        <thead className="nhsuk-table__head"><tr><th scope="col">Organisation</th><th scope="col">Its safety cases</th><th scope="col">Signatures it owes</th></tr></thead>
        <tbody className="nhsuk-table__body">
          {d.signOff.map((o) => (
            <tr key={o.organisation}>
              <td>{o.organisation}</td>
              <td>{o.cases.length ? o.cases.map((c) => `${c.title}: ${CASE_STATE_NAMES[c.state]}`).join("; ") : "None"}</td>
              <td>{o.owed ? `${o.signed} of ${o.owed} signed` : "None required"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Risks caption={`Principal risks (${d.principal.length})`} lines={d.principal} />
      <Risks caption={`Gaps in control: no control implemented or verified (${d.gaps.length})`} lines={d.gaps} />
      <table className="nhsuk-table app-table-compact">
        <caption className="nhsuk-table__caption nhsuk-table__caption--m">Mitigating actions on the principal risks and gaps: controls planned, not yet in place ({d.actions.length})</caption>
        <thead className="nhsuk-table__head"><tr><th scope="col">Hazard</th><th scope="col">Action</th><th scope="col">Action owner</th><th scope="col">Hazard owner and review</th></tr></thead>
        <tbody className="nhsuk-table__body">
          {d.actions.map((a, i) => (
            <tr key={i}>
              <td><Link to={`/hazards/${a.hazardId}`}>{a.ref}</Link><br /><span className="nhsuk-body-s">{a.organisation}</span></td>
              <td>{a.action}{a.transferred ? <><br /><span className="nhsuk-body-s">Transferred control</span></> : null}</td>
              <td>{a.actionOwner}</td>
              <td>{a.hazardOwner ?? "No owner"}<br /><span className="nhsuk-body-s">{a.reviewDue ? `Review by ${a.reviewDue}` : "No review date"}</span></td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
