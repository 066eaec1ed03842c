// The audit trail of a hazard, a log or a safety case (`?entityType=&entityId=`), or with no
// entity the active organisation's whole chain; newest first, paged, with a CSV export.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "#app/auth.server.ts";
import { loadTrailPage, requireTrailRequest } from "#app/audit-trail.server.ts";
import { Breadcrumbs } from "#app/components/breadcrumbs.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { AUDIT_ACTION_NAMES, AUDIT_SUBJECT_NAMES, ROLE_NAMES } from "#app/components/labels.ts";
import { describeChanges, formatLondon } from "#app/domain/audit-trail.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Audit trail${data ? `: ${data.scope.title}` : ""} – Clinical safety workflow` }];

const clip = (text: string) => (text.length > 240 ? `${text.slice(0, 239)}…` : text);

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { db, query, scope } = await requireTrailRequest(request, user);
  const { entries, total, page, pages } = await loadTrailPage(db, scope, query.page);
  const filter = new URLSearchParams(query.entityType ? { entityType: query.entityType, entityId: scope.entityId } : {});
  return {
    scope: { title: scope.title, parent: scope.parent, kind: scope.entityType ?? "organisation" },
    total,
    page,
    pages,
    filter: filter.toString(),
    entries: entries.map((e) => ({
      key: `${e.organisationName}-${e.sequence}`,
      when: formatLondon(e.at),
      at: e.at,
      who: e.actor?.name ?? "System",
      role: e.actor?.role ?? null,
      organisation: e.organisationName,
      action: e.action,
      changes: describeChanges(e.changes).map((c) => ({ label: c.label, from: c.from === undefined ? undefined : clip(c.from), to: clip(c.to) })),
      reason: e.reason,
      requestId: e.requestId,
    })),
  };
}

export default function AuditPage() {
  const { scope, total, page, pages, filter, entries } = useLoaderData<typeof loader>();
  const pageHref = (n: number) => `/audit?${new URLSearchParams([...new URLSearchParams(filter), ["page", String(n)]]).toString()}`;
  return (
    <>
      <Breadcrumbs items={[...(scope.parent ? [{ label: scope.parent.label, to: scope.parent.href }] : []), { label: "Audit trail", to: `/audit?${filter}` }]} />
      <span className="nhsuk-caption-l">Audit trail of the {AUDIT_SUBJECT_NAMES[scope.kind]}</span>
      <h1>{scope.title}</h1>
      <p>
        {total === 1 ? "1 entry" : `${total} entries`}, newest first. Times are UK time; the CSV gives them in UTC.
        {scope.kind === "organisation" ? " This is every entry in your organisation's audit chain." : " Entries recorded by any organisation are shown."}
      </p>
      <p>
        <Link reloadDocument to={`/audit.csv?${filter}`} className="nhsuk-link">Download the audit trail as CSV</Link>
      </p>
      {entries.length === 0 ? (
        <p>No entries yet.</p>
      ) : (
        <table className="nhsuk-table app-table-compact">
          <caption className="nhsuk-u-visually-hidden">Audit entries, newest first</caption>
          <thead className="nhsuk-table__head">
            <tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Organisation</th><th scope="col">Action</th><th scope="col">What changed</th><th scope="col">Why</th><th scope="col">Request id</th></tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {entries.map((e) => (
              <tr key={e.key}>
                <td><time dateTime={e.at}>{e.when}</time></td>
                <td>{e.who}{e.role ? <><br /><span className="nhsuk-body-s">{ROLE_NAMES[e.role] ?? e.role}</span></> : null}</td>
                <td>{e.organisation}</td>
                <td>{AUDIT_ACTION_NAMES[e.action] ?? e.action}</td>
                <td>
                  <ul className="nhsuk-list app-audit-changes">
                    {e.changes.map((c, i) => (
                      <li key={i}>
                        <strong>{c.label}:</strong>{" "}
                        {c.from === undefined ? c.to : <><del className="app-diff-from">{c.from}</del> → <ins className="app-diff-to">{c.to}</ins></>}
                      </li>
                    ))}
                  </ul>
                </td>
                <td>{e.reason ?? ""}</td>
                <td><code className="app-request-id">{e.requestId ?? ""}</code></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pages > 1 ? (
        <nav className="nhsuk-pagination" role="navigation" aria-label="Pages of the audit trail">
          <ul className="nhsuk-list nhsuk-pagination__list">
            {page > 1 ? <li className="nhsuk-pagination-item--previous"><Link className="nhsuk-pagination__link nhsuk-pagination__link--prev" to={pageHref(page - 1)}>Newer entries</Link></li> : null}
            {page < pages ? <li className="nhsuk-pagination-item--next"><Link className="nhsuk-pagination__link nhsuk-pagination__link--next" to={pageHref(page + 1)}>Older entries</Link></li> : null}
          </ul>
          <p className="nhsuk-body-s">Page {page} of {pages}</p>
        </nav>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
