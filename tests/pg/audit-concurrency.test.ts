// PostgreSQL only (several connections): 50 writers appending to one organisation's chain at once,
// starting from no chain head at all, never fork it: sequences 1..50 without gaps or duplicates,
// every link intact, times rising with the sequence, and verification whole.
import { drizzle } from "drizzle-orm/postgres-js";
import { asc, eq } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Db } from "#db/client.ts";
import * as schema from "#db/schema/index.ts";
import { appendAudit, GENESIS_HASH, verifyChain } from "#app/audit.server.ts";
import { closeTestDb, currentTestDbUrl, openTestDb } from "#tests/setup/test-db.ts";
import { organisationId } from "../integration/audit/helpers.ts";

let db: Db;
let pool: postgres.Sql;
let pooled: Db;

beforeAll(async () => {
  ({ db } = await openTestDb());
  const url = currentTestDbUrl();
  if (!url) throw new Error("tests/pg need DATABASE_URL=postgres://… (npm run test:pg)");
  pool = postgres(url, { max: 20, onnotice: () => {} });
  pooled = drizzle(pool, { casing: "snake_case", schema }) as unknown as Db;
});
afterAll(async () => {
  await pool?.end();
  await closeTestDb();
});

test("50 concurrent writers over 20 connections never fork one chain", async () => {
  const org = await organisationId(db, "northcliff"); // no chain yet: the head row itself is raced for
  const WRITERS = 50;
  const results = await Promise.all(
    Array.from({ length: WRITERS }, (_, i) =>
      pooled.transaction(async (tx) => {
        const appended = await appendAudit(tx, { organisationId: org, actor: { userId: null, name: `writer ${i}` }, action: "test.concurrent", entityType: "hazard_log", changes: { writer: i } });
        await tx.execute("select pg_sleep(0.005)"); // hold the head lock a moment, as a real change would
        return appended;
      }),
    ),
  );
  expect(results.map((r) => r.sequence).sort((a, b) => a - b)).toEqual(Array.from({ length: WRITERS }, (_, i) => i + 1));

  const rows = await db.select().from(schema.auditEntries).where(eq(schema.auditEntries.organisationId, org)).orderBy(asc(schema.auditEntries.sequence));
  expect(rows.map((r) => r.sequence)).toEqual(Array.from({ length: WRITERS }, (_, i) => i + 1));
  expect(new Set(rows.map((r) => (r.entry.changes as { writer: number }).writer)).size).toBe(WRITERS);
  rows.forEach((r, i) => expect(r.previousHash).toBe(i === 0 ? GENESIS_HASH : rows[i - 1].hash));
  const times = rows.map((r) => String(r.entry.at));
  expect([...times].sort()).toEqual(times);

  expect(await verifyChain(db, org)).toEqual({ ok: true, entries: WRITERS, head: rows.at(-1)!.hash, firstBrokenAt: null, problem: null });
});

test("a verification running while writers append still finds the chain whole", async () => {
  const org = await organisationId(db, "harbourside");
  const writers = Array.from({ length: 40 }, (_, i) =>
    pooled.transaction((tx) => appendAudit(tx, { organisationId: org, actor: { userId: null, name: "w" }, action: "test.concurrent", entityType: "hazard_log", changes: { i } })),
  );
  const checks = Array.from({ length: 5 }, () => verifyChain(pooled, org, 3));
  const reports = await Promise.all([...checks, ...writers]);
  for (const report of reports.slice(0, 5)) expect(report).toMatchObject({ ok: true, firstBrokenAt: null });
  expect(await verifyChain(db, org)).toMatchObject({ ok: true, entries: 40 });
});
