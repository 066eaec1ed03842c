// A CSO asks an organisation for evidence of a control: `{ fromOrganisationId, description, dueDate? }` → 201.
import type { ActionFunctionArgs } from "@remix-run/node";
import { handleApi, parseJsonBody, requireApiUser } from "#app/api.server.ts";
import { createEvidenceRequest, EvidenceRequestInput } from "#app/evidence.server.ts";
import { methodNotAllowed } from "#app/hazards.server.ts";

export async function loader() {
  return methodNotAllowed(["POST"]);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  return handleApi(async () => {
    const user = await requireApiUser(request);
    const row = await createEvidenceRequest(user, params.id ?? "", await parseJsonBody(request, EvidenceRequestInput), context?.requestId ?? null);
    return { id: row.id, controlId: row.controlId, fromOrganisationId: row.fromOrganisationId, description: row.description, dueDate: row.dueDate, state: row.state };
  }, 201);
}
