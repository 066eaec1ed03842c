// The JSON API's plumbing: who is calling (bearer token, or the browser session with a same-origin
// check), JSON bodies parsed with zod, and errors in the contract's shape. Never a stack trace.
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { z } from "zod";
import { apiTokens, users } from "#db/schema/index.ts";
import { actingAsCaller, getSessionUser, hashToken, membershipsJson, parseMemberships, type SessionUser } from "./auth.server.ts";
import { getDb } from "./db.server.ts";
import { AppError, fieldErrors } from "./errors.server.ts";
import { prepared } from "./prepared.server.ts";
import { nulFields } from "./domain/text-input.ts";

export function errorResponse(error: AppError): Response {
  const body: Record<string, unknown> = { code: error.code, message: error.message };
  if (error.extra.fields) body.fields = error.extra.fields;
  if (error.extra.current !== undefined) body.current = error.extra.current;
  if (error.extra.rows) body.rows = error.extra.rows;
  const headers: Record<string, string> = {};
  if (error.extra.retryAfterSeconds) headers["Retry-After"] = String(error.extra.retryAfterSeconds);
  return Response.json({ error: body }, { status: error.status, headers });
}

/** JSON with its length: the answer leaves in one write, not chunked with a closing chunk of its own. */
function jsonResponse(result: unknown, status: number): Response {
  return jsonBytesResponse(jsonBytes(result), status);
}

/** A result as the API sends it (kept so by app/hazard-list.server.ts: serialised once per revision). */
export function jsonBytes(result: unknown): Buffer<ArrayBuffer> {
  return Buffer.from(JSON.stringify(result));
}

export function jsonBytesResponse(body: Buffer<ArrayBuffer>, status = 200): Response {
  return new Response(body, { status, headers: { "Content-Type": "application/json", "Content-Length": String(body.byteLength) } });
}

/** Runs an API handler: its result becomes JSON; an AppError its status; anything else a bare 500. */
export async function handleApi(run: () => Promise<unknown>, status = 200): Promise<Response> {
  try {
    const result = await run();
    return result instanceof Response ? result : jsonResponse(result, status);
  } catch (error) {
    if (error instanceof AppError) return errorResponse(error);
    if (error instanceof Response) return error;
    console.error(error);
    return Response.json({ error: { code: "internal", message: "Something went wrong on our side. Nothing was changed." } }, { status: 500 });
  }
}

/** State-changing calls made with the browser's cookie must come from our own origin. */
export function isSameOrigin(request: Request): boolean {
  const origin = request.headers.get("Origin");
  const url = new URL(request.url);
  const host = request.headers.get("X-Forwarded-Host") ?? request.headers.get("Host") ?? url.host;
  if (!origin) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

export async function requireApiUser(request: Request): Promise<SessionUser> {
  const auth = request.headers.get("Authorization");
  if (auth) {
    const match = /^Bearer\s+(\S+)$/i.exec(auth);
    if (!match) throw new AppError("unauthorised", "Authorization header must be 'Bearer <token>'");
    const db = await getDb();
    const [row] = await prepared(db, "api_token_user", (db) =>
      db
        .select({ user: { id: users.id, email: users.email, name: users.name }, memberships: membershipsJson(users.id) })
        .from(apiTokens)
        .innerJoin(users, eq(users.id, apiTokens.userId))
        .where(and(eq(apiTokens.tokenHash, sql.placeholder("tokenHash")), isNull(apiTokens.revokedAt), gt(apiTokens.expiresAt, sql.placeholder("now")), eq(users.active, true)))
        .prepare("api_token_user"),
    ).execute({ tokenHash: hashToken(match[1]), now: new Date().toISOString() });
    if (!row) throw new AppError("unauthorised", "The token is unknown, expired or revoked");
    const memberships = parseMemberships(row.memberships);
    return actingAsCaller({ id: row.user.id, email: row.user.email, name: row.user.name, memberships, activeOrganisationId: memberships[0]?.organisationId ?? null, sessionIdHash: null });
  }
  const user = await getSessionUser(request);
  if (!user) throw new AppError("unauthorised", "Sign in or send a bearer token");
  if (!["GET", "HEAD"].includes(request.method) && !isSameOrigin(request))
    throw new AppError("forbidden", "Cross-origin requests with a session cookie are refused");
  return actingAsCaller(user);
}

export const MAX_JSON_BYTES = 1_000_000;

/** Reads a JSON body (at most 1 MB) and parses it with a strict zod schema: 400 per field. */
export async function parseJsonBody<T extends z.ZodType>(request: Request, schema: T): Promise<z.infer<T>> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!type.toLowerCase().includes("application/json")) throw new AppError("bad_request", "Send a JSON body with Content-Type: application/json");
  const text = await request.text();
  if (text.length > MAX_JSON_BYTES) throw new AppError("too_large", "The request body is larger than 1 MB");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "The request body is not valid JSON");
  }
  const nul = nulFields(body);
  if (Object.keys(nul).length) throw new AppError("bad_request", "Some fields are not valid", { fields: nul });
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new AppError("bad_request", "Some fields are not valid", { fields: fieldErrors(parsed.error.issues) });
  return parsed.data;
}

export function methodNotAllowed(allow: string[]): Response {
  return Response.json(
    { error: { code: "method_not_allowed", message: `Use ${allow.join(" or ")} on this path` } },
    { status: 405, headers: { Allow: allow.join(", ") } },
  );
}

type PostArgs = { request: Request; params: Record<string, string | undefined>; context?: { requestId?: string; clientIp?: string } };
type Run<T extends z.ZodType> = (user: SessionUser, id: string, body: z.infer<T>, ctx: { requestId: string | null; clientIp: string }) => Promise<unknown>;

/**
 * A POST-only JSON route about one object (`params.id`): authenticate (bearer, or cookie with the
 * same-origin check), parse the body strictly, run the service; GET and other methods answer 405.
 */
export function jsonPostRoute<T extends z.ZodType>(schema: T, run: Run<T>, status = 200) {
  return {
    loader: async () => methodNotAllowed(["POST"]),
    action: async ({ request, params, context }: PostArgs) => {
      if (request.method !== "POST") return methodNotAllowed(["POST"]);
      return handleApi(async () => {
        const user = await requireApiUser(request);
        const body = await parseJsonBody(request, schema);
        return run(user, params.id ?? "", body, { requestId: context?.requestId ?? null, clientIp: context?.clientIp ?? "unknown" });
      }, status);
    },
  };
}
