import type { LoaderFunctionArgs } from "@remix-run/node";
import { handleApi, requireApiUser } from "#app/api.server.ts";
import { methodNotAllowed } from "#app/hazards.server.ts";
import { parseRollupPaging } from "#app/rollup-paging.server.ts";
import { platformRollup } from "#app/rollup.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return handleApi(async () => {
    const user = await requireApiUser(request);
    const { limit, offset, nextCursor } = parseRollupPaging(new URL(request.url).searchParams);
    const rollup = await platformRollup(user, params.id ?? "", { limit, offset });
    return { ...rollup, nextCursor: nextCursor(rollup.total) };
  });
}

export async function action() {
  return methodNotAllowed(["GET"]);
}
