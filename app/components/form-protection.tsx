// The hidden fields every POST form carries: the session's CSRF token and this render's submission
// key (both from the root loader; see app/form-post.server.ts). Plain inputs, so forms work
// without JavaScript. Place it first in the form: an upload's fields then reach the server before
// its file.
import { useRouteLoaderData } from "@remix-run/react";

type RootForm = { form?: { token: string; key: string } | null };

export function FormProtection() {
  const form = useRouteLoaderData<RootForm>("root")?.form;
  if (!form) return null;
  return (
    <>
      <input type="hidden" name="_csrf" value={form.token} />
      <input type="hidden" name="_key" value={form.key} />
    </>
  );
}
