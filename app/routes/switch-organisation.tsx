import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { z } from "zod";
import { requireUser, setActiveOrganisation } from "#app/auth.server.ts";
import { AppError } from "#app/errors.server.ts";

const SwitchForm = z.object({ organisationId: z.string().uuid() });

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = SwitchForm.safeParse(Object.fromEntries(await request.formData()));
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
