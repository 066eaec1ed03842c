import type { LoaderFunctionArgs } from "@remix-run/node";
import { handleApi, requireApiUser } from "#app/api.server.ts";
import { methodNotAllowed } from "#app/hazards.server.ts";
import { getSafetyCase } from "#app/safety-case-view.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return handleApi(async () => getSafetyCase(await requireApiUser(request), params.id ?? ""));
}

export async function action() {
  return methodNotAllowed(["GET"]);
}
