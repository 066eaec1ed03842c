import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ROLE_NAMES, SCOPE_NAMES } from "#app/components/labels.ts";
import { requireUser } from "#app/auth.server.ts";
import { loadHome } from "#app/home.server.ts";
import { loadMyWork } from "#app/my-work.server.ts";
import { MyCases } from "#app/components/case-lists.tsx";
import { EvidenceWork } from "#app/components/evidence-work.tsx";
import { loadEvidenceWork } from "#app/evidence-views.server.ts";
import { getDefaultRiskScheme } from "#app/risk-schemes.server.ts";

export const meta: MetaFunction = () => [{ title: "Home – Clinical safety workflow" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const home = await loadHome(user);
  return {
    name: user.name,
    memberships: user.memberships.map((m) => ({ id: m.organisationId, name: m.organisationName, slug: m.slug, kind: m.kind, role: m.role })),
    ...home,
    work: await loadMyWork(user),
    evidenceWork: await loadEvidenceWork(user),
    riskColours: (await getDefaultRiskScheme()).colours,
  };
}


export default function Home() {
  const { name, memberships, active, logs, riskColours, work, evidenceWork } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Welcome, {name}</h1>
      <MyCases work={work} />
      <EvidenceWork work={evidenceWork} />
      <h2 className="nhsuk-heading-m">Your organisations</h2>
      <table className="nhsuk-table app-table-compact">
        <caption className="nhsuk-u-visually-hidden">Your organisations and role</caption>
        <thead className="nhsuk-table__head"><tr><th scope="col">Organisation</th><th scope="col">Kind</th><th scope="col">Your role</th></tr></thead>
        <tbody className="nhsuk-table__body">
          {memberships.map((m) => (
            <tr key={m.id}>
              <td><Link to={`/organisations/${m.slug}`}>{m.name}</Link>{m.id === active?.organisationId ? " (active)" : ""}</td>
              <td>{m.kind === "icb" ? "ICB" : m.kind === "supplier" ? "Supplier" : "Deploying organisation"}</td>
              <td>{ROLE_NAMES[m.role]}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2 className="nhsuk-heading-m">Hazard logs {active ? `readable by ${active.organisationName}` : ""}</h2>
      {logs.length === 0 ? (
        <p>Your organisation cannot see any hazard logs yet.</p>
      ) : (
        <table className="nhsuk-table app-table-compact">
          <caption className="nhsuk-u-visually-hidden">Hazard logs with counts by status and residual risk</caption>
          <thead className="nhsuk-table__head">
            <tr>
              <th scope="col">Hazard log</th><th scope="col">Standard</th><th scope="col">Owner</th>
              <th scope="col">Open</th><th scope="col">Transferred</th><th scope="col">Closed</th>
              <th scope="col">Residual risk 1–5</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {logs.map((l) => (
              <tr key={l.id}>
                <td><Link to={`/hazard-logs/${l.id}`}>{l.title}</Link><br /><span className="nhsuk-body-s">{SCOPE_NAMES[l.scope]} · {l.platform.name}</span></td>
                <td className="app-nowrap">{l.standard}</td>
                <td>{l.organisation.name}</td>
                <td>{l.counts.byStatus.open}</td>
                <td>{l.counts.byStatus.transferred}</td>
                <td>{l.counts.byStatus.closed}</td>
                <td>
                  <span className="app-counts">
                    {(["1", "2", "3", "4", "5"] as const).map((r) => (
                      <span key={r} className="app-risk" style={{ backgroundColor: riskColours[r] }} title={`Residual risk ${r}: ${l.counts.byResidualRisk[r]} hazards`}>
                        {r}: {l.counts.byResidualRisk[r]}
                      </span>
                    ))}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {[...new Map(logs.map((l) => [l.platform.id, l.platform])).values()].map((p) => (
        <p key={p.id}><Link to={`/platforms/${p.id}`}>{p.name}: every hazard against every organisation (roll-up)</Link></p>
      ))}
    </>
  );
}
