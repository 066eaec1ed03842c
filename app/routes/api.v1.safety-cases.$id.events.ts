import type { ActionFunctionArgs } from "@remix-run/node";
import { handleApi, parseJsonBody, requireApiUser } from "#app/api.server.ts";
import { methodNotAllowed } from "#app/hazards.server.ts";
import { CaseEventInput, sendCaseEvent } from "#app/safety-cases.server.ts";

export async function loader() {
  return methodNotAllowed(["POST"]);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  return handleApi(async () => {
    const user = await requireApiUser(request);
    const input = await parseJsonBody(request, CaseEventInput);
    return sendCaseEvent(user, params.id ?? "", input, { requestId: context?.requestId ?? null, clientIp: context?.clientIp ?? "unknown" });
  });
}
