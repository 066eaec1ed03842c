// The hash chain: what an entry records, that verification recomputes it, and that tampering with
// one row (triggers switched off, as only someone with the database's owner rights could) is
// named exactly. Each tampering runs in a transaction that is rolled back, so the cases stay apart.
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { auditEntries, auditHeads } from "#db/schema/index.ts";
import { appendAudit, entryHash, GENESIS_HASH, verifyAllChains, verifyChain } from "#app/audit.server.ts";
import { canonicalJson, sha256Hex } from "#app/domain/canonical.ts";
import { closeTestDb, openTestDb, queryRows, type Db, actAsOwner } from "#tests/setup/test-db.ts";
import { organisationId } from "./helpers.ts";

let db: Db;
let org: string;
const actor = { userId: null, name: "Chain test", role: "cso" };

beforeAll(async () => {
  ({ db } = await openTestDb());
  org = await organisationId(db, "other-supplier");
  for (let i = 1; i <= 6; i++)
    await db.transaction((tx) =>
      appendAudit(tx, { organisationId: org, actor, action: "test.step", entityType: "hazard", entityId: `h-${i}`, changes: { step: i }, reason: `step ${i}`, requestId: `req-${i}` }),
    );
});
afterAll(closeTestDb);

class Rollback extends Error {}

/** Runs `tamper` with the read-only triggers off, verifies, and rolls everything back. */
async function verifyAfter(tamper: (tx: Db) => Promise<unknown>, batchSize?: number) {
  let report: Awaited<ReturnType<typeof verifyChain>> | undefined;
  await db
    .transaction(async (tx) => {
      await actAsOwner(tx); // the app role may not disable triggers
      await tx.execute(sql`alter table audit_entries disable trigger user`);
      await tamper(tx);
      report = await verifyChain(tx, org, batchSize);
      throw new Rollback();
    })
    .catch((e) => {
      if (!(e instanceof Rollback)) throw e;
    });
  return report!;
}

const setEntry = (sequence: number, change: (e: Record<string, unknown>) => Record<string, unknown>) => async (tx: Db) => {
  const [row] = await tx.select().from(auditEntries).where(and(eq(auditEntries.organisationId, org), eq(auditEntries.sequence, sequence)));
  await tx.update(auditEntries).set({ entry: change(row.entry) }).where(eq(auditEntries.id, row.id));
};

test("an entry records who, organisation, what, when (database time), why and the request, and its hash covers them", async () => {
  const [row] = await db.select().from(auditEntries).where(and(eq(auditEntries.organisationId, org), eq(auditEntries.sequence, 3)));
  expect(row.entry).toEqual({
    organisationId: org,
    sequence: 3,
    at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
    actor: { userId: null, name: "Chain test", role: "cso" },
    action: "test.step",
    entity: { type: "hazard", id: "h-3" },
    changes: { step: 3 },
    reason: "step 3",
    requestId: "req-3",
  });
  // The stored time is the hashed time, to the microsecond.
  const [{ at }] = await queryRows<{ at: string }>(db, sql`select to_char(created_at at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at from audit_entries where id = ${row.id}`);
  expect(at).toBe(row.entry.at);
  // SHA-256 of the previous hash followed by the canonical entry, written out independently.
  const [previous] = await db.select().from(auditEntries).where(and(eq(auditEntries.organisationId, org), eq(auditEntries.sequence, 2)));
  expect(row.previousHash).toBe(previous.hash);
  expect(row.hash).toBe(sha256Hex(previous.hash + canonicalJson(row.entry)));
  expect(entryHash(previous.hash, row.entry)).toBe(row.hash);
});

test("times rise with the sequence", async () => {
  const rows = await db.select().from(auditEntries).where(eq(auditEntries.organisationId, org)).orderBy(auditEntries.sequence);
  const times = rows.map((r) => String(r.entry.at));
  expect([...times].sort()).toEqual(times);
});

test("an untouched chain verifies, in batches smaller than the chain too", async () => {
  const [head] = await db.select().from(auditHeads).where(eq(auditHeads.organisationId, org));
  const expected = { ok: true, entries: 6, head: head.hash, firstBrokenAt: null, problem: null };
  expect(await verifyChain(db, org)).toEqual(expected);
  expect(await verifyChain(db, org, 4)).toEqual(expected);
  expect(await verifyChain(db, org, 1)).toEqual(expected);
});

test("an organisation with no entries has an empty, whole chain", async () => {
  expect(await verifyChain(db, await organisationId(db, "northcliff"))).toEqual({ ok: true, entries: 0, head: GENESIS_HASH, firstBrokenAt: null, problem: null });
});

