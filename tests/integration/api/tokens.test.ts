import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { apiTokens, signInThrottle } from "#db/schema/index.ts";
import { closeTestDb, openTestDb, type Db } from "#tests/setup/test-db.ts";
import { context, getRequest, jsonRequest, settle, userId } from "#tests/support/requests.ts";
import { action as tokens } from "#app/routes/api.v1.tokens.ts";
import { loader as me } from "#app/routes/api.v1.me.ts";
import { revokeToken } from "#app/tokens.server.ts";

let db: Db;
beforeAll(async () => ({ db } = await openTestDb()));
afterAll(closeTestDb);

const createToken = (body: unknown, ip = "10.9.0.1") => settle(() => tokens({ request: jsonRequest("/api/v1/tokens", "POST", body), params: {}, context: context(ip) } as never));
const whoAmI = (token: string) => settle(() => me({ request: getRequest("/api/v1/me", { Authorization: `Bearer ${token}` }), params: {}, context: context() } as never));

test("a token is created with the right credentials, works as a bearer and is stored only hashed", async () => {
  const response = await createToken({ email: "cso@supplier.example", password: "demo-password", name: "pipeline" });
  expect(response.status).toBe(201);
  const { token, expiresAt } = await response.json();
  expect(new Date(expiresAt).getTime()).toBeGreaterThan(Date.now() + 80 * 86_400_000);
  const stored = await db.select().from(apiTokens).where(eq(apiTokens.name, "pipeline"));
  expect(stored).toHaveLength(1);
  expect(stored[0].tokenHash).not.toContain(token);
  const answer = await whoAmI(token);
  expect(answer.status).toBe(200);
  expect(await answer.json()).toMatchObject({ user: { email: "cso@supplier.example" }, memberships: [{ organisation: { name: "Acme Health Systems Ltd", kind: "supplier" }, role: "cso" }] });
});

test("wrong and unknown credentials answer 401 with the same body", async () => {
  const wrong = await createToken({ email: "cso@supplier.example", password: "nope" }, "10.9.1.1");
  const unknown = await createToken({ email: "ghost@supplier.example", password: "nope" }, "10.9.1.2");
  expect(wrong.status).toBe(401);
  expect(unknown.status).toBe(401);
  expect(await wrong.json()).toEqual(await unknown.json());
});

test("repeated failures answer 429", async () => {
  let last = 0;
  for (let i = 0; i < 7; i++) last = (await createToken({ email: "approver@icb.example", password: `x${i}` }, `10.9.2.${i}`)).status;
  expect(last).toBe(429);
  await db.delete(signInThrottle);
});

test("a revoked or expired token is refused with 401", async () => {
  const { token } = await (await createToken({ email: "cso@icb.example", password: "demo-password", name: "to-revoke" })).json();
  const [row] = await db.select().from(apiTokens).where(eq(apiTokens.name, "to-revoke"));
  await revokeToken(await userId(db, "cso@icb.example"), row.id);
  expect((await whoAmI(token)).status).toBe(401);

  const { token: old } = await (await createToken({ email: "cso@icb.example", password: "demo-password", name: "expired" })).json();
  await db.update(apiTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiTokens.name, "expired"));
  expect((await whoAmI(old)).status).toBe(401);
});

test("bad bodies answer 400 with per-field messages, never 500", async () => {
  const missing = await createToken({ email: "cso@icb.example" });
  expect(missing.status).toBe(400);
  expect((await missing.json()).error.fields.password).toBeTruthy();
  const extra = await createToken({ email: "a@b.example", password: "x", admin: true });
  expect(extra.status).toBe(400);
  const notJson = await settle(() => tokens({ request: new Request("http://app.test/api/v1/tokens", { method: "POST", body: "{", headers: { "Content-Type": "application/json" } }), params: {}, context: context() } as never));
  expect(notJson.status).toBe(400);
});

test("no credentials answers 401 in the contract's error shape", async () => {
  const response = await settle(() => me({ request: getRequest("/api/v1/me"), params: {}, context: context() } as never));
  expect(response.status).toBe(401);
  expect(await response.json()).toMatchObject({ error: { code: "unauthorised", message: expect.any(String) } });
});
