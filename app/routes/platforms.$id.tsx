// The platform roll-up page: every hazard against every organisation taking part, as a grid coloured
// by residual risk (with the rating, status and acceptance in text) that filters, 50 lines a page.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireUser } from "#app/auth.server.ts";
import { Breadcrumbs } from "#app/components/breadcrumbs.tsx";
import { ClientLinks } from "#app/components/client-links.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { STATUS_NAMES } from "#app/components/labels.ts";
import { parseRollupFilter } from "#app/domain/rollup-filter.ts";
import { AppError } from "#app/errors.server.ts";
import { getDefaultRiskScheme } from "#app/risk-schemes.server.ts";
import { platformRollup } from "#app/rollup.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Roll-up – ${data?.platform.name ?? "Platform"} – Clinical safety workflow` }];
const PAGE = 50;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  try {
    const url = new URL(request.url);
    const filter = parseRollupFilter(url.searchParams);
    const page = Math.min(100_000, Math.max(1, Math.floor(Number(url.searchParams.get("page"))) || 1));
    // The filter and the page are applied in SQL: only this page's lines are loaded.
    const [rollup, scheme] = await Promise.all([platformRollup(user, params.id ?? "", { filter, limit: PAGE, offset: (page - 1) * PAGE }), getDefaultRiskScheme()]);
    return {
      platform: rollup.platform,
      organisations: rollup.organisations,
      total: rollup.total,
      page,
      pages: Math.max(1, Math.ceil(rollup.total / PAGE)),
      hazards: rollup.hazards,
      colours: scheme.colours,
      labels: scheme.labels,
    };
  } catch (error) {
    if (error instanceof AppError) throw new Response(error.message, { status: error.status });
    throw error;
  }
}

export default function Rollup() {
  const { platform, organisations, total, page, pages, hazards, colours, labels } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const pageLink = (n: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(n));
    return `?${next}`;
  };
  return (
    <>
      <Breadcrumbs items={[{ label: `${platform.name} roll-up`, to: `/platforms/${platform.id}` }]} />
      <h1>{platform.name}: every hazard, every organisation</h1>
      <p><Link to={`/platforms/${platform.id}/transferred`}>Transferred controls and each organisation's progress</Link> · <Link to={`/platforms/${platform.id}/board`}>Board assurance summary</Link></p>
      <p>Residual risk at each organisation (colour and number), its status there, and whether it has accepted the current upstream version. Only the logs your organisation may read are shown.</p>
      <Form method="get" className="app-header-tools" style={{ justifyContent: "flex-start", alignItems: "flex-end" }}>
        <div><label className="nhsuk-label" htmlFor="q">Ref or title</label><input className="nhsuk-input" id="q" name="q" type="search" defaultValue={params.get("q") ?? ""} /></div>
        <div>
          <label className="nhsuk-label" htmlFor="minRisk">Residual risk at least</label>
          <select className="nhsuk-select" id="minRisk" name="minRisk" defaultValue={params.get("minRisk") ?? ""}>
            <option value="">Any</option>
            {[2, 3, 4, 5].map((r) => <option key={r} value={r}>{r} – {labels[String(r)]}</option>)}
          </select>
        </div>
        <div className="nhsuk-checkboxes nhsuk-checkboxes--small">
          <div className="nhsuk-checkboxes__item"><input className="nhsuk-checkboxes__input" id="pending" name="pending" type="checkbox" value="true" defaultChecked={params.get("pending") === "true"} /><label className="nhsuk-label nhsuk-checkboxes__label" htmlFor="pending">Upstream change not accepted somewhere</label></div>
          <div className="nhsuk-checkboxes__item"><input className="nhsuk-checkboxes__input" id="overdue" name="overdue" type="checkbox" value="true" defaultChecked={params.get("overdue") === "true"} /><label className="nhsuk-label nhsuk-checkboxes__label" htmlFor="overdue">Review overdue somewhere</label></div>
        </div>
        <button className="nhsuk-button nhsuk-button--secondary" type="submit">Filter</button>
      </Form>
      <p>{total} hazards{pages > 1 ? ` · page ${page} of ${pages}` : ""}</p>
      {/* The cells are plain links that still navigate in the app (ClientLinks). */}
      <ClientLinks className="app-scroll-x">
        <table className="nhsuk-table app-table-compact app-rollup">
          <caption className="nhsuk-u-visually-hidden">Hazards by organisation: residual risk, status and upstream acceptance</caption>
          <thead className="nhsuk-table__head">
            <tr><th scope="col">Hazard</th>{organisations.map((o) => <th scope="col" key={o.id}>{o.name}</th>)}</tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {hazards.map((h) => (
              <tr key={h.hazardId}>
                <th scope="row"><Link to={`/hazards/${h.hazardId}`}>{h.ref}</Link> {h.title}</th>
                {organisations.map((o) => {
                  const c = h.byOrganisation[o.id];
                  if (!c) return <td key={o.id} className="app-rollup-none">–<span className="nhsuk-u-visually-hidden"> not in this log</span></td>;
                  return (
                    <td key={o.id} style={{ backgroundColor: c.residualRisk ? colours[String(c.residualRisk)] : undefined }}>
                      {/* A plain link: 50 lines × dozens of organisations of <Link> cost most of the page's render. */}
                      <a href={`/hazards/${c.hazardId}`} className="app-rollup-cell">
                        <strong>{c.residualRisk ?? "–"}</strong> {STATUS_NAMES[c.status]}
                        {c.upstreamAccepted === false ? <span className="app-rollup-flag">Pending</span> : c.upstreamAccepted ? <span className="nhsuk-u-visually-hidden"> upstream accepted</span> : null}
                        {c.reviewOverdue ? <span className="app-rollup-flag">Overdue</span> : null}
                        {c.openTransferredControls ? <span className="app-rollup-flag">{c.openTransferredControls} transferred open</span> : null}
                        {c.incidents ? <span className="app-rollup-flag">{c.incidents} incident{c.incidents > 1 ? "s" : ""}</span> : null}
                      </a>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </ClientLinks>
      {pages > 1 ? (
        <nav className="nhsuk-pagination" aria-label="Roll-up pages">
          <ul className="nhsuk-list nhsuk-pagination__list">
            {page > 1 ? <li className="nhsuk-pagination-item--previous"><Link className="nhsuk-pagination__link nhsuk-pagination__link--prev" to={pageLink(page - 1)}><span className="nhsuk-pagination__title">Previous</span></Link></li> : null}
            {page < pages ? <li className="nhsuk-pagination-item--next"><Link className="nhsuk-pagination__link nhsuk-pagination__link--next" to={pageLink(page + 1)}><span className="nhsuk-pagination__title">Next</span></Link></li> : null}
          </ul>
        </nav>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
