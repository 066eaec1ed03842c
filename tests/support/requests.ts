// Real Request objects for calling loaders and actions directly, as Remix would.
import { eq } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import type { Db } from "#db/client.ts";
import { users } from "#db/schema/index.ts";
import { createToken } from "#app/tokens.server.ts";
import { hashToken, loadMemberships, type SessionUser } from "#app/auth.server.ts";
import { runInRequestScope } from "#db/request-scope.ts";
import { csrfToken } from "#app/form-post.server.ts";

export const BASE = "http://app.test";
export const context = (clientIp = "10.0.0.1") => ({ cspNonce: "n", requestId: "test-request", clientIp });

/** The session id inside a `__session=…` cookie (Remix's signed cookie: base64 JSON, then ".signature"). */
export function sessionIdOf(cookie: string | undefined | null): string | null {
  const match = /(?:^|;\s*)__session=([^;]+)/.exec(cookie ?? "");
  if (!match) return null;
  const value = decodeURIComponent(match[1]);
  const data = value.slice(0, value.lastIndexOf("."));
  try {
    const id = JSON.parse(Buffer.from(data, "base64").toString("utf8")) as unknown;
    return typeof id === "string" && id ? id : null;
  } catch {
    return null;
  }
}

/** The CSRF token a page would give the session of `cookie` (null without a session). */
export function csrfFor(cookie: string | undefined | null): string | null {
  const id = sessionIdOf(cookie);
  return id ? csrfToken(hashToken(id)) : null;
}

/** A fresh submission key, as each form render carries. */
export const newKey = () => randomUUID();

/**
 * The hidden fields every form sends: the session's CSRF token (when the cookie has a session)
 * and a fresh submission key. `csrf: false` / `key: false` leave one out; a string sends that value.
 */
export function protection(cookie: string | undefined | null, opts: { csrf?: boolean | string; key?: boolean | string } = {}): Record<string, string> {
  const out: Record<string, string> = {};
  const token = typeof opts.csrf === "string" ? opts.csrf : opts.csrf === false ? null : csrfFor(cookie);
  if (token) out._csrf = token;
  const key = typeof opts.key === "string" ? opts.key : opts.key === false ? null : newKey();
  if (key) out._key = key;
  return out;
}

export type FormOptions = { csrf?: boolean | string; key?: boolean | string };

/** A same-origin form post; with a Cookie header it carries that session's token and a fresh key unless told otherwise. */
export function formRequest(path: string, fields: Record<string, string>, headers: Record<string, string> = {}, opts: FormOptions = {}) {
  const body = new URLSearchParams({ ...protection(headers.Cookie, opts), ...fields });
  return new Request(`${BASE}${path}`, { method: "POST", body, headers: { Origin: BASE, ...headers } });
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
