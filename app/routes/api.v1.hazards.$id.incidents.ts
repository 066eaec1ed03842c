import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handleApi, parseJsonBody, requireApiUser } from "#app/api.server.ts";
import { methodNotAllowed } from "#app/hazards.server.ts";
import { incidentsFor, NewIncident, recordIncident } from "#app/incidents.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return handleApi(async () => incidentsFor(await requireApiUser(request), params.id ?? ""));
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  return handleApi(async () => {
    const user = await requireApiUser(request);
    const created = await recordIncident(user, params.id ?? "", await parseJsonBody(request, NewIncident), context?.requestId ?? null);
    return { id: created.id, hazardId: created.hazardId, kind: created.kind, occurredOn: created.occurredOn, recordedAt: created.createdAt.toISOString() };
  }, 201);
}
