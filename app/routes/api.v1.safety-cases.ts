import type { ActionFunctionArgs } from "@remix-run/node";
import { handleApi, parseJsonBody, requireApiUser } from "#app/api.server.ts";
import { methodNotAllowed } from "#app/hazards.server.ts";
import { createSafetyCase, NewSafetyCase } from "#app/safety-cases.server.ts";

export async function loader() {
  return methodNotAllowed(["POST"]);
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  return handleApi(async () => {
    const user = await requireApiUser(request);
    return createSafetyCase(user, await parseJsonBody(request, NewSafetyCase), context?.requestId ?? null);
  }, 201);
}
