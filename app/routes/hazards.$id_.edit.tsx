// Edit a hazard. The form carries the version the user read; if someone saved in between, nothing
// is written and the form comes back with the user's input and what the other person changed.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "#app/auth.server.ts";
import { Breadcrumbs } from "#app/components/breadcrumbs.tsx";
import { describeChanges, wordsFor } from "#app/components/change-text.ts";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { formatDateTime } from "#app/components/format.ts";
import { HazardForm } from "#app/components/hazard-form.tsx";
import { StaleEditPanel } from "#app/components/stale-edit-panel.tsx";
import { applyRowIntent, isAssessed, parseRowIntent, upstreamPartsOf, valuesFromHazard } from "#app/domain/hazard-form.ts";
import { AppError } from "#app/errors.server.ts";
import { once, readFormPost } from "#app/form-post.server.ts";
import { formValues } from "#app/forms.server.ts";
import { appErrorToHazardForm, hazardFormFailure, readHazardEditForm, throwRouteError } from "#app/hazard-forms.server.ts";
import { changesSince, loadHazardForEdit } from "#app/hazard-pages.server.ts";
import { updateHazard } from "#app/hazards.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Edit ${data?.hazard.ref ?? "hazard"} – Clinical safety workflow` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { hazard, upstreamLog, ...context } = await loadHazardForEdit(user, params.id ?? "").catch(throwRouteError);
  return {
    ...context,
    hazard: { id: hazard.id, ref: hazard.ref, title: hazard.title, version: hazard.version },
    values: valuesFromHazard(hazard),
    upstream: upstreamPartsOf(hazard, upstreamLog?.title ?? null),
    reasonRequired: isAssessed(hazard),
  };
}

/** The stale edit's panel: who changed the hazard, when, and what, in words. */
async function staleAnswer(user: Awaited<ReturnType<typeof requireUser>>, id: string, readVersion: number) {
  const since = await changesSince(user, id, readVersion);
  const { scheme, organisations } = await loadHazardForEdit(user, id);
  const last = since.versions.at(-1);
  return {
    version: since.current.version,
    by: [...new Set(since.versions.map((v) => v.user ?? "the system"))].join(", "),
    at: last ? formatDateTime(last.at) : "",
    changes: describeChanges(since.changes, wordsFor(scheme, organisations, since.current.controls)),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = params.id ?? "";
  const post = await readFormPost(request, user);
  const { formData } = post;
  const rowIntent = parseRowIntent(String(formData.get("intent") ?? ""));
  if (rowIntent) return hazardFormFailure({ errors: {}, values: applyRowIntent(formValues(formData), rowIntent) }, 200);
  const form = readHazardEditForm(formData);
  if (!form.ok) return hazardFormFailure(form);
  return once(post, async () => {
    try {
      await updateHazard(user, id, form.data, context?.requestId ?? null);
      return redirect(`/hazards/${id}`);
    } catch (error) {
      if (error instanceof AppError && error.code === "stale_version")
        return hazardFormFailure({ formError: "This hazard was changed by someone else since you opened it. Nothing was saved.", errors: {}, values: form.values }, 409, {
          stale: await staleAnswer(user, id, form.data.version),
        });
      return appErrorToHazardForm(error, form.values, form.causeRows);
    }
  });
}

export default function EditHazard() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const stale = result && "stale" in result ? (result.stale as Awaited<ReturnType<typeof staleAnswer>>) : null;
  // The version the user read: the loader's only on first load (loaders re-run after every post).
  const version = stale?.version ?? (result?.values?.version ? Number(result.values.version) : data.hazard.version);
  return (
    <>
      <Breadcrumbs items={[{ label: data.log.title, to: `/hazard-logs/${data.log.id}` }, { label: data.hazard.ref, to: `/hazards/${data.hazard.id}` }]} />
      <span className="nhsuk-caption-l">{data.hazard.ref}</span>
      <h1>Edit hazard</h1>
      <HazardForm
        values={result?.values ?? data.values}
        errors={result?.errors}
        formError={result?.formError}
        notice={stale ? <StaleEditPanel {...stale} /> : null}
        scheme={data.scheme}
        organisations={data.organisations}
        defaultOwner={data.log.organisationId}
        options={data.options}
        mayAssess={data.mayAssess}
        upstream={data.upstream}
        edit={{ version, reasonRequired: data.reasonRequired }}
        submitLabel="Save changes"
      />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
