// The only way evidence bytes leave the server (API token or browser cookie alike): an attachment,
// never rendered or sniffed, after an integrity check; each download audited.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { handleApi, requireApiUser } from "#app/api.server.ts";
import { downloadEvidence } from "#app/evidence-download.server.ts";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  return handleApi(async () => downloadEvidence(await requireApiUser(request), params.id ?? "", context?.requestId ?? null));
}
