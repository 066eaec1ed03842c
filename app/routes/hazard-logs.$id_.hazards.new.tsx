// Raise a hazard in a log. Trailing underscore: a page of its own, not nested in the log page.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "#app/auth.server.ts";
import { Breadcrumbs } from "#app/components/breadcrumbs.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { HazardForm } from "#app/components/hazard-form.tsx";
import { applyRowIntent, emptyValues, parseRowIntent } from "#app/domain/hazard-form.ts";
import { once, readFormPost } from "#app/form-post.server.ts";
import { formValues } from "#app/forms.server.ts";
import { appErrorToHazardForm, hazardFormFailure, readNewHazardForm, throwRouteError } from "#app/hazard-forms.server.ts";
import { loadNewHazardContext } from "#app/hazard-pages.server.ts";
import { createHazard } from "#app/hazards.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Raise a hazard – ${data?.log.title ?? "Hazard log"} – Clinical safety workflow` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const context = await loadNewHazardContext(user, params.id ?? "").catch(throwRouteError);
  return { ...context, values: emptyValues() };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const logId = params.id ?? "";
  const post = await readFormPost(request, user);
  const { formData } = post;
  const rowIntent = parseRowIntent(String(formData.get("intent") ?? ""));
  // Without JavaScript the add/remove row buttons post here: answer the form with the row changed.
  if (rowIntent) return hazardFormFailure({ errors: {}, values: applyRowIntent(formValues(formData), rowIntent) }, 200);
  const form = readNewHazardForm(formData);
  if (!form.ok) return hazardFormFailure(form);
  return once(post, async () => {
    try {
      const hazard = await createHazard(user, logId, form.data, context?.requestId ?? null);
      return redirect(`/hazards/${hazard.id}`);
    } catch (error) {
      return appErrorToHazardForm(error, form.values, form.causeRows);
    }
  });
}

export default function RaiseHazard() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <Breadcrumbs items={[{ label: data.log.title, to: `/hazard-logs/${data.log.id}` }]} />
      <span className="nhsuk-caption-l">{data.log.title}</span>
      <h1>Raise a hazard</h1>
      <HazardForm
        values={result?.values ?? data.values}
        errors={result?.errors}
        formError={result?.formError}
        scheme={data.scheme}
        organisations={data.organisations}
        defaultOwner={data.log.organisationId}
        options={data.options}
        mayAssess={data.mayAssess}
        submitLabel="Raise hazard"
      />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
