// The requesting CSO's decision on one item: `{ decision: "accept" }` or `{ decision: "reject", reason }`.
import type { ActionFunctionArgs } from "@remix-run/node";
import { handleApi, parseJsonBody, requireApiUser } from "#app/api.server.ts";
import { ReviewInput, reviewEvidence } from "#app/evidence.server.ts";
import { methodNotAllowed } from "#app/hazards.server.ts";

export async function loader() {
  return methodNotAllowed(["POST"]);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  return handleApi(async () => {
    const user = await requireApiUser(request);
    return reviewEvidence(user, params.id ?? "", await parseJsonBody(request, ReviewInput), context?.requestId ?? null);
  });
}
