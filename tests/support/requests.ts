// Real Request objects for calling loaders and actions directly, as Remix would.
import { eq } from "drizzle-orm";
import type { Db } from "#db/client.ts";
import { users } from "#db/schema/index.ts";
import { createToken } from "#app/tokens.server.ts";
import { loadMemberships, type SessionUser } from "#app/auth.server.ts";
import { runInRequestScope } from "#db/request-scope.ts";

export const BASE = "http://app.test";
export const context = (clientIp = "10.0.0.1") => ({ cspNonce: "n", requestId: "test-request", clientIp });

export function formRequest(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return new Request(`${BASE}${path}`, { method: "POST", body: new URLSearchParams(fields), headers: { Origin: BASE, ...headers } });
}

export function jsonRequest(path: string, method: string, body: unknown, headers: Record<string, string> = {}) {
  return new Request(`${BASE}${path}`, { method, body: JSON.stringify(body), headers: { "Content-Type": "application/json", ...headers } });
}

export function getRequest(path: string, headers: Record<string, string> = {}) {
  return new Request(`${BASE}${path}`, { headers });
}

/** The "name=value" part of a Set-Cookie header, for the next request's Cookie header. */
export function cookieFrom(response: Response): string {
  const setCookie = response.headers.get("Set-Cookie") ?? "";
  return setCookie.split(";")[0];
}

export async function userId(db: Db, email: string) {
  const [u] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (!u) throw new Error(`No demo user ${email}`);
  return u.id;
}

export async function bearer(db: Db, email: string) {
  const { token } = await createToken(await userId(db, email), "test");
  return { Authorization: `Bearer ${token}` };
}

/**
 * Loaders and actions may throw a Response (redirects, 404s): return it either way. Runs in a
 * request scope, as server/start.js does, so requireUser / requireApiUser set the caller and the
 * queries run under row-level security.
 */
export async function settle(run: () => Promise<unknown>): Promise<Response> {
  try {
    const result = await runInRequestScope(run);
    if (result instanceof Response) return result;
    const maybeData = result as { init?: { status?: number }; data?: unknown; type?: string };
    if (maybeData && maybeData.type === "DataWithResponseInit") return Response.json(maybeData.data, { status: maybeData.init?.status ?? 200 });
    return Response.json(result);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** A demo account as the services see it after sign-in (its active memberships; first one active). */
export async function sessionUserFor(db: Db, email: string): Promise<SessionUser> {
  const [u] = await db.select().from(users).where(eq(users.email, email));
  if (!u) throw new Error(`No demo user ${email}`);
  const memberships = await loadMemberships(db, u.id);
  return { id: u.id, email, name: u.name, memberships, activeOrganisationId: memberships[0]?.organisationId ?? null, sessionIdHash: null };
}
