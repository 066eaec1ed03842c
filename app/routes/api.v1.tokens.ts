import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { handleApi, parseJsonBody } from "#app/api.server.ts";
import { authenticate } from "#app/auth.server.ts";
import { getDb } from "#app/db.server.ts";
import { AppError } from "#app/errors.server.ts";
import { createToken } from "#app/tokens.server.ts";

const TokenRequest = z.object({ email: z.string().trim().max(320), password: z.string().max(1024), name: z.string().trim().min(1).max(100).optional() }).strict();

export async function action({ request, context }: ActionFunctionArgs) {
  return handleApi(async () => {
    if (request.method !== "POST") throw new AppError("not_found", "Not found");
    const body = await parseJsonBody(request, TokenRequest);
    const user = await authenticate(await getDb(), body.email, body.password, context?.clientIp ?? "unknown");
    return Response.json(await createToken(user.id, body.name ?? "API token"), { status: 201 });
  });
}

export async function loader() {
  return Response.json({ error: { code: "not_allowed", message: "Use POST to create a token" } }, { status: 405, headers: { Allow: "POST" } });
}
