import type { ActionFunctionArgs } from "@remix-run/node";
import { handleApi, requireApiUser } from "#app/api.server.ts";
import { MAX_BYTES } from "#app/domain/spreadsheet.ts";
import { importFile } from "#app/hazard-import.server.ts";
import { methodNotAllowed } from "#app/hazards.server.ts";
import { readSpreadsheetUpload } from "#app/upload.server.ts";

export async function loader() {
  return methodNotAllowed(["POST"]);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const requestId = (context as { requestId?: string } | undefined)?.requestId ?? null;
  return handleApi(async () => {
    const user = await requireApiUser(request);
    return importFile(user, params.id ?? "", () => readSpreadsheetUpload(request, MAX_BYTES), requestId);
  });
}
