import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { sessions, signInThrottle } from "#db/schema/index.ts";
import { closeTestDb, openTestDb, type Db } from "#tests/setup/test-db.ts";
import { BASE, context, cookieFrom, formRequest, getRequest, settle, userId } from "#tests/support/requests.ts";
import { action as signIn } from "#app/routes/sign-in.tsx";
import { action as signOut } from "#app/routes/sign-out.tsx";
import { loader as home } from "#app/routes/_index.tsx";
import { THROTTLE } from "#app/throttle.server.ts";

let db: Db;
beforeAll(async () => ({ db } = await openTestDb()));
afterAll(closeTestDb);

const attempt = (email: string, password: string, ip = "10.0.0.1", cookie?: string) =>
  settle(() => signIn({ request: formRequest("/sign-in", { email, password, redirectTo: "/" }, cookie ? { Cookie: cookie } : {}), params: {}, context: context(ip) } as never));

test("a correct password signs in with an HttpOnly, SameSite=Lax cookie and opens the home page", async () => {
  const response = await attempt("cso@icb.example", "demo-password", "10.1.0.1");
  expect(response.status).toBe(302);
  expect(response.headers.get("Location")).toBe("/");
  const setCookie = response.headers.get("Set-Cookie") ?? "";
  expect(setCookie).toMatch(/HttpOnly/i);
  expect(setCookie).toMatch(/SameSite=Lax/i);
  const page = await settle(() => home({ request: getRequest("/", { Cookie: cookieFrom(response) }), params: {}, context: context() } as never));
  expect(page.status).toBe(200);
  const body = await page.json();
  expect(body.name).toBe("Dr Amara Okafor");
});

test("unknown email and wrong password give the same answer", async () => {
  const unknown = await attempt("nobody@icb.example", "demo-password", "10.2.0.1");
  const wrong = await attempt("approver@icb.example", "not-the-password", "10.2.0.2");
  expect(unknown.status).toBe(401);
  expect(wrong.status).toBe(401);
  expect(await unknown.json()).toEqual({ ...(await wrong.json()), values: expect.anything() });
  expect(unknown.headers.get("Set-Cookie")).toBeNull();
});

test("repeated failures lock the account (429) even with the right password, from any client", async () => {
  for (let i = 0; i < THROTTLE.maxFailures.account; i++) expect((await attempt("auditor@icb.example", `wrong-${i}`, `10.3.0.${i}`)).status).toBe(401);
  const locked = await attempt("auditor@icb.example", "demo-password", "10.3.1.1");
  expect(locked.status).toBe(429);
  await db.delete(signInThrottle);
  expect((await attempt("auditor@icb.example", "demo-password", "10.3.1.1")).status).toBe(302);
});

test("repeated failures from one client lock that client across accounts", async () => {
  for (let i = 0; i < THROTTLE.maxFailures.client; i++) await attempt(`guess-${i}@icb.example`, "x", "10.4.0.1");
  expect((await attempt("cso@supplier.example", "demo-password", "10.4.0.1")).status).toBe(429);
  expect((await attempt("cso@supplier.example", "demo-password", "10.4.0.2")).status).toBe(302);
  await db.delete(signInThrottle);
});

test("signing in again rotates the session id and ends the old session", async () => {
  const first = await attempt("cso@harbourside.example", "demo-password", "10.5.0.1");
  const second = await attempt("cso@harbourside.example", "demo-password", "10.5.0.1", cookieFrom(first));
  expect(cookieFrom(second)).not.toBe(cookieFrom(first));
  const old = await settle(() => home({ request: getRequest("/", { Cookie: cookieFrom(first) }), params: {}, context: context() } as never));
  expect(old.status).toBe(302);
  expect(old.headers.get("Location")).toBe("/sign-in");
});

test("sign-out ends the session on the server, so the old cookie no longer works", async () => {
  const signedIn = await attempt("cso@northcliff.example", "demo-password", "10.6.0.1");
  const cookie = cookieFrom(signedIn);
  const before = await db.select().from(sessions);
  // Without the session's token (a forged post from another page) nothing ends.
  const forged = await settle(() => signOut({ request: new Request(`${BASE}/sign-out`, { method: "POST", headers: { Cookie: cookie, Origin: BASE } }), params: {}, context: context() } as never));
  expect(forged.status).toBe(403);
  expect((await db.select().from(sessions)).length).toBe(before.length);
  const out = await settle(() => signOut({ request: formRequest("/sign-out", {}, { Cookie: cookie }), params: {}, context: context() } as never));
  expect(out.status).toBe(302);
  const after = await db.select().from(sessions);
  expect(after.length).toBe(before.length - 1);
  const page = await settle(() => home({ request: getRequest("/", { Cookie: cookie }), params: {}, context: context() } as never));
  expect(page.status).toBe(302);
});

test("an idle session (over 30 minutes) is refused", async () => {
  const signedIn = await attempt("engineer@supplier.example", "demo-password", "10.7.0.1");
  await db.update(sessions).set({ lastSeenAt: new Date(Date.now() - 31 * 60_000) }).where(eq(sessions.userId, await userId(db, "engineer@supplier.example")));
  const page = await settle(() => home({ request: getRequest("/", { Cookie: cookieFrom(signedIn) }), params: {}, context: context() } as never));
  expect(page.status).toBe(302);
});

test("bad form input answers 400 with a message per field", async () => {
  const response = await attempt("not-an-email", "");
  expect(response.status).toBe(400);
  const body = await response.json();
  expect(body.errors.email).toMatch(/correct format/);
  expect(body.errors.password).toMatch(/Enter your password/);
  expect(body.values.email).toBe("not-an-email");
});
