// A CSO asks an organisation for evidence of a control: `{ fromOrganisationId, description, dueDate? }` → 201.
import { jsonPostRoute } from "#app/api.server.ts";
import { createEvidenceRequest, EvidenceRequestInput } from "#app/evidence.server.ts";

const route = jsonPostRoute(EvidenceRequestInput, async (user, id, body, ctx) => {
  const row = await createEvidenceRequest(user, id, body, ctx.requestId);
  return { id: row.id, controlId: row.controlId, fromOrganisationId: row.fromOrganisationId, description: row.description, dueDate: row.dueDate, state: row.state };
}, 201);
export const loader = route.loader;
export const action = route.action;
