// The upload step for the browser's progress bar (XMLHttpRequest reports upload progress; a Remix
// form post cannot): parses and plans the file, answers { previewId } or the API's error shape.
// Without JavaScript the page's own form posts to the page action instead.
import type { ActionFunctionArgs } from "@remix-run/node";
import { handleApi, requireApiUser } from "#app/api.server.ts";
import { MAX_BYTES } from "#app/domain/spreadsheet.ts";
import { previewImport } from "#app/hazard-import.server.ts";
import { methodNotAllowed } from "#app/hazards.server.ts";
import { readSpreadsheetUpload } from "#app/upload.server.ts";

export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  return handleApi(async () => {
    const user = await requireApiUser(request); // the session cookie, with the same-origin check
    const preview = await previewImport(user, params.id ?? "", () => readSpreadsheetUpload(request, MAX_BYTES));
    return { previewId: preview.id, summary: preview.summary };
  });
}
