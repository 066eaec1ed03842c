// A hazard: every field, controls, both assessments, upstream state, history; and for those allowed,
// Edit and the status changes (close, transfer, reopen, deprecate), each with its reason.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "#app/auth.server.ts";
import { Breadcrumbs } from "#app/components/breadcrumbs.tsx";
import { describeChanges, wordsFor } from "#app/components/change-text.ts";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { formatDateTime, londonToday } from "#app/components/format.ts";
import { FormErrorSummary } from "#app/components/forms.tsx";
import { HazardActions, reasonFieldKey, type StatusAction } from "#app/components/hazard-actions.tsx";
import { AssessmentTable, ControlsTable, HazardFields } from "#app/components/hazard-details.tsx";
import { HazardHistory } from "#app/components/hazard-history.tsx";
import { STATUS_NAMES } from "#app/components/labels.ts";
import { statusActionsFor } from "#app/domain/hazard-form.ts";
import { isReviewOverdue } from "#app/domain/hazard-view.ts";
import { describeRisk } from "#app/domain/risk.ts";
import { appErrorToHazardForm, hazardFormFailure, isStatusIntent, readStatusChange, throwRouteError } from "#app/hazard-forms.server.ts";
import { loadHazardPage } from "#app/hazard-pages.server.ts";
import { updateHazard } from "#app/hazards.server.ts";
import { UpstreamReviewPanel } from "#app/components/upstream-review.tsx";
import { acceptUpstream, upstreamReview } from "#app/upstream.server.ts";
import { IncidentsSection } from "#app/components/incidents.tsx";
import { incidentsFor, NewIncident, recordIncident } from "#app/incidents.server.ts";
import { parseForm } from "#app/forms.server.ts";
import { appErrorToForm } from "#app/forms.server.ts";
import { once, readFormPost } from "#app/form-post.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data ? `${data.hazard.ref} ${data.hazard.title}` : "Hazard"} – Clinical safety workflow` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const page = await loadHazardPage(user, params.id ?? "").catch(throwRouteError);
  const { hazard, scheme } = page;
  const words = wordsFor(scheme, page.organisations, hazard.controls);
  return {
    hazard,
    log: page.log,
    upstreamLog: page.upstreamLog,
    risk: {
      initial: hazard.initial.risk ? describeRisk(scheme, hazard.initial.risk) : null,
      residual: hazard.residual.risk ? describeRisk(scheme, hazard.residual.risk) : null,
    },
    words,
    overdue: isReviewOverdue(hazard, londonToday()),
    deprecatedAt: hazard.deprecated ? formatDateTime(hazard.deprecated.at) : null,
    history: page.history.map((e) => ({ version: e.version, at: formatDateTime(e.at), user: e.user?.name ?? null, reason: e.reason, changes: describeChanges(e.changes, words) })),
    mayEdit: page.mayEdit,
    mayAssess: page.mayAssess,
    upstreamReview: await pendingReview(user, hazard, words),
    incidents: await incidentsFor(user, hazard.id),
    mayRecordIncident: page.mayRecordIncident,
    statusActions: page.mayAssess ? statusActionsFor(hazard) : [],
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = params.id ?? "";
  const post = await readFormPost(request, user);
  const { formData } = post;
  const intent = formData.get("intent");
  if (intent === "record-incident") {
    formData.delete("intent");
    const parsed = parseForm(formData, NewIncident);
    if (!parsed.ok) return { ...parsed, incident: true as const };
    return once(post, async () => {
      try {
        await recordIncident(user, id, parsed.data, context?.requestId ?? null);
        return redirect(`/hazards/${id}#incidents-heading`);
      } catch (error) {
        return appErrorToForm(error, formData);
      }
    });
  }
  if (intent === "accept-upstream" || intent === "not-applicable") {
    return once(post, async () => {
      try {
        const comment = String(formData.get("comment") ?? "").trim();
        await acceptUpstream(user, id, { version: Number(formData.get("upstreamVersion")), comment: comment || undefined, notApplicable: intent === "not-applicable" }, context?.requestId ?? null);
        return redirect(`/hazards/${id}`);
      } catch (error) {
        return appErrorToForm(error, formData);
      }
    });
  }
  if (!isStatusIntent(intent)) return hazardFormFailure({ formError: "Choose what to do with the hazard", errors: {}, values: {} });
  const form = readStatusChange(formData, intent);
  if (!form.ok) return hazardFormFailure(form, 400, { intent });
  return once(post, async () => {
    try {
      await updateHazard(user, id, form.data, context?.requestId ?? null);
      return redirect(`/hazards/${id}`);
    } catch (error) {
      return appErrorToHazardForm(error, form.values, [], { intent });
    }
  });
}

