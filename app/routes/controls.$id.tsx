// A control and its evidence: the hazards it serves, the evidence requests, every item sent (with
// its review), and — for those allowed — the request, upload and review forms.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useSearchParams } from "@remix-run/react";
import { requireUser } from "#app/auth.server.ts";
import { Breadcrumbs } from "#app/components/breadcrumbs.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { EvidenceItems, EvidenceRequests } from "#app/components/evidence.tsx";
import { SelectField, TextArea, TextField } from "#app/components/fields.tsx";
import { FormErrorSummary, fieldId } from "#app/components/forms.tsx";
import { FormProtection } from "#app/components/form-protection.tsx";
import { CONTROL_STATE_NAMES, CONTROL_TYPE_NAMES } from "#app/components/labels.ts";
import { controlPageAction } from "#app/evidence-forms.server.ts";
import { loadControlPage } from "#app/evidence-views.server.ts";
import { throwRouteError } from "#app/hazard-forms.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data ? `Control: ${data.control.description.slice(0, 60)}` : "Control"} – Clinical safety workflow` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return loadControlPage(user, params.id ?? "").catch(throwRouteError);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  return controlPageAction(user, params.id ?? "", request, context?.requestId ?? null);
}

const DONE: Record<string, string> = {
  requested: "Evidence was requested. The organisation asked sees it on its home page.",
  uploaded: "The evidence was uploaded and is awaiting review.",
  accepted: "The evidence was accepted.",
  rejected: "The evidence was rejected. The organisation that sent it sees your comment.",
};
const ACCEPT = ".pdf,.docx,.xlsx,.csv,.txt,.png,.jpg,.jpeg";

export default function ControlPage() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const [params] = useSearchParams();
  // A new key after each redirect empties the forms (React would otherwise keep what was typed).
  const formKey = useLocation().key;
  const done = failure ? null : DONE[params.get("done") ?? ""];
  const intent = failure?.values?.intent ?? "";
  // Field errors are keyed "<form>.<field>" so each links to its own form's field.
  const errors = Object.fromEntries(Object.entries(failure?.errors ?? {}).map(([k, v]) => [intent === "review" ? k : `${intent}.${k}`, v]));
  const err = (form: string, field: string) => (intent === form ? failure?.errors?.[field] : undefined);
  const val = (form: string, field: string) => (intent === form ? failure?.values?.[field] : undefined);
  const { control, may } = data;
  const uploadOptions = [
    ...data.requests.filter((r) => may.uploadForRequests.includes(r.id)).map((r) => ({ value: r.id, label: `Request from ${r.requestedBy.organisationName}: ${r.description.slice(0, 80)}` })),
    ...(may.uploadDirect ? [{ value: "", label: "No request: evidence for this control" }] : []),
  ];
  return (
    <>
      <Breadcrumbs items={[...(data.log ? [{ label: data.log.title, to: `/hazard-logs/${data.log.id}` }] : []), { label: "Control", to: `/controls/${control.id}` }]} />
      <FormErrorSummary state={failure ? { formError: failure.formError, errors } : undefined} />
      {done ? <div className="nhsuk-inset-text" role="status"><p>{done}</p></div> : null}
      <span className="nhsuk-caption-l">Control · {CONTROL_TYPE_NAMES[control.type]} · {CONTROL_STATE_NAMES[control.state]}</span>
      <h1 className="nhsuk-heading-l app-prewrap">{control.description}</h1>
      <dl className="nhsuk-summary-list">
        <div className="nhsuk-summary-list__row"><dt className="nhsuk-summary-list__key">Carried out by</dt><dd className="nhsuk-summary-list__value">{control.owner.name}{control.transferred ? " (transferred)" : ""}</dd></div>
        <div className="nhsuk-summary-list__row"><dt className="nhsuk-summary-list__key">Hazards</dt><dd className="nhsuk-summary-list__value">
          <ul className="nhsuk-list nhsuk-u-margin-bottom-0">{data.hazards.map((h) => <li key={h.id}><Link to={`/hazards/${h.id}`}>{h.ref}</Link> {h.title} <span className="nhsuk-body-s">({h.logTitle})</span></li>)}</ul>
        </dd></div>
        <div className="nhsuk-summary-list__row"><dt className="nhsuk-summary-list__key">Evidence references</dt><dd className="nhsuk-summary-list__value">{control.evidenceRefs.length ? control.evidenceRefs.join(", ") : "None"}</dd></div>
      </dl>
      <p className="nhsuk-body-s">A control can be set to Verified only once evidence for it has been accepted.</p>

      <h2 className="nhsuk-heading-m">Evidence</h2>
      <EvidenceItems items={data.items} reviewable={may.review} failure={failure} />

      <h2 className="nhsuk-heading-m">Requests</h2>
      <EvidenceRequests requests={data.requests} />

      {uploadOptions.length ? (
        <Form key={`upload-${formKey}`} method="post" encType="multipart/form-data" noValidate className="nhsuk-u-margin-bottom-6">
          <FormProtection />
          <h2 className="nhsuk-heading-m">Upload evidence</h2>
          <SelectField name="requestId" id={fieldId("upload.requestId")} label="Answering" options={uploadOptions} error={err("upload", "requestId")} />
          <div className={`nhsuk-form-group${err("upload", "file") ? " nhsuk-form-group--error" : ""}`}>
            <label className="nhsuk-label" htmlFor={fieldId("upload.file")}>File</label>
            <div className="nhsuk-hint" id={`${fieldId("upload.file")}-hint`}>PDF, Word (.docx), Excel (.xlsx), CSV, text, PNG or JPEG</div>
            {err("upload", "file") ? <span className="nhsuk-error-message" id={`${fieldId("upload.file")}-error`}><span className="nhsuk-u-visually-hidden">Error:</span> {err("upload", "file")}</span> : null}
            <input className="nhsuk-file-upload" id={fieldId("upload.file")} name="file" type="file" accept={ACCEPT} aria-describedby={`${fieldId("upload.file")}-hint`} />
          </div>
          <TextArea name="description" id={fieldId("upload.description")} label="What the file shows" error={err("upload", "description")} maxLength={4000} />
          <TextField name="link" id={fieldId("upload.link")} label="Link (optional)" hint="A web address starting with https://" error={err("upload", "link")} />
          <button className="nhsuk-button" type="submit">Upload evidence</button>
        </Form>
      ) : null}

      {may.request ? (
        <Form key={`request-${formKey}`} method="post" noValidate className="nhsuk-u-margin-bottom-6">
          <FormProtection />
          <h2 className="nhsuk-heading-m">Request evidence</h2>
          <input type="hidden" name="intent" value="request" />
          <SelectField name="fromOrganisationId" id={fieldId("request.fromOrganisationId")} label="From" options={data.organisations.map((o) => ({ value: o.id, label: o.name }))} defaultValue={val("request", "fromOrganisationId") ?? control.owner.id} error={err("request", "fromOrganisationId")} />
          <TextArea name="description" id={fieldId("request.description")} label="What evidence is needed" defaultValue={val("request", "description")} error={err("request", "description")} maxLength={2000} />
          <TextField name="dueDate" id={fieldId("request.dueDate")} type="date" width="10" label="Due date (optional)" defaultValue={val("request", "dueDate")} error={err("request", "dueDate")} />
          <button className="nhsuk-button nhsuk-button--secondary" type="submit">Request evidence</button>
        </Form>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
