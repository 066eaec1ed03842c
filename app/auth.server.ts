// Sign-in, server-side sessions and the current user. The cookie holds a random session id; the
// database holds only its SHA-256, so a database read does not yield usable cookies.
import { createCookie, redirect } from "@remix-run/node";
import { and, eq, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { createHash, randomBytes } from "node:crypto";
import { memberships, organisations, sessions, users } from "#db/schema/index.ts";
import type { Db } from "#db/client.ts";
import type { Role } from "#db/schema/organisations";
import { setCaller } from "#db/request-scope.ts";
import { getDb } from "./db.server.ts";
import { prepared } from "./prepared.server.ts";
import { getEnv } from "./env.server.ts";
import { AppError } from "./errors.server.ts";
import { decoyHash, verifyPassword } from "./password.server.ts";
import { clearFailures, lockedForSeconds, recordFailure, throttleKey } from "./throttle.server.ts";

export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60_000;

export type MembershipInfo = { organisationId: string; organisationName: string; slug: string; kind: "icb" | "supplier" | "deployer"; role: Role };
export type SessionUser = { id: string; email: string; name: string; memberships: MembershipInfo[]; activeOrganisationId: string | null; sessionIdHash: string | null };

let cookie: ReturnType<typeof createCookie> | undefined;
function sessionCookie() {
  const env = getEnv();
  cookie ??= createCookie("__session", {
    httpOnly: true,
    sameSite: "lax",
    secure: env.isProduction,
    path: "/",
    secrets: [env.sessionSecret],
    maxAge: SESSION_ABSOLUTE_MS / 1000,
  });
  return cookie;
}

export const hashToken = (value: string) => createHash("sha256").update(value).digest("hex");

export async function loadMemberships(db: Db, userId: string): Promise<MembershipInfo[]> {
  const rows = await db
    .select({ organisationId: organisations.id, organisationName: organisations.name, slug: organisations.slug, kind: organisations.kind, role: memberships.role })
    .from(memberships)
    .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
    .where(and(eq(memberships.userId, userId), eq(memberships.active, true)))
    .orderBy(organisations.name);
  return rows;
}

/**
 * Checks email and password. Unknown email and wrong password answer the same (and cost the
 * same: a decoy hash is verified). Throttled per account and per client: 429 while locked.
 */
export async function authenticate(db: Db, email: string, password: string, clientIp: string) {
  const accountKey = throttleKey("account", email);
  const clientKey = throttleKey("client", clientIp);
  const wait = await lockedForSeconds(db, [accountKey, clientKey]);
  if (wait > 0) throw new AppError("too_many_requests", "Too many failed sign-in attempts. Try again later.", { retryAfterSeconds: wait });
  const [user] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase()));
  const ok = user ? user.active && (await verifyPassword(user.passwordHash, password)) : (await verifyPassword(await decoyHash(), password), false);
  if (!ok || !user) {
    await recordFailure(db, accountKey);
    await recordFailure(db, clientKey);
    throw new AppError("unauthorised", "Enter a correct email address and password");
  }
  await clearFailures(db, accountKey);
  return user;
}

/** A new session (a fresh id every sign-in: rotation); any session the request carried ends. */
export async function startSession(request: Request, userId: string): Promise<string> {
  const db = await getDb();
  const old = await readSessionId(request);
  if (old) await db.delete(sessions).where(eq(sessions.idHash, hashToken(old)));
  const id = randomBytes(32).toString("base64url");
  const now = Date.now();
  const [first] = await loadMemberships(db, userId);
  await db.insert(sessions).values({ idHash: hashToken(id), userId, expiresAt: new Date(now + SESSION_ABSOLUTE_MS), activeOrganisationId: first?.organisationId ?? null });
  return sessionCookie().serialize(id);
}

export async function endSession(request: Request): Promise<string> {
  const id = await readSessionId(request);
  if (id) await (await getDb()).delete(sessions).where(eq(sessions.idHash, hashToken(id)));
  return sessionCookie().serialize("", { maxAge: 0 });
}

async function readSessionId(request: Request): Promise<string | null> {
  const value = await sessionCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 0 ? value : null;
}

/** The hash of the request's session id, from the cookie alone (no database read, so it answers
 * while the embedded database's one connection is busy; the caller compares it with a hash it
 * took from an authenticated request). */
