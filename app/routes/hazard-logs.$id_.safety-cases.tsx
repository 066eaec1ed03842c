// A hazard log's Clinical Safety Cases, and starting a new one (the owning organisation's CSO).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Button, TextInput } from "nhsuk-react-components";
import { requireUser } from "#app/auth.server.ts";
import { Breadcrumbs } from "#app/components/breadcrumbs.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { FormErrorSummary, fieldId } from "#app/components/forms.tsx";
import { FormProtection } from "#app/components/form-protection.tsx";
import { CASE_STATE_NAMES } from "#app/components/labels.ts";
import { utc } from "#app/components/signature.tsx";
import { getDb } from "#app/db.server.ts";
import { AppError } from "#app/errors.server.ts";
import { once, readFormPost } from "#app/form-post.server.ts";
import { appErrorToForm, formFailure, parseForm } from "#app/forms.server.ts";
import { can, requireLog } from "#app/permissions.server.ts";
import { casesOfLog } from "#app/safety-case-view.server.ts";
import { createSafetyCase, NewSafetyCase } from "#app/safety-cases.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Safety cases – ${data?.log.title ?? "Hazard log"} – Clinical safety workflow` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = await getDb();
  try {
    const log = await requireLog(db, user, params.id ?? "");
    return { log: { id: log.id, title: log.title }, cases: await casesOfLog(db, log.id), mayStart: can(user, log, "submit:case") };
  } catch (error) {
    if (error instanceof AppError) throw new Response(error.message, { status: error.status });
    throw error;
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const post = await readFormPost(request, user);
  const { formData } = post;
  formData.set("hazardLogId", params.id ?? "");
  const parsed = parseForm(formData, NewSafetyCase);
  if (!parsed.ok) return formFailure(parsed);
  return once(post, async () => {
    try {
      const created = await createSafetyCase(user, parsed.data, context?.requestId ?? null);
      return redirect(`/safety-cases/${created.id}`);
    } catch (error) {
      return appErrorToForm(error, formData);
    }
  });
}

export default function LogSafetyCases() {
  const { log, cases, mayStart } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  return (
    <>
      <Breadcrumbs items={[{ label: log.title, to: `/hazard-logs/${log.id}` }, { label: "Safety cases", to: `/hazard-logs/${log.id}/safety-cases` }]} />
      <FormErrorSummary state={failure} labels={{ title: "Title" }} />
      <h1>Clinical Safety Cases</h1>
      <p>{log.title}</p>
      {cases.length === 0 ? <p>No safety case has been started for this log yet.</p> : (
        <table className="nhsuk-table app-table-compact">
          <caption className="nhsuk-u-visually-hidden">Safety cases of this log</caption>
          <thead className="nhsuk-table__head"><tr><th scope="col">Safety case</th><th scope="col">State</th><th scope="col">Signatures</th><th scope="col">Last change</th></tr></thead>
          <tbody className="nhsuk-table__body">
            {cases.map((c) => (
              <tr key={c.id}>
                <td><Link to={`/safety-cases/${c.id}`}>{c.title}</Link></td>
                <td>{CASE_STATE_NAMES[c.state]}</td>
                <td>{c.signed} of {c.required}</td>
                <td>{utc(c.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {mayStart ? (
        <Form method="post" noValidate>
          <FormProtection />
          <h2 className="nhsuk-heading-m">Start a safety case</h2>
          <TextInput id={fieldId("title")} name="title" label="Title" hint="For example, Go-live safety case, release 4.2" error={failure?.errors?.title} defaultValue={failure?.values?.title} />
          <Button type="submit">Start safety case</Button>
        </Form>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
