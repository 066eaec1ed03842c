// A Clinical Safety Case: where it stands, who must sign and who has signed (with each signature's
// manifestation), and the actions the workflow machine allows the reader now.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Button, Checkboxes, Select, Textarea, TextInput } from "nhsuk-react-components";
import { requireUser } from "#app/auth.server.ts";
import { Breadcrumbs } from "#app/components/breadcrumbs.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { FormErrorSummary, fieldId } from "#app/components/forms.tsx";
import { FormProtection } from "#app/components/form-protection.tsx";
import { CASE_STATE_NAMES, MEANING_NAMES, SIGNATORY_ROLE_NAMES } from "#app/components/labels.ts";
import { SignatureBlock, utc } from "#app/components/signature.tsx";
import { getDb } from "#app/db.server.ts";
import { AppError } from "#app/errors.server.ts";
import { once, readFormPost } from "#app/form-post.server.ts";
import { appErrorToForm } from "#app/forms.server.ts";
import { platformOrganisationsOfLog } from "#app/organisations.server.ts";
import { getSafetyCase } from "#app/safety-case-view.server.ts";
import { loadCaseEvidence } from "#app/evidence-views.server.ts";
import { BaselineEvidence } from "#app/components/baseline-evidence.tsx";
import { CaseEventInput, sendCaseEvent } from "#app/safety-cases.server.ts";
import { SIGNATURE_MEANINGS } from "#workflows/safety-case-approval.machine.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.safetyCase.title ?? "Safety case"} – Clinical safety workflow` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  try {
    const safetyCase = await getSafetyCase(user, params.id ?? "");
    const candidates = safetyCase.allowedEvents.includes("EDIT_SIGNATORIES") ? await platformOrganisationsOfLog(await getDb(), safetyCase.hazardLogId) : [];
    return { safetyCase, candidates, evidence: await loadCaseEvidence(user, safetyCase.id) };
  } catch (error) {
    if (error instanceof AppError) throw new Response(error.message, { status: error.status });
    throw error;
  }
}

const DONE: Record<string, string> = {
  SUBMIT: "The safety case was submitted for sign-off. Its baseline is frozen.",
  SIGN: "Your signature was recorded.",
  REQUEST_CHANGES: "The safety case was returned to its owner with your comment.",
  EDIT_SIGNATORIES: "The required signatories were saved.",
};

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const post = await readFormPost(request, user);
  const { formData } = post;
  return once(post, async () => {
  try {
    const signatories = formData.getAll("signatory").map(String).map((v) => {
      const [organisationId, role] = v.split(":");
      return { organisationId, role };
    });
    const raw = {
      type: String(formData.get("intent") ?? ""),
      expectedVersion: Number(formData.get("expectedVersion")),
      password: formData.get("password") ? String(formData.get("password")) : undefined,
      meaning: formData.get("meaning") ? String(formData.get("meaning")) : undefined,
      comment: formData.get("comment") ? String(formData.get("comment")) : undefined,
      signatories: formData.get("intent") === "EDIT_SIGNATORIES" ? signatories : undefined,
    };
    const parsed = CaseEventInput.safeParse(raw);
    if (!parsed.success) throw new AppError("bad_request", "Check the answers below", { fields: Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])) });
    await sendCaseEvent(user, params.id ?? "", parsed.data, { requestId: context?.requestId ?? null, clientIp: context?.clientIp ?? "unknown" });
    return redirect(`/safety-cases/${params.id}?done=${parsed.data.type}`);
  } catch (error) {
    return appErrorToForm(error, formData);
  }
  });
}

