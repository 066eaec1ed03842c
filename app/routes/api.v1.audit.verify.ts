// GET /api/v1/audit/verify[?organisationId=]: recompute one organisation's audit chain (contract §4).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { handleApi, requireApiUser } from "#app/api.server.ts";
import { verifyForUser } from "#app/audit-trail.server.ts";
import { getDb } from "#app/db.server.ts";
import { isUuid } from "#app/domain/ids.ts";
import { AppError, fieldErrors } from "#app/errors.server.ts";

const Query = z.object({ organisationId: z.string().refine(isUuid, "must be an organisation id").optional() });

export async function loader({ request }: LoaderFunctionArgs) {
  return handleApi(async () => {
    const user = await requireApiUser(request);
    const parsed = Query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success) throw new AppError("bad_request", "Some query parameters are not valid", { fields: fieldErrors(parsed.error.issues) });
    return verifyForUser(await getDb(), user, parsed.data.organisationId);
  });
}
