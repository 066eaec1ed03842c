// GET /api/v1/safety-cases/{id}/report.pdf: the Clinical Safety Case Report (contract §4).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { handleApi, requireApiUser } from "#app/api.server.ts";
import { methodNotAllowed } from "#app/hazards.server.ts";
import { safetyCaseReportResponse } from "#app/reports.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return handleApi(async () => safetyCaseReportResponse(await requireApiUser(request), params.id ?? "", new Date()));
}

export async function action() {
  return methodNotAllowed(["GET"]);
}
