import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handleApi, parseJsonBody, requireApiUser } from "#app/api.server.ts";
import { getHazard, HazardPatch, methodNotAllowed, updateHazard } from "#app/hazards.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return handleApi(async () => getHazard(await requireApiUser(request), params.id ?? ""));
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "PATCH") return methodNotAllowed(["GET", "PATCH"]);
  const requestId = (context as { requestId?: string } | undefined)?.requestId ?? null;
  return handleApi(async () => {
    const user = await requireApiUser(request);
    return updateHazard(user, params.id ?? "", await parseJsonBody(request, HazardPatch), requestId);
  });
}
