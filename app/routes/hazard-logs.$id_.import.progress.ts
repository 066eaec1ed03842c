// Rows written so far by an import being confirmed, polled by the page while the transaction runs.
// Reads no database on purpose (the embedded database's one connection is busy with the import):
// the session cookie's hash must match the one that started the import.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { sessionIdHashOf } from "#app/auth.server.ts";
import { readProgress } from "#app/import-progress.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  const previewId = new URL(request.url).searchParams.get("preview") ?? "";
  const progress = readProgress(previewId, await sessionIdHashOf(request));
  const headers = { "Cache-Control": "no-store" };
  if (!progress) return Response.json({ error: { code: "not_found", message: "No import in progress" } }, { status: 404, headers });
  return Response.json(progress, { headers });
}
