import type { LoaderFunctionArgs } from "@remix-run/node";
import { handleApi, requireApiUser } from "#app/api.server.ts";
import { methodNotAllowed } from "#app/hazards.server.ts";
import { platformRollup } from "#app/rollup.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return handleApi(async () => platformRollup(await requireApiUser(request), params.id ?? ""));
}

export async function action() {
  return methodNotAllowed(["GET"]);
}
