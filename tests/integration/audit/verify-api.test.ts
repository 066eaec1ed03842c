// GET /api/v1/audit/verify (contract §4): the caller's organisation's chain, recomputed.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { appendAudit } from "#app/audit.server.ts";
import { closeTestDb, openTestDb, type Db, actAsOwner } from "#tests/setup/test-db.ts";
import { bearer } from "#tests/support/requests.ts";
import { callVerify, organisationId } from "./helpers.ts";

let db: Db;
let icb: string;

beforeAll(async () => {
  ({ db } = await openTestDb());
  icb = await organisationId(db, "wessex-coast-icb");
  for (let i = 0; i < 3; i++)
    await db.transaction((tx) => appendAudit(tx, { organisationId: icb, actor: { userId: null, name: "Test" }, action: "test.step", entityType: "hazard_log", changes: { i } }));
});
afterAll(closeTestDb);

test("200 with { ok, entries, head, firstBrokenAt } for the caller's organisation", async () => {
  const res = await callVerify(await bearer(db, "auditor@icb.example"));
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({
    organisation: { id: icb, name: "NHS Wessex Coast ICB" },
    ok: true,
    entries: 3,
    head: expect.stringMatching(/^[0-9a-f]{64}$/),
    firstBrokenAt: null,
    problem: null,
  });
});

test("401 without authentication, in the API's error shape", async () => {
  const res = await callVerify({});
  expect(res.status).toBe(401);
  expect(await res.json()).toEqual({ error: { code: "unauthorised", message: expect.any(String) } });
});

test("a broken chain still answers 200, with ok false and the entry named", async () => {
  await db.transaction(async (tx) => {
    await actAsOwner(tx); // the app role may not disable triggers
    await tx.execute(sql`alter table audit_entries disable trigger user`);
    await tx.execute(sql`update audit_entries set entry = jsonb_set(entry, '{reason}', '"rewritten"') where organisation_id = ${icb} and sequence = 2`);
    await tx.execute(sql`alter table audit_entries enable trigger user`);
  });
  const res = await callVerify(await bearer(db, "cso@icb.example"));
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ ok: false, entries: 1, firstBrokenAt: 2 });
});

test("?organisationId= picks another of the caller's organisations; others answer 404", async () => {
  const consultant = await bearer(db, "consultant@wessex.example"); // a viewer at both trusts
  const northcliff = await organisationId(db, "northcliff");
  const res = await callVerify(consultant, `?organisationId=${northcliff}`);
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ organisation: { id: northcliff }, ok: true, entries: 0 });
  expect((await callVerify(consultant, `?organisationId=${icb}`)).status).toBe(404);
  expect((await callVerify(consultant, "?organisationId=nonsense")).status).toBe(400);
});

test("403 for a role that may not read the audit trail", async () => {
  const res = await callVerify(await bearer(db, "engineer@supplier.example"));
  expect(res.status).toBe(403);
  expect((await res.json()).error.code).toBe("forbidden");
});
