import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useSearchParams } from "@remix-run/react";
import { Button, TextInput } from "nhsuk-react-components";
import { z } from "zod";
import { authenticate, getSessionUser, safeRedirect, startSession } from "#app/auth.server.ts";
import { FormErrorSummary, fieldId } from "#app/components/forms.tsx";
import { getDb } from "#app/db.server.ts";
import { requireSameOrigin } from "#app/form-post.server.ts";
import { appErrorToForm, formFailure, parseForm } from "#app/forms.server.ts";

export const meta: MetaFunction = () => [{ title: "Sign in – Clinical safety workflow" }];

const SignInForm = z.object({
  email: z.string().trim().min(1, "Enter your email address").max(320, "Enter a shorter email address").email("Enter an email address in the correct format, like name@example.org"),
  password: z.string().min(1, "Enter your password").max(1024, "Enter a shorter password"),
  redirectTo: z.string().optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getSessionUser(request)) throw redirect("/");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  // Sign-in has no session yet, so no session token to check: the Origin (or Referer) check alone
  // stops another site signing a browser into an account of its choosing (login CSRF). The
  // session cookie is SameSite=Lax and a new session id is issued here, so nothing carries over.
  requireSameOrigin(request);
  const formData = await request.formData();
  const parsed = parseForm(formData, SignInForm);
  if (!parsed.ok) return formFailure(parsed);
  try {
    const user = await authenticate(await getDb(), parsed.data.email, parsed.data.password, context?.clientIp ?? "unknown");
    const cookie = await startSession(request, user.id);
    return redirect(safeRedirect(parsed.data.redirectTo), { headers: { "Set-Cookie": cookie } });
  } catch (error) {
    return appErrorToForm(error, formData);
  }
}

export default function SignIn() {
  const state = useActionData<typeof action>();
  const [params] = useSearchParams();
  const errors = state?.errors ?? {};
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-one-half">
        <FormErrorSummary state={state} />
        <h1>Sign in</h1>
        <p>Use the email address and password for your clinical safety account.</p>
        <Form method="post" noValidate>
          <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
          <TextInput id={fieldId("email")} name="email" type="email" autoComplete="username" label="Email address" defaultValue={state?.values?.email} error={errors.email} spellCheck={false} />
          <TextInput id={fieldId("password")} name="password" type="password" autoComplete="current-password" label="Password" error={errors.password} />
          <Button type="submit">Sign in</Button>
        </Form>
      </div>
    </div>
  );
}
