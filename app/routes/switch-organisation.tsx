import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { z } from "zod";
import { requireUser, setActiveOrganisation } from "#app/auth.server.ts";
import { AppError } from "#app/errors.server.ts";
import { readFormPost } from "#app/form-post.server.ts";

const SwitchForm = z.object({ organisationId: z.string().uuid() });

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  // Same origin and the session's token; choosing the same organisation twice is harmless (no key).
  const { formData } = await readFormPost(request, user);
  const parsed = SwitchForm.safeParse(Object.fromEntries(formData));
  if (!parsed.success) throw new Response("Choose an organisation", { status: 400 });
  try {
    await setActiveOrganisation(user, parsed.data.organisationId);
  } catch (error) {
    if (error instanceof AppError) throw new Response(error.message, { status: error.status });
    throw error;
  }
  return redirect("/");
}

export async function loader() {
  return redirect("/");
}
