import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Button, TextInput } from "nhsuk-react-components";
import { z } from "zod";
import { requireUser } from "#app/auth.server.ts";
import { Breadcrumbs } from "#app/components/breadcrumbs.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { FormErrorSummary, fieldId } from "#app/components/forms.tsx";
import { FormProtection } from "#app/components/form-protection.tsx";
import { once, readFormPost } from "#app/form-post.server.ts";
import { appErrorToForm, formFailure, parseForm } from "#app/forms.server.ts";
import { createToken, listTokens, revokeToken } from "#app/tokens.server.ts";

export const meta: MetaFunction = () => [{ title: "API tokens – Clinical safety workflow" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const tokens = await listTokens(user.id);
  return { tokens: tokens.map((t) => ({ ...t, createdAt: t.createdAt.toISOString(), expiresAt: t.expiresAt.toISOString(), revokedAt: t.revokedAt?.toISOString() ?? null })) };
}

const Create = z.object({ intent: z.literal("create"), name: z.string().trim().min(1, "Enter a name for the token").max(100, "Name must be 100 characters or fewer") });
const Revoke = z.object({ intent: z.literal("revoke"), tokenId: z.string().uuid() });

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const post = await readFormPost(request, user);
  const { formData } = post;
  // A repeated create answers without the token: its value was shown once, to the first post.
  return once(post, async () => {
    try {
      if (formData.get("intent") === "revoke") {
        const parsed = parseForm(formData, Revoke);
        if (!parsed.ok) return formFailure(parsed);
        await revokeToken(user.id, parsed.data.tokenId);
        return { ok: true as const, created: null };
      }
      const parsed = parseForm(formData, Create);
      if (!parsed.ok) return formFailure(parsed);
      return { ok: true as const, created: await createToken(user.id, parsed.data.name) };
    } catch (error) {
      return appErrorToForm(error, formData);
    }
  }, { replay: () => ({ ok: true, created: null, replayed: true }) });
}

const day = (iso: string) => new Date(iso).toISOString().slice(0, 10);

export default function Tokens() {
  const { tokens } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failure = result && !result.ok ? result : undefined;
  const created = result?.ok ? result.created : null;
  return (
    <>
      <Breadcrumbs items={[{ label: "API tokens", to: "/settings/tokens" }]} />
      <FormErrorSummary state={failure} labels={{ name: "Name" }} />
      <h1>API tokens</h1>
      <p>Tokens let a build pipeline or a script use the JSON API as you. They expire after 90 days. Revoke any you no longer use.</p>
      {result && "replayed" in result ? (
        <div className="nhsuk-inset-text" role="status">
          <p>Your first click already created this token, and its value was shown only then. If you did not copy it, revoke it below and create another.</p>
        </div>
      ) : null}
      {created ? (
        <div className="nhsuk-inset-text">
          <p>Copy this token now. It will not be shown again.</p>
          <p><code data-testid="new-token">{created.token}</code></p>
        </div>
      ) : null}
      <Form method="post" noValidate>
        <FormProtection />
        <input type="hidden" name="intent" value="create" />
        <TextInput id={fieldId("name")} name="name" label="Token name" hint="For example, the pipeline that will use it" error={failure?.errors?.name} />
        <Button type="submit">Create token</Button>
      </Form>
      <table className="nhsuk-table app-table-compact">
        <caption className="nhsuk-table__caption">Your tokens</caption>
        <thead className="nhsuk-table__head"><tr><th scope="col">Name</th><th scope="col">Created</th><th scope="col">Expires</th><th scope="col">Status</th><th scope="col"><span className="nhsuk-u-visually-hidden">Actions</span></th></tr></thead>
        <tbody className="nhsuk-table__body">
          {tokens.map((t) => (
            <tr key={t.id}>
              <td>{t.name}</td><td>{day(t.createdAt)}</td><td>{day(t.expiresAt)}</td>
              <td>{t.revokedAt ? "Revoked" : new Date(t.expiresAt) < new Date() ? "Expired" : "Active"}</td>
              <td>
                {!t.revokedAt ? (
                  <Form method="post">
                    <FormProtection />
                    <input type="hidden" name="intent" value="revoke" />
                    <input type="hidden" name="tokenId" value={t.id} />
                    <button type="submit" className="nhsuk-button nhsuk-button--secondary nhsuk-button--small">Revoke<span className="nhsuk-u-visually-hidden"> {t.name}</span></button>
                  </Form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
