// Transferred controls of a platform: each control an upstream organisation handed to the deploying
// organisations, and where each of them stands with it (planned, implemented, verified).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "#app/auth.server.ts";
import { Breadcrumbs } from "#app/components/breadcrumbs.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { CONTROL_STATE_NAMES, CONTROL_TYPE_NAMES } from "#app/components/labels.ts";
import { AppError } from "#app/errors.server.ts";
import { platformTransferredControls } from "#app/transferred-controls.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Transferred controls – ${data?.platform.name ?? "Platform"} – Clinical safety workflow` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  try {
    return await platformTransferredControls(user, params.id ?? "");
  } catch (error) {
    if (error instanceof AppError) throw new Response(error.message, { status: error.status });
    throw error;
  }
}

const TAG = { planned: "nhsuk-tag--grey", implemented: "nhsuk-tag--blue", verified: "nhsuk-tag--green" } as const;

export default function TransferredControls() {
  const { platform, organisations, controls } = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumbs items={[{ label: `${platform.name} roll-up`, to: `/platforms/${platform.id}` }, { label: "Transferred controls", to: `/platforms/${platform.id}/transferred` }]} />
      <h1>Transferred controls</h1>
      <p>Controls the supplier or the ICB has transferred to the deploying organisations (training, business processes and other measures each organisation must put in place). Each organisation holds the obligation in its own hazard log, where it records progress and evidence.</p>
      {controls.length === 0 ? <p>No controls have been transferred on this platform.</p> : (
        <div className="app-scroll-x">
          <table className="nhsuk-table app-table-compact app-rollup">
            <caption className="nhsuk-u-visually-hidden">Transferred controls and each deploying organisation's progress</caption>
            <thead className="nhsuk-table__head">
              <tr><th scope="col">Control</th><th scope="col">Hazard</th>{organisations.map((o) => <th scope="col" key={o.id}>{o.name}</th>)}</tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {controls.map((c) => (
                <tr key={c.controlId}>
                  <th scope="row">{c.description}<br /><span className="nhsuk-body-s">{CONTROL_TYPE_NAMES[c.type] ?? c.type} · transferred by {c.transferredBy.name}</span></th>
                  <td><Link to={`/hazards/${c.hazard.id}`}>{c.hazard.ref}</Link> {c.hazard.title}</td>
                  {organisations.map((o) => {
                    const ob = c.byOrganisation[o.id];
                    return (
                      <td key={o.id}>
                        {ob ? <><strong className={`nhsuk-tag ${TAG[ob.state]}`}>{CONTROL_STATE_NAMES[ob.state]}</strong><br /><span className="nhsuk-body-s">in {ob.hazardRef}</span></> : <span className="nhsuk-body-s">Not yet in its log</span>}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