/** For an inherited hazard with an upstream change not yet accepted: what changed, in words. */
async function pendingReview(user: Parameters<typeof upstreamReview>[0], hazard: { id: string; upstream?: { acceptedVersion: number | null; currentVersion: number } }, words: Parameters<typeof describeChanges>[1]) {
  if (!hazard.upstream || hazard.upstream.acceptedVersion === hazard.upstream.currentVersion) return null;
  const review = await upstreamReview(user, hazard.id);
  return review ? { acceptedVersion: review.acceptedVersion, currentVersion: review.currentVersion, changes: describeChanges(review.changes, words) } : null;
}

function Inheritance({ hazard, upstreamLog }: { hazard: ReturnType<typeof useLoaderData<typeof loader>>["hazard"]; upstreamLog: { id: string; title: string } | null }) {
  if (!hazard.upstream) return null;
  const { ref, acceptedVersion, currentVersion } = hazard.upstream;
  const pending = acceptedVersion !== currentVersion;
  return (
    <div className="nhsuk-inset-text">
      <p>
        Inherited from <Link to={`/hazards/${hazard.upstream.hazardId}`}>{ref}</Link>
        {upstreamLog ? <> in {upstreamLog.title}</> : null}. Fields marked “Upstream” are read-only here.
      </p>
      <p className="nhsuk-u-margin-bottom-0">
        Upstream version accepted: <strong>{acceptedVersion ?? "none yet"}</strong>; current upstream version: <strong>{currentVersion}</strong>
        {pending ? " — a newer upstream version has not been accepted yet." : " — up to date."}
      </p>
    </div>
  );
}

export default function HazardPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { hazard } = data;
  const intent = result && "intent" in result ? (result.intent as StatusAction) : null;
  const reasonError = result?.errors?.reason ?? result?.errors?.version;
  const summaryErrors = intent && reasonError ? { [reasonFieldKey(intent)]: reasonError } : {};
  return (
    <>
      <Breadcrumbs items={[{ label: data.log.title, to: `/hazard-logs/${data.log.id}` }, { label: hazard.ref, to: `/hazards/${hazard.id}` }]} />
      <FormErrorSummary state={result ? { formError: result.formError, errors: summaryErrors } : undefined} />
      <span className="nhsuk-caption-l">{hazard.ref} · {STATUS_NAMES[hazard.status]} · version {hazard.version}</span>
      <h1>{hazard.title || "Untitled hazard"}</h1>
      {hazard.deprecated ? (
        <div className="nhsuk-warning-callout">
          <h2 className="nhsuk-warning-callout__label"><span role="text"><span className="nhsuk-u-visually-hidden">Important: </span>Deprecated</span></h2>
          <p>Deprecated on {data.deprecatedAt}: {hazard.deprecated.reason}</p>
        </div>
      ) : null}
      <Inheritance hazard={hazard} upstreamLog={data.upstreamLog} />
      {data.upstreamReview ? <UpstreamReviewPanel review={data.upstreamReview} mayAccept={data.mayAssess} error={result && !("intent" in result) ? result.errors?.comment ?? result.formError : undefined} /> : null}
      {data.mayEdit ? <p><Link to={`/hazards/${hazard.id}/edit`} className="nhsuk-button nhsuk-u-margin-bottom-0">Edit<span className="nhsuk-u-visually-hidden"> {hazard.ref}</span></Link></p> : null}
      <h2 className="nhsuk-heading-m">Hazard</h2>
      <HazardFields hazard={hazard} risk={data.risk} words={data.words} overdue={data.overdue} />
      <h2 className="nhsuk-heading-m">Controls</h2>
      <ControlsTable hazard={hazard} risk={data.risk} words={data.words} overdue={data.overdue} />
      <h2 className="nhsuk-heading-m">Risk assessment</h2>
      <AssessmentTable hazard={hazard} risk={data.risk} words={data.words} overdue={data.overdue} />
      <h3 className="nhsuk-heading-s">Risk–benefit justification</h3>
      <p className="app-prewrap">{hazard.riskBenefitJustification || <span className="app-diff-empty">Not given</span>}</p>
      <HazardActions
        actions={data.statusActions}
        version={hazard.version}
        failed={intent ? { intent, error: reasonError, reason: result?.values?.reason } : null}
      />
      <IncidentsSection incidents={data.incidents.incidents} needsReview={data.incidents.needsReview} mayRecord={data.mayRecordIncident}
        errors={result && "incident" in result ? result.errors : undefined} values={result && "incident" in result ? result.values : undefined} />
      <HazardHistory entries={data.history} />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
