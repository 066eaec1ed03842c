// A hazard log: its hazards, filtered and paged on the server. Read-only for now: raising and
// editing hazards in the browser is still to come (the JSON API already does it).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { STATUS_NAMES } from "#app/components/labels.ts";
import { requireUser } from "#app/auth.server.ts";
import { Breadcrumbs } from "#app/components/breadcrumbs.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { RiskBadge } from "#app/components/risk.tsx";
import { getDb } from "#app/db.server.ts";
import { isReviewOverdue } from "#app/domain/hazard-view.ts";
import { describeRisk } from "#app/domain/risk.ts";
import { AppError } from "#app/errors.server.ts";
import { listHazards } from "#app/hazards.server.ts";
import { loadRiskScheme } from "#app/hazard-store.server.ts";
import { requireLog } from "#app/permissions.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.log.title ?? "Hazard log"} – Clinical safety workflow` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = await getDb();
  try {
    const log = await requireLog(db, user, params.id ?? "");
    const url = new URL(request.url);
    const page = await listHazards(user, log.id, url.searchParams);
    const scheme = await loadRiskScheme(db, log.riskSchemeId);
    const today = new Date().toISOString().slice(0, 10);
    return {
      log: { id: log.id, title: log.title, standard: log.standard, scope: log.scope, platform: { id: log.platformId, name: log.platformName } },
      total: page.total,
      nextCursor: page.nextCursor,
      hazards: page.items.map((h) => ({
        id: h.id,
        ref: h.ref,
        title: h.title,
        status: h.status,
        owner: h.owner,
        reviewDue: h.reviewDue,
        overdue: isReviewOverdue(h, today),
        inherited: !!h.upstream,
        upstreamPending: !!h.upstream && h.upstream.acceptedVersion !== h.upstream.currentVersion,
        initial: h.initial.risk ? describeRisk(scheme, h.initial.risk) : null,
        residual: h.residual.risk ? describeRisk(scheme, h.residual.risk) : null,
      })),
    };
  } catch (error) {
    if (error instanceof AppError) throw new Response(error.message, { status: error.status });
    throw error;
  }
}


export default function HazardLogPage() {
  const { log, total, nextCursor, hazards } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const next = new URLSearchParams(params);
  if (nextCursor) next.set("cursor", nextCursor);
  return (
    <>
      <Breadcrumbs items={[{ label: log.title, to: `/hazard-logs/${log.id}` }]} />
      <h1>{log.title}</h1>
      <p>{log.standard} · {total} hazards match</p>
      <ul className="nhsuk-list">
        <li><a href={`/api/v1/hazard-logs/${log.id}/report.pdf`} download>Hazard log report, current content (PDF)</a></li>
        <li><a href={`/api/v1/platforms/${log.platform.id}/board-report.pdf`} download>Board assurance report for {log.platform.name} (PDF)</a></li>
      </ul>
      <Form method="get" className="nhsuk-form-group">
        <div className="app-header-tools" style={{ justifyContent: "flex-start" }}>
          <div>
            <label className="nhsuk-label" htmlFor="q">Search titles, descriptions and causes</label>
            <input className="nhsuk-input" id="q" name="q" type="search" defaultValue={params.get("q") ?? ""} />
          </div>
          <div>
            <label className="nhsuk-label" htmlFor="status">Status</label>
            <select className="nhsuk-select" id="status" name="status" defaultValue={params.get("status") ?? ""}>
              <option value="">Any</option>
              <option value="open">Open</option>
              <option value="transferred">Transferred</option>
              <option value="closed">Closed</option>
            </select>
          </div>
          <button type="submit" className="nhsuk-button nhsuk-button--secondary">Filter</button>
        </div>
      </Form>
      <table className="nhsuk-table app-table-compact">
        <caption className="nhsuk-u-visually-hidden">Hazards in this log</caption>
        <thead className="nhsuk-table__head">
          <tr><th scope="col">Ref</th><th scope="col">Hazard</th><th scope="col">Status</th><th scope="col">Initial risk</th><th scope="col">Residual risk</th><th scope="col">Review due</th></tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {hazards.map((h) => (
            <tr key={h.id}>
              <td className="app-nowrap">{h.ref}</td>
              <td>
                {h.title}
                {h.inherited ? <><br /><span className="nhsuk-body-s">Inherited{h.upstreamPending ? " · upstream change not yet accepted" : ""}</span></> : null}
              </td>
              <td>{STATUS_NAMES[h.status]}</td>
              <td><RiskBadge risk={h.initial} /></td>
              <td><RiskBadge risk={h.residual} /></td>
              <td className={h.overdue ? "app-overdue" : undefined}>{h.reviewDue ?? "Not set"}{h.overdue ? " (overdue)" : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {nextCursor ? <p><Link to={`?${next.toString()}`}>Next page</Link></p> : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
