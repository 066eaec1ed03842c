import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { endSession } from "#app/auth.server.ts";

// Sign-out ends the session in the database, not only in the browser.
export async function action({ request }: ActionFunctionArgs) {
  return redirect("/sign-in", { headers: { "Set-Cookie": await endSession(request) } });
}

export async function loader() {
  return redirect("/");
}
