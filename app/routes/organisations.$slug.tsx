import { AppError } from "#app/errors.server.ts";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Button, Select, TextInput } from "nhsuk-react-components";
import { z } from "zod";
import { ROLES } from "#db/schema/organisations";
import { ROLE_NAMES } from "#app/components/labels.ts";
import { requireUser } from "#app/auth.server.ts";
import { Breadcrumbs } from "#app/components/breadcrumbs.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { FormErrorSummary, fieldId } from "#app/components/forms.tsx";
import { FormProtection } from "#app/components/form-protection.tsx";
import { canManageMembers } from "#app/domain/permissions.ts";
import { once, readFormPost } from "#app/form-post.server.ts";
import { appErrorToForm, formFailure, parseForm } from "#app/forms.server.ts";
import { addMember, deactivateMember, listMembers, requireMembershipBySlug } from "#app/organisations.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.organisation.name ?? "Organisation"} – Clinical safety workflow` }];

/** Not a member (or no such organisation): the app's 404 page, never an unhandled error (500). */
function membershipOr404(user: Parameters<typeof requireMembershipBySlug>[0], slug: string) {
  try {
    return requireMembershipBySlug(user, slug);
  } catch (error) {
    if (error instanceof AppError) throw new Response(error.message, { status: error.status });
    throw error;
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const m = membershipOr404(user, params.slug ?? "");
  return {
    organisation: { id: m.organisationId, name: m.organisationName, slug: m.slug, kind: m.kind },
    myRole: m.role,
    canManage: canManageMembers(user.memberships, m.organisationId),
    members: await listMembers(m.organisationId),
  };
}

const AddMember = z.object({
  intent: z.literal("add"),
  name: z.string().trim().min(1, "Enter the person's name").max(200, "Name must be 200 characters or fewer"),
  email: z.string().trim().min(1, "Enter an email address").max(320).email("Enter an email address in the correct format"),
  role: z.enum(ROLES, { message: "Choose a role" }),
  temporaryPassword: z.string().min(12, "The temporary password must be at least 12 characters").max(1024),
});
const Deactivate = z.object({ intent: z.literal("deactivate"), membershipId: z.string().uuid() });

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const m = membershipOr404(user, params.slug ?? "");
  const post = await readFormPost(request, user);
  const { formData } = post;
  return once(post, async () => {
    try {
      if (formData.get("intent") === "deactivate") {
        const parsed = parseForm(formData, Deactivate);
        if (!parsed.ok) return formFailure(parsed);
        await deactivateMember(user, m.organisationId, parsed.data.membershipId, context?.requestId);
      } else {
        const parsed = parseForm(formData, AddMember);
        if (!parsed.ok) return formFailure(parsed);
        await addMember(user, m.organisationId, parsed.data, context?.requestId);
      }
    } catch (error) {
      return appErrorToForm(error, formData);
    }
    return redirect(`/organisations/${m.slug}`);
  });
}


export default function OrganisationPage() {
  const { organisation, canManage, members } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const errors = state?.errors ?? {};
  return (
    <>
      <Breadcrumbs items={[{ label: organisation.name, to: `/organisations/${organisation.slug}` }]} />
      <FormErrorSummary state={state} labels={{ name: "Name", email: "Email address", role: "Role", temporaryPassword: "Temporary password" }} />
      <h1>{organisation.name}</h1>
      <h2 className="nhsuk-heading-m">Members</h2>
      <table className="nhsuk-table app-table-compact">
        <caption className="nhsuk-u-visually-hidden">Members and their roles</caption>
        <thead className="nhsuk-table__head"><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Status</th>{canManage ? <th scope="col"><span className="nhsuk-u-visually-hidden">Actions</span></th> : null}</tr></thead>
        <tbody className="nhsuk-table__body">
          {members.map((p) => (
            <tr key={p.membershipId}>
              <td>{p.name}</td>
              <td>{p.email}</td>
              <td>{ROLE_NAMES[p.role]}</td>
              <td>{p.active ? "Active" : "Deactivated"}</td>
              {canManage ? (
                <td>
                  {p.active ? (
                    <Form method="post">
                      <FormProtection />
                      <input type="hidden" name="intent" value="deactivate" />
                      <input type="hidden" name="membershipId" value={p.membershipId} />
                      <button type="submit" className="nhsuk-button nhsuk-button--secondary nhsuk-button--small">Deactivate<span className="nhsuk-u-visually-hidden"> {p.name}</span></button>
                    </Form>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {canManage ? (
        <>
          <h2 className="nhsuk-heading-m">Add a member</h2>
          <Form method="post" noValidate>
            <FormProtection />
            <input type="hidden" name="intent" value="add" />
            <TextInput id={fieldId("name")} name="name" label="Name" defaultValue={state?.values?.name} error={errors.name} />
            <TextInput id={fieldId("email")} name="email" type="email" label="Email address" defaultValue={state?.values?.email} error={errors.email} />
            <Select id={fieldId("role")} name="role" label="Role" defaultValue={state?.values?.role ?? "viewer"} error={errors.role}>
              {ROLES.map((r) => <option key={r} value={r}>{ROLE_NAMES[r]}</option>)}
            </Select>
            <TextInput id={fieldId("temporaryPassword")} name="temporaryPassword" type="password" autoComplete="new-password" label="Temporary password" hint="At least 12 characters. Give it to the person securely." error={errors.temporaryPassword} />
            <Button type="submit">Add member</Button>
          </Form>
        </>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
