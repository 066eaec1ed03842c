import type { LoaderFunctionArgs } from "@remix-run/node";
import { handleApi, requireApiUser } from "#app/api.server.ts";
import { exportLog, exportResponse, parseExportFormat } from "#app/hazard-export.server.ts";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const requestId = (context as { requestId?: string } | undefined)?.requestId ?? null;
  return handleApi(async () => {
    const user = await requireApiUser(request);
    const format = parseExportFormat(new URL(request.url).searchParams.get("format"));
    return exportResponse(await exportLog(user, params.id ?? "", format, requestId));
  });
}