export default function SafetyCasePage() {
  const { safetyCase: c, candidates, evidence } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const [params] = useSearchParams();
  const done = DONE[params.get("done") ?? ""];
  const can = (e: string) => c.allowedEvents.includes(e);
  const chosen = new Set(c.requiredSignatories.map((s) => `${s.organisationId}:${s.role}`));
  return (
    <>
      <Breadcrumbs items={[{ label: c.hazardLog.title, to: `/hazard-logs/${c.hazardLogId}` }, { label: "Safety cases", to: `/hazard-logs/${c.hazardLogId}/safety-cases` }, { label: c.title, to: `/safety-cases/${c.id}` }]} />
      <FormErrorSummary state={failure} labels={{ password: "Password", meaning: "Meaning", comment: "Comment", signatories: "Signatories" }} />
      {done && !failure ? <div className="nhsuk-inset-text" role="status"><p>{done}</p></div> : null}
      <span className="nhsuk-caption-l">Clinical Safety Case · {c.organisation.name}</span>
      <h1>{c.title}</h1>
      <p>
        <strong className={`nhsuk-tag ${c.state === "approved" ? "nhsuk-tag--green" : c.state === "in_review" ? "nhsuk-tag--blue" : "nhsuk-tag--grey"}`}>{CASE_STATE_NAMES[c.state]}</strong>{" "}
        Version {c.version} · <Link to={`/audit?entityType=safety_case&entityId=${c.id}`}>Audit trail</Link>
      </p>
      {c.reSignatureNeeded ? (
        <div className="nhsuk-warning-callout"><h2 className="nhsuk-warning-callout__label"><span role="text"><span className="nhsuk-u-visually-hidden">Important: </span>Re-signature needed</span></h2>
          <p>The hazard log has changed since baseline version {c.baseline?.hazardLogVersion} was frozen. The signatures below are for that baseline only; the changed log needs a new safety case and new signatures.</p></div>
      ) : null}
      {c.changeRequest && c.state === "draft" ? (
        <div className="nhsuk-warning-callout"><h2 className="nhsuk-warning-callout__label"><span role="text">Changes requested by {c.changeRequest.by.name}</span></h2><p>{c.changeRequest.comment}</p></div>
      ) : c.returnReason && c.state === "draft" ? (
        <div className="nhsuk-warning-callout"><h2 className="nhsuk-warning-callout__label"><span role="text">Returned to draft</span></h2><p>The hazard log changed while the case was in review ({c.returnReason}). Submit it again to freeze a new baseline; everyone signs again.</p></div>
      ) : null}

      <h2 className="nhsuk-heading-m">Baseline</h2>
      {c.baseline ? (
        <p>Hazard log version {c.baseline.hazardLogVersion}, frozen {utc(c.baseline.frozenAt)}{c.submittedBy ? ` when ${c.submittedBy.name} submitted the case` : ""}.<br />SHA-256 <code className="app-hash">{c.baseline.sha256}</code></p>
      ) : (
        <p>No baseline yet. Submitting the case freezes the hazard log as it is at that moment; every signature binds to that frozen version.</p>
      )}
      <p>
        <a href={`/api/v1/safety-cases/${c.id}/report.pdf`} download>Download the safety case report (PDF)</a>
        <br /><span className="nhsuk-body-s">{c.state === "approved" ? "Drawn from the signed baseline, with every signature." : "Marked DRAFT on every page until every required signatory has signed."}</span>
      </p>
      {c.baseline ? <BaselineEvidence items={evidence} /> : null}

      <h2 className="nhsuk-heading-m">Required signatories</h2>
      <table className="nhsuk-table app-table-compact">
        <caption className="nhsuk-u-visually-hidden">Required signatories and whether each has signed</caption>
        <thead className="nhsuk-table__head"><tr><th scope="col">Organisation</th><th scope="col">Role</th><th scope="col">Status</th></tr></thead>
        <tbody className="nhsuk-table__body">
          {c.requiredSignatories.map((s) => (
            <tr key={s.slotId}>
              <td>{s.organisationName}</td>
              <td>{SIGNATORY_ROLE_NAMES[s.role]}</td>
              <td>{s.signed ? <strong className="nhsuk-tag nhsuk-tag--green">Signed</strong> : <strong className="nhsuk-tag nhsuk-tag--grey">{c.state === "draft" ? "Not submitted" : "Awaiting signature"}</strong>}</td>
            </tr>
          ))}
        </tbody>
      </table>

      {c.signatures.length ? <><h2 className="nhsuk-heading-m">Signatures</h2>{c.signatures.map((s, i) => <SignatureBlock key={i} s={s} />)}</> : null}

      {can("SIGN") ? (
        <Form method="post" noValidate className="nhsuk-u-margin-bottom-6">
          <h2 className="nhsuk-heading-m">Sign this safety case</h2>
          <p>You are signing baseline version {c.baseline?.hazardLogVersion} (SHA-256 <code className="app-hash">{c.baseline?.sha256}</code>). Your signature is your own: enter your password again to confirm it is you.</p>
          <FormProtection />
          <input type="hidden" name="intent" value="SIGN" />
          <input type="hidden" name="expectedVersion" value={c.version} />
          <Select id={fieldId("meaning")} name="meaning" label="What your signature means" error={failure?.errors?.meaning} defaultValue="">
            <Select.Option value="" disabled>Choose</Select.Option>
            {SIGNATURE_MEANINGS.map((m) => <Select.Option key={m} value={m}>{MEANING_NAMES[m]}</Select.Option>)}
          </Select>
          <TextInput id={fieldId("password")} name="password" type="password" autoComplete="current-password" label="Your password" error={failure?.errors?.password} width={20} />
          <Button type="submit">Sign</Button>
        </Form>
      ) : null}

      {can("SUBMIT") ? (
        <Form method="post" className="nhsuk-u-margin-bottom-6">
          <h2 className="nhsuk-heading-m">Submit for sign-off</h2>
          <p>Submitting freezes the hazard log as it is now. Any later change to the log returns the case to draft.</p>
          <FormProtection />
          <input type="hidden" name="intent" value="SUBMIT" />
          <input type="hidden" name="expectedVersion" value={c.version} />
          <Button type="submit">Submit for sign-off</Button>
        </Form>
      ) : null}

      {can("REQUEST_CHANGES") ? (
        <Form method="post" noValidate className="nhsuk-u-margin-bottom-6">
          <h2 className="nhsuk-heading-m">Request changes</h2>
          <FormProtection />
          <input type="hidden" name="intent" value="REQUEST_CHANGES" />
          <input type="hidden" name="expectedVersion" value={c.version} />
          <Textarea id={fieldId("comment")} name="comment" label="What needs to change" hint="The case returns to draft and its owner sees your comment" error={failure?.errors?.comment} rows={3} />
          <Button type="submit" secondary>Request changes</Button>
        </Form>
      ) : null}

      {can("EDIT_SIGNATORIES") ? (
        <Form method="post" noValidate className="nhsuk-u-margin-bottom-6">
          <FormProtection />
          <input type="hidden" name="intent" value="EDIT_SIGNATORIES" />
          <input type="hidden" name="expectedVersion" value={c.version} />
          <Checkboxes id={fieldId("signatories")} name="signatory" legend="Required signatories" legendProps={{ size: "m" }} hint="Who must sign before the case is approved" error={failure?.errors?.signatories}>
            {candidates.flatMap((o) => (["cso", "approver"] as const).map((role) => (
              <Checkboxes.Item key={`${o.id}:${role}`} value={`${o.id}:${role}`} defaultChecked={chosen.has(`${o.id}:${role}`)}>{o.name} — {SIGNATORY_ROLE_NAMES[role]}</Checkboxes.Item>
            )))}
          </Checkboxes>
          <Button type="submit" secondary>Save signatories</Button>
        </Form>
      ) : null}

      {c.supersededSignatures.length ? (
        <details className="nhsuk-details">
          <summary className="nhsuk-details__summary"><span className="nhsuk-details__summary-text">Signatures on earlier baselines ({c.supersededSignatures.length})</span></summary>
          <div className="nhsuk-details__text">
            <p>These remain valid for the baseline they name only.</p>
            {c.supersededSignatures.map((s, i) => <SignatureBlock key={i} s={s} />)}
          </div>
        </details>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
