import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { endSession, sessionIdHashOf } from "#app/auth.server.ts";
import { readFormPost } from "#app/form-post.server.ts";

// Sign-out ends the session in the database, not only in the browser. Another site may not sign a
// user out: same origin and the session's token (from the cookie alone, so a session that has
// already expired can still be signed out of). Ending a session twice is harmless: no key needed.
export async function action({ request }: ActionFunctionArgs) {
  const sessionIdHash = await sessionIdHashOf(request);
  if (sessionIdHash) await readFormPost(request, { id: "", sessionIdHash });
  return redirect("/sign-in", { headers: { "Set-Cookie": await endSession(request) } });
}

export async function loader() {
  return redirect("/");
}
