import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handleApi, parseJsonBody, requireApiUser } from "#app/api.server.ts";
import { methodNotAllowed } from "#app/hazards.server.ts";
import { getLogIssue, LogIssueEventInput, sendLogIssueEvent } from "#app/log-issues.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return handleApi(async () => getLogIssue(await requireApiUser(request), params.id ?? ""));
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  return handleApi(async () => {
    const user = await requireApiUser(request);
    return sendLogIssueEvent(user, params.id ?? "", await parseJsonBody(request, LogIssueEventInput), context?.requestId ?? null);
  });
}
