// GET /api/v1/hazard-logs/{id}/report.pdf[?baseline=<version>]: the hazard log report, current or a frozen version.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { handleApi, requireApiUser } from "#app/api.server.ts";
import { methodNotAllowed } from "#app/hazards.server.ts";
import { hazardLogReportResponse } from "#app/reports.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const baseline = new URL(request.url).searchParams.get("baseline");
  return handleApi(async () => hazardLogReportResponse(await requireApiUser(request), params.id ?? "", baseline, new Date()));
}

export async function action() {
  return methodNotAllowed(["GET"]);
}
