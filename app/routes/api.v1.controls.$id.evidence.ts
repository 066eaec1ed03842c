// GET: the control's evidence items. POST (multipart `file`, `description`, optional `requestId`,
// `link`): upload one file, streamed and checked (413 too large, 415 refused type) → 201.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handleApi, requireApiUser } from "#app/api.server.ts";
import { uploadEvidence } from "#app/evidence.server.ts";
import { listControlEvidence } from "#app/evidence-views.server.ts";
import { methodNotAllowed } from "#app/hazards.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return handleApi(async () => listControlEvidence(await requireApiUser(request), params.id ?? ""));
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  return handleApi(async () => uploadEvidence(await requireApiUser(request), params.id ?? "", request, context?.requestId ?? null), 201);
}
