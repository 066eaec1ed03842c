// Issuing the hazard log: where the current version stands, the versions issued so far (each with
// its frozen baseline's SHA-256), and the actions the issue workflow allows the reader now.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Button, Textarea } from "nhsuk-react-components";
import { requireUser } from "#app/auth.server.ts";
import { Breadcrumbs } from "#app/components/breadcrumbs.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { FormErrorSummary, fieldId } from "#app/components/forms.tsx";
import { FormProtection } from "#app/components/form-protection.tsx";
import { utc } from "#app/components/signature.tsx";
import { getDb } from "#app/db.server.ts";
import { AppError } from "#app/errors.server.ts";
import { once, readFormPost } from "#app/form-post.server.ts";
import { appErrorToForm } from "#app/forms.server.ts";
import { getLogIssue, LogIssueEventInput, sendLogIssueEvent } from "#app/log-issues.server.ts";
import { requireLog } from "#app/permissions.server.ts";

export const meta: MetaFunction = () => [{ title: "Issue the hazard log – Clinical safety workflow" }];

const STATE_NAMES = { draft: "Draft", in_review: "In review", issued: "Issued" } as const;
const BUTTONS = {
  SUBMIT_FOR_REVIEW: "Submit for review",
  ISSUE: "Issue this version",
  START_NEW_VERSION: "Start the next version",
} as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  try {
    const log = await requireLog(await getDb(), user, params.id ?? "");
    return { log: { id: log.id, title: log.title }, issue: await getLogIssue(user, log.id) };
  } catch (error) {
    if (error instanceof AppError) throw new Response(error.message, { status: error.status });
    throw error;
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const post = await readFormPost(request, user);
  const { formData } = post;
  return once(post, async () => {
    try {
      const parsed = LogIssueEventInput.safeParse({
        type: formData.get("intent"),
        expectedVersion: Number(formData.get("expectedVersion")),
        comment: formData.get("comment") ? String(formData.get("comment")) : undefined,
      });
      if (!parsed.success) throw new AppError("bad_request", "Check the answers below");
      await sendLogIssueEvent(user, params.id ?? "", parsed.data, context?.requestId ?? null);
      return redirect(`/hazard-logs/${params.id}/issue`);
    } catch (error) {
      return appErrorToForm(error, formData);
    }
  });
}

export default function IssueLog() {
  const { log, issue } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  return (
    <>
      <Breadcrumbs items={[{ label: log.title, to: `/hazard-logs/${log.id}` }, { label: "Issue", to: `/hazard-logs/${log.id}/issue` }]} />
      <FormErrorSummary state={failure} labels={{ comment: "Comment" }} />
      <h1>Issue the hazard log</h1>
      <p>{log.title}</p>
      <p>Version in progress: <strong className="nhsuk-tag">{STATE_NAMES[issue.state]}</strong></p>
      {issue.changeRequest && issue.state === "draft" ? <div className="nhsuk-warning-callout"><h2 className="nhsuk-warning-callout__label"><span role="text">Changes requested</span></h2><p>{issue.changeRequest.comment}</p></div> : null}
      {issue.pendingUpstreamChanges > 0 ? (
        <div className="nhsuk-inset-text"><p>{issue.pendingUpstreamChanges} inherited {issue.pendingUpstreamChanges === 1 ? "hazard has" : "hazards have"} an upstream change not yet reviewed. Accept or assess them before submitting this log for review.</p></div>
      ) : null}
      <div className="app-header-tools" style={{ justifyContent: "flex-start" }}>
        {(Object.keys(BUTTONS) as (keyof typeof BUTTONS)[]).filter((e) => issue.allowedEvents.includes(e)).map((e) => (
          <Form method="post" key={e}>
            <FormProtection />
            <input type="hidden" name="intent" value={e} />
            <input type="hidden" name="expectedVersion" value={issue.version} />
            <Button type="submit">{BUTTONS[e]}</Button>
          </Form>
        ))}
      </div>
      {issue.allowedEvents.includes("REQUEST_CHANGES") ? (
        <Form method="post" noValidate>
          <FormProtection />
          <input type="hidden" name="intent" value="REQUEST_CHANGES" />
          <input type="hidden" name="expectedVersion" value={issue.version} />
          <Textarea id={fieldId("comment")} name="comment" label="What needs to change before issue" error={failure?.errors?.comment} rows={3} />
          <Button type="submit" secondary>Request changes</Button>
        </Form>
      ) : null}
      <h2 className="nhsuk-heading-m">Issued versions</h2>
      {issue.issued.length === 0 ? <p>No version of this log has been issued yet.</p> : (
        <table className="nhsuk-table app-table-compact">
          <caption className="nhsuk-u-visually-hidden">Issued versions with their baseline hash</caption>
          <thead className="nhsuk-table__head"><tr><th scope="col">Issue</th><th scope="col">Baseline version</th><th scope="col">Issued</th><th scope="col">SHA-256</th><th scope="col">Report</th></tr></thead>
          <tbody className="nhsuk-table__body">
            {issue.issued.map((i) => (
              <tr key={i.number}><td>{i.number}</td><td>{i.hazardLogVersion}</td><td>{utc(i.issuedAt)}</td><td><code className="app-hash">{i.sha256}</code></td><td><a href={`/api/v1/hazard-logs/${log.id}/report.pdf?baseline=${i.hazardLogVersion}`} download>Hazard log report (PDF)<span className="nhsuk-u-visually-hidden">, issue {i.number}</span></a></td></tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
