// The audit trail: every state-changing action appends an entry in the same transaction as the
// change. One hash chain per organisation; the chain head's row lock serialises its writers so
// concurrent writers never fork it. Entries are append-only (database triggers).
import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.ts";
import { auditEntries, auditHeads } from "#db/schema/index.ts";
import { canonicalJson, sha256Hex } from "./domain/canonical.ts";

export const GENESIS_HASH = "0".repeat(64);

export type AuditInput = {
  organisationId: string;
  actor: { userId: string | null; name?: string | null; role?: string | null };
  action: string;
  entityType: string;
  entityId?: string | null;
  changes?: unknown;
  reason?: string | null;
  requestId?: string | null;
};

export function entryHash(previousHash: string, entry: unknown) {
  return sha256Hex(previousHash + canonicalJson(entry));
}

export async function appendAudit(tx: Db, input: AuditInput) {
  await tx.insert(auditHeads).values({ organisationId: input.organisationId, sequence: 0, hash: GENESIS_HASH }).onConflictDoNothing();
  const [locked] = await tx
    .select({ head: auditHeads, now: sql<string>`to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` })
    .from(auditHeads)
    .where(eq(auditHeads.organisationId, input.organisationId))
    .for("update");
  const sequence = Number(locked.head.sequence) + 1;
  const entry = {
    organisationId: input.organisationId,
    sequence,
    at: locked.now,
    actor: input.actor,
    action: input.action,
    entity: { type: input.entityType, id: input.entityId ?? null },
    changes: input.changes ?? null,
    reason: input.reason ?? null,
    requestId: input.requestId ?? null,
  };
  const hash = entryHash(locked.head.hash, entry);
  await tx.insert(auditEntries).values({
    organisationId: input.organisationId, sequence, previousHash: locked.head.hash, hash, entry,
    entityType: input.entityType, entityId: input.entityId ?? null, createdAt: new Date(locked.now),
  });
  await tx.update(auditHeads).set({ sequence, hash }).where(eq(auditHeads.organisationId, input.organisationId));
  return { sequence, hash };
}

/** Recomputes an organisation's chain; reports the first entry whose hash or link is wrong. */
export async function verifyChain(db: Db, organisationId: string, batchSize = 5000) {
  let previous = GENESIS_HASH;
  let entries = 0;
  let firstBrokenAt: number | null = null;
  for (let after = 0; ; ) {
    const rows = await db
      .select({ sequence: auditEntries.sequence, previousHash: auditEntries.previousHash, hash: auditEntries.hash, entry: auditEntries.entry })
      .from(auditEntries)
      .where(sql`${auditEntries.organisationId} = ${organisationId} and ${auditEntries.sequence} > ${after}`)
      .orderBy(asc(auditEntries.sequence))
      .limit(batchSize);
    for (const r of rows) {
      entries++;
      const expectedSequence = entries;
      if (firstBrokenAt === null && (r.sequence !== expectedSequence || r.previousHash !== previous || entryHash(previous, r.entry) !== r.hash)) firstBrokenAt = r.sequence;
      previous = r.hash;
    }
    if (rows.length < batchSize) break;
    after = rows[rows.length - 1].sequence;
  }
  return { ok: firstBrokenAt === null, entries, head: previous, firstBrokenAt };
}
