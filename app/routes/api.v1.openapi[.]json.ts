import "#app/openapi-safety-cases.ts";
import "#app/openapi-audit.ts";
import "#app/openapi-hazards.ts";
import "#app/openapi-reports.ts";
import "#app/openapi-imports.ts";
import "#app/openapi-evidence.ts";
import { openApiDocument } from "#app/openapi.ts";

export async function loader() {
  return Response.json(openApiDocument);
}
