import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handleApi, jsonBytesResponse, parseJsonBody, requireApiUser } from "#app/api.server.ts";
import { createHazard, HazardInput, methodNotAllowed } from "#app/hazards.server.ts";
import { listHazardsJson } from "#app/hazard-list.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return handleApi(async () => jsonBytesResponse(await listHazardsJson(await requireApiUser(request), params.id ?? "", new URL(request.url).searchParams)));
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  const requestId = (context as { requestId?: string } | undefined)?.requestId ?? null;
  return handleApi(async () => {
    const user = await requireApiUser(request);
    return createHazard(user, params.id ?? "", await parseJsonBody(request, HazardInput), requestId);
  }, 201);
}
