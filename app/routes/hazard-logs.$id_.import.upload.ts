// The upload step for the browser's progress bar (XMLHttpRequest reports upload progress; a Remix
// form post cannot): parses and plans the file, answers { previewId } or the API's error shape.
// Without JavaScript the page's own form posts to the page action instead.
import type { ActionFunctionArgs } from "@remix-run/node";
import { createHash } from "node:crypto";
import { handleApi, requireApiUser } from "#app/api.server.ts";
import { MAX_BYTES } from "#app/domain/spreadsheet.ts";
import { MultipartGuard, Replayed } from "#app/form-post.server.ts";
import { previewImport } from "#app/hazard-import.server.ts";
import { methodNotAllowed } from "#app/hazards.server.ts";
import { readSpreadsheetUpload } from "#app/upload.server.ts";

export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  let guard: MultipartGuard | undefined;
  const response = await handleApi(async () => {
    const user = await requireApiUser(request); // the session cookie, with the same-origin check
    // With the cookie: the session's token (header X-CSRF-Token, or the form's field) and the
    // form's submission key, checked before the preview is stored. A bearer token needs neither.
    const g = (guard = new MultipartGuard(request, user));
    if (user.sessionIdHash && request.headers.get("X-CSRF-Token")) g.checkFields({});
    try {
      const preview = await previewImport(user, params.id ?? "", async () => {
        const upload = await readSpreadsheetUpload(request, MAX_BYTES);
        const fields = upload.fields ?? {};
        g.checkFields(fields);
        await g.claim(fields, { sha256: createHash("sha256").update(upload.bytes).digest("hex") });
        return upload;
      });
      return { previewId: preview.id, summary: preview.summary };
    } catch (error) {
      if (error instanceof Replayed) return error.response;
      throw error;
    }
  });
  if (response.status < 400) await guard?.settle(response);
  else await guard?.release();
  return response;
}
