import type { ActionFunctionArgs } from "@remix-run/node";
import { handleApi, parseJsonBody, requireApiUser } from "#app/api.server.ts";
import { methodNotAllowed } from "#app/hazards.server.ts";
import { AcceptUpstream, acceptUpstream } from "#app/upstream.server.ts";

export async function loader() {
  return methodNotAllowed(["POST"]);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  return handleApi(async () => {
    const user = await requireApiUser(request);
    return acceptUpstream(user, params.id ?? "", await parseJsonBody(request, AcceptUpstream), context?.requestId ?? null);
  });
}
