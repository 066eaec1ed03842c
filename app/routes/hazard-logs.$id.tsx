// A hazard log: two risk heatmaps (click a cell to filter), filters and sort, and the hazards one
// page at a time, all filtered, counted and paged by the database (app/log-page.server.ts).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { requireUser } from "#app/auth.server.ts";
import { Breadcrumbs } from "#app/components/breadcrumbs.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { HazardTable } from "#app/components/hazard-table.tsx";
import { SCOPE_NAMES, SORT_NAMES } from "#app/components/labels.ts";
import { LogFilters } from "#app/components/log-filters.tsx";
import { RiskHeatmap } from "#app/components/risk-heatmap.tsx";
import { withCursor, withParams } from "#app/domain/list-url.ts";
import { riskGrid } from "#app/domain/risk-grid.ts";
import type { RiskScheme } from "#app/domain/risk.ts";
import { AppError } from "#app/errors.server.ts";
import { loadLogPage } from "#app/log-page.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.log.title ?? "Hazard log"} – Clinical safety workflow` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  try {
    return await loadLogPage(user, params.id ?? "", new URL(request.url).searchParams);
  } catch (error) {
    if (error instanceof AppError) throw new Response(error.message, { status: error.status });
    throw error;
  }
}

const n = (x: number) => x.toLocaleString("en-GB");

export default function HazardLogPage() {
  const { log, may, query, options, scheme, heatmaps, page } = useLoaderData<typeof loader>();
  const { pathname, search } = useLocation();
  const params = new URLSearchParams(search);
  const schemeForGrid: RiskScheme = scheme;
  const first = page.total === 0 ? 0 : page.start + 1;
  const last = page.start + page.rows.length;
  const noun = page.total === 1 ? "hazard" : "hazards";
  const showing = page.rows.length ? `Showing ${n(first)}–${n(last)} of ${n(page.total)} ${noun}` : "No hazards match these filters";
  return (
    <>
      <Breadcrumbs items={[{ label: log.title, to: `/hazard-logs/${log.id}` }]} />
      <h1 className="nhsuk-u-margin-bottom-2">{log.title}</h1>
      <p className="nhsuk-body-s">{log.standard} · {SCOPE_NAMES[log.scope]} · {log.platformName}</p>
      <div className="app-log-actions">
        {may.raise ? <Link className="nhsuk-button" role="button" draggable="false" to={`/hazard-logs/${log.id}/hazards/new`}>Raise a hazard</Link> : null}
        {may.import ? <Link to={`/hazard-logs/${log.id}/import`}>Import</Link> : null}
        <Link reloadDocument to={`/api/v1/hazard-logs/${log.id}/export?format=xlsx`}>Export xlsx</Link>
        <Link reloadDocument to={`/api/v1/hazard-logs/${log.id}/export?format=csv`}>Export csv</Link>
        <Link to={`/hazard-logs/${log.id}/safety-cases`}>Safety cases</Link>
        <Link to={`/hazard-logs/${log.id}/issue`}>Issued versions</Link>
        <Link to={`/audit?entityType=hazard_log&entityId=${log.id}`}>Audit trail</Link>
        <a href={`/api/v1/hazard-logs/${log.id}/report.pdf`} download>Hazard log report (PDF)</a>
        <a href={`/api/v1/platforms/${log.platformId}/board-report.pdf`} download>Board assurance report (PDF)</a>
      </div>

      <h2 className="nhsuk-u-visually-hidden">Risk heatmaps</h2>
      <p className="nhsuk-body-s">Select a cell to list only the hazards rated there. Each heatmap counts the hazards matching every other filter.</p>
      <div className="app-heatmaps">
        <RiskHeatmap title="Initial risk" grid={riskGrid(schemeForGrid, heatmaps.initial.cells)} param="initialCell" active={query.initialCell} unassessed={heatmaps.initial.unassessed} path={pathname} search={search} />
        <RiskHeatmap title="Residual risk" grid={riskGrid(schemeForGrid, heatmaps.residual.cells)} param="residualCell" active={query.residualCell} unassessed={heatmaps.residual.unassessed} path={pathname} search={search} />
      </div>

      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-one-quarter">
          <LogFilters query={query} owners={options.owners} hazardTypes={options.hazardTypes} riskLabels={scheme.labels} limit={params.get("limit")} clearHref={pathname} />
        </div>
        <div className="nhsuk-grid-column-three-quarters">
          <h2 className="nhsuk-heading-m" id="results" aria-live="polite">{showing}</h2>
          <HazardTable rows={page.rows} caption={`Hazards in this log, sorted by ${SORT_NAMES[query.sort]?.toLowerCase() ?? "ref"}`} />
          <nav className="app-pagination" aria-label="Pages of hazards">
            {page.prevCursor ? <Link to={withCursor(pathname, search, page.prevCursor)}>Previous page</Link> : <span />}
            {page.start > 0 ? <Link to={withParams(pathname, search, {})}>First page</Link> : null}
            {page.nextCursor ? <Link to={withCursor(pathname, search, page.nextCursor)}>Next page</Link> : null}
          </nav>
        </div>
      </div>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