test("changing one entry's content is named exactly", async () => {
  const report = await verifyAfter(setEntry(4, (e) => ({ ...e, reason: "a better story" })));
  expect(report).toMatchObject({ ok: false, firstBrokenAt: 4, entries: 3, problem: "its hash does not match its content" });
});

test.each([1, 2, 3])("in batches of %i (the next batch already asked for) the same entry is named", async (batchSize) => {
  const changed = await verifyAfter(setEntry(4, (e) => ({ ...e, reason: "a better story" })), batchSize);
  expect(changed).toMatchObject({ ok: false, firstBrokenAt: 4, entries: 3, problem: "its hash does not match its content" });
  const deleted = await verifyAfter((tx) => tx.delete(auditEntries).where(and(eq(auditEntries.organisationId, org), eq(auditEntries.sequence, 3))), batchSize);
  expect(deleted).toMatchObject({ ok: false, firstBrokenAt: 3, entries: 2, problem: expect.stringMatching(/^entry 3 is missing/) });
});

test("changing an entry and recomputing its hash breaks the next entry's link", async () => {
  const report = await verifyAfter(async (tx) => {
    const [row] = await tx.select().from(auditEntries).where(and(eq(auditEntries.organisationId, org), eq(auditEntries.sequence, 2)));
    const entry = { ...row.entry, changes: { step: 99 } };
    await tx.update(auditEntries).set({ entry, hash: entryHash(row.previousHash, entry) }).where(eq(auditEntries.id, row.id));
  });
  expect(report).toMatchObject({ ok: false, firstBrokenAt: 3, problem: expect.stringMatching(/previous-hash link/) });
});

test("deleting an entry is named by its missing sequence number", async () => {
  const report = await verifyAfter((tx) => tx.delete(auditEntries).where(and(eq(auditEntries.organisationId, org), eq(auditEntries.sequence, 5))));
  expect(report).toMatchObject({ ok: false, firstBrokenAt: 5, problem: "entry 5 is missing" });
});

test("deleting the last entry: the head no longer matches", async () => {
  const report = await verifyAfter((tx) => tx.delete(auditEntries).where(and(eq(auditEntries.organisationId, org), eq(auditEntries.sequence, 6))));
  expect(report).toMatchObject({ ok: false, firstBrokenAt: 6 });
});

test("a head that does not match the last entry is reported", async () => {
  const report = await verifyAfter((tx) => tx.update(auditHeads).set({ hash: "f".repeat(64) }).where(eq(auditHeads.organisationId, org)));
  expect(report).toMatchObject({ ok: false, firstBrokenAt: 6, problem: "the chain head does not match the last entry" });
});

test("moving an entry to another entity (the searchable column) is reported", async () => {
  const report = await verifyAfter(async (tx) => {
    await tx.update(auditEntries).set({ entityId: "h-elsewhere" }).where(and(eq(auditEntries.organisationId, org), eq(auditEntries.sequence, 2)));
  });
  expect(report).toMatchObject({ ok: false, firstBrokenAt: 2, problem: "its columns differ from its hashed content" });
});

test("changing the stored time is reported", async () => {
  const report = await verifyAfter((tx) => tx.update(auditEntries).set({ createdAt: sql`created_at - interval '1 hour'` }).where(and(eq(auditEntries.organisationId, org), eq(auditEntries.sequence, 1))));
  expect(report).toMatchObject({ ok: false, firstBrokenAt: 1 });
});

test("an entry slipped in beyond the head is reported", async () => {
  const report = await verifyAfter(async (tx) => {
    const [head] = await tx.select().from(auditHeads).where(eq(auditHeads.organisationId, org));
    const entry = { organisationId: org, sequence: 7, at: "2030-01-01T00:00:00.000000Z", actor, action: "forged", entity: { type: "hazard", id: null }, changes: null, reason: null, requestId: null };
    await tx.insert(auditEntries).values({ organisationId: org, sequence: 7, previousHash: head.hash, hash: entryHash(head.hash, entry), entry, entityType: "hazard", createdAt: new Date(entry.at) });
  });
  expect(report).toMatchObject({ ok: false, firstBrokenAt: 7, problem: "there are entries beyond the chain head" });
});

test("verifyAllChains reports every organisation, and the tampering above was rolled back", async () => {
  const all = await verifyAllChains(db);
  expect(all).toHaveLength(5);
  expect(all.every((r) => r.ok)).toBe(true);
  expect(all.find((r) => r.organisation.id === org)?.entries).toBe(6);
});
