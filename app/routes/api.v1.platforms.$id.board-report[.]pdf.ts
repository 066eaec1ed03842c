// GET /api/v1/platforms/{id}/board-report.pdf: the ICB board assurance report across the readable logs.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { handleApi, requireApiUser } from "#app/api.server.ts";
import { methodNotAllowed } from "#app/hazards.server.ts";
import { boardReportResponse } from "#app/reports.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return handleApi(async () => boardReportResponse(await requireApiUser(request), params.id ?? "", new Date()));
}

export async function action() {
  return methodNotAllowed(["GET"]);
}