export async function sessionIdHashOf(request: Request): Promise<string | null> {
  const id = await readSessionId(request);
  return id ? hashToken(id) : null;
}

/** The user's active memberships as one JSON column (ordered as loadMemberships orders them), so
 * the session or token lookup and the memberships are one round trip. */
export function membershipsJson(userId: SQL | AnyPgColumn) {
  return sql<MembershipInfo[] | string>`coalesce((select json_agg(json_build_object('organisationId', o.id, 'organisationName', o.name, 'slug', o.slug, 'kind', o.kind, 'role', m.role) order by o.name)
    from ${memberships} m join ${organisations} o on o.id = m.organisation_id where m.user_id = ${userId} and m.active), '[]'::json)`;
}
/** Drivers differ on whether a json column arrives parsed. */
export const parseMemberships = (v: MembershipInfo[] | string): MembershipInfo[] => (typeof v === "string" ? (JSON.parse(v) as MembershipInfo[]) : v);

// A document request runs the root loader and the route's loader at once, both asking who the
// user is: lookups of one session already under way are shared (a lookup starting later reads
// afresh), so the page costs one session query, not two.
const inFlight = new Map<string, Promise<SessionUser | null>>();

/** The signed-in user of a browser request, or null (expired, idle too long, deactivated). */
export async function getSessionUser(request: Request): Promise<SessionUser | null> {
  const id = await readSessionId(request);
  if (!id) return null;
  const idHash = hashToken(id);
  const pending = inFlight.get(idHash);
  if (pending) return pending;
  const lookup = lookUpSession(idHash).finally(() => inFlight.delete(idHash));
  inFlight.set(idHash, lookup);
  return lookup;
}

async function lookUpSession(idHash: string): Promise<SessionUser | null> {
  const db = await getDb();
  const [row] = await prepared(db, "session_by_id_hash", (db) =>
    db
      .select({
        lastSeenAt: sessions.lastSeenAt, expiresAt: sessions.expiresAt, activeOrganisationId: sessions.activeOrganisationId,
        user: { id: users.id, email: users.email, name: users.name, active: users.active },
        memberships: membershipsJson(users.id),
      })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(eq(sessions.idHash, sql.placeholder("idHash")))
      .prepare("session_by_id_hash"),
  ).execute({ idHash });
  if (!row) return null;
  const now = Date.now();
  const idle = now - row.lastSeenAt.getTime() > SESSION_IDLE_MS;
  if (idle || row.expiresAt.getTime() <= now || !row.user.active) {
    await db.delete(sessions).where(eq(sessions.idHash, idHash));
    return null;
  }
  // Touch at most once a minute: keeps reads cheap while the idle timeout stays accurate enough.
  if (now - row.lastSeenAt.getTime() > 60_000) await db.update(sessions).set({ lastSeenAt: new Date(now) }).where(eq(sessions.idHash, idHash));
  const list = parseMemberships(row.memberships);
  const active = list.some((m) => m.organisationId === row.activeOrganisationId) ? row.activeOrganisationId : (list[0]?.organisationId ?? null);
  return { id: row.user.id, email: row.user.email, name: row.user.name, memberships: list, activeOrganisationId: active, sessionIdHash: idHash };
}

export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getSessionUser(request);
  if (user) return actingAsCaller(user);
  const url = new URL(request.url);
  const redirectTo = `${url.pathname}${url.search}`;
  throw redirect(redirectTo === "/" ? "/sign-in" : `/sign-in?redirectTo=${encodeURIComponent(redirectTo)}`);
}

/**
 * From here on the request's database queries run as this user's organisations (all of them, not
 * only the active one): row-level security, the second line behind permissions.ts (db/request-scope.ts).
 */
export function actingAsCaller(user: SessionUser): SessionUser {
  setCaller(user.memberships.map((m) => m.organisationId));
  return user;
}

export async function setActiveOrganisation(user: SessionUser, organisationId: string) {
  if (!user.sessionIdHash || !user.memberships.some((m) => m.organisationId === organisationId)) throw new AppError("not_found", "Organisation not found");
  await (await getDb()).update(sessions).set({ activeOrganisationId: organisationId }).where(eq(sessions.idHash, user.sessionIdHash));
}

/** Only same-site paths: an open redirect would let a phishing link bounce through us. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/") {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}
