import type { LoaderFunctionArgs } from "@remix-run/node";
import { handleApi, requireApiUser } from "#app/api.server.ts";
import { listReadableLogs } from "#app/hazard-logs.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  return handleApi(async () => ({ items: await listReadableLogs(await requireApiUser(request)) }));
}
