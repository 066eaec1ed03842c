// The audit trail: every state-changing action appends an entry in the same transaction as the
// change. One hash chain per organisation; the chain head's row lock serialises its writers so
// concurrent writers never fork it. Entries are append-only (database triggers, migration 0002).
import { asc, eq, max, sql } from "drizzle-orm";
import { isEmbedded, type Db } from "#db/client.ts";
import { auditEntries, auditHeads, organisations } from "#db/schema/index.ts";
import { canonicalJson, sha256Hex } from "./domain/canonical.ts";
import { insertRows } from "./bulk-insert.server.ts";

export const GENESIS_HASH = "0".repeat(64);

export type AuditInput = {
  organisationId: string;
  /** Who: always from the server's session, never from a form. `name` is copied so a later rename never changes history. */
  actor: { userId: string | null; name: string | null; role?: string | null };
  action: string;
  entityType: string;
  entityId?: string | null;
  changes?: unknown;
  reason?: string | null;
  requestId?: string | null;
};

/** The hashed content of one entry: exactly what `entry` holds in the row. */
export type AuditEntry = {
  organisationId: string;
  sequence: number;
  at: string;
  actor: AuditInput["actor"];
  action: string;
  entity: { type: string; id: string | null };
  changes: unknown;
  reason: string | null;
  requestId: string | null;
};

export function entryHash(previousHash: string, entry: unknown) {
  return sha256Hex(previousHash + canonicalJson(entry));
}

/** The database clock as ISO 8601 UTC with microseconds: parses back into timestamptz exactly. */
const isoUtc = (column: unknown) => sql<string>`to_char(${column} at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * Appends one entry to the organisation's chain. Call it with the transaction that makes the change.
 *
 * The head row is bumped with `UPDATE … RETURNING`: that takes its row lock (a second writer waits
 * here until the first commits, so the chain never forks) and returns the previous hash. The time is
 * `clock_timestamp()` read in that RETURNING, i.e. after the lock is held, so times rise with the
 * sequence even when transactions started in another order. It is formatted to microseconds in the
 * database, hashed as that text, and stored in `created_at` from the same text, so the hash covers
 * the time actually stored (verifyChain checks the two agree).
 */
export async function appendAudit(tx: Db, input: AuditInput) {
  const [appended] = await appendAuditBatch(tx, [input]);
  return appended;
}

/**
 * Appends several entries to one organisation's chain, in the order given, as appendAudit would one
 * after another: the head lock is taken once (`sequence + n`), the entries get consecutive
 * sequences and hashes chained in order, and share the time read under the lock. The rows are
 * written with multi-row INSERTs, then the head gets the last hash.
 */
export async function appendAuditBatch(tx: Db, inputs: AuditInput[]) {
  if (inputs.length === 0) return [];
  const organisationId = inputs[0].organisationId;
  if (inputs.some((i) => i.organisationId !== organisationId)) throw new Error("appendAuditBatch: every entry of a batch belongs to the same organisation's chain");
  await tx.insert(auditHeads).values({ organisationId, sequence: 0, hash: GENESIS_HASH }).onConflictDoNothing();
  const [head] = await tx
    .update(auditHeads)
    .set({ sequence: sql`${auditHeads.sequence} + ${inputs.length}::bigint` })
    .where(eq(auditHeads.organisationId, organisationId))
    .returning({ sequence: auditHeads.sequence, previousHash: auditHeads.hash, at: isoUtc(sql`clock_timestamp()`) });
  const firstSequence = Number(head.sequence) - inputs.length + 1;
  let previousHash = head.previousHash;
  const rows = inputs.map((input, k) => {
    const sequence = firstSequence + k;
    const entry: AuditEntry = {
      organisationId,
      sequence,
      at: head.at,
      actor: { userId: input.actor.userId, name: input.actor.name, role: input.actor.role ?? null },
      action: input.action,
      entity: { type: input.entityType, id: input.entityId ?? null },
      changes: input.changes ?? null,
      reason: input.reason ?? null,
      requestId: input.requestId ?? null,
    };
    const hash = entryHash(previousHash, entry);
    // created_at from the same text as the hashed `at` (timestamptz input of it, as before).
    const row = { organisationId, sequence, previousHash, hash, entry, entityType: entry.entity.type, entityId: entry.entity.id, createdAt: head.at };
    previousHash = hash;
    return row;
  });
  for (let i = 0; i < rows.length; i += AUDIT_CHUNK) await insertRows(tx, auditEntries, rows.slice(i, i + AUDIT_CHUNK) as never[]);
  await tx.update(auditHeads).set({ hash: previousHash }).where(eq(auditHeads.organisationId, organisationId));
  return rows.map((r) => ({ sequence: r.sequence, hash: r.hash, at: head.at }));
}

const AUDIT_CHUNK = 500;

export type ChainReport = {
  ok: boolean;
  /** Entries checked: those up to the head as read when verification started. */
  entries: number;
  /** The hash of the last entry checked (the genesis hash for an empty chain). */
  head: string;
  /** Sequence number of the first entry that is wrong or missing; null when the chain is whole. */
  firstBrokenAt: number | null;
  /** What is wrong there, in words; null when the chain is whole. */
  problem: string | null;
};

/** One stored entry as verification reads it: the driver's values, no ORM mapping (500,000 rows in the benchmark). */
type Row = { sequence: number | string | bigint; previousHash: string; hash: string; entry: Record<string, unknown>; entityType: string; entityId: string | null; at: string };

/** Why this row is not the entry the chain expects next, or null when it is. */
function checkEntry(organisationId: string, expectedSequence: number, previousHash: string, r: Row): string | null {
  const sequence = Number(r.sequence);
  if (sequence !== expectedSequence) return `entry ${expectedSequence} is missing`;
  if (r.previousHash !== previousHash) return "its previous-hash link does not match the entry before it";
  if (entryHash(previousHash, r.entry) !== r.hash) return "its hash does not match its content";
  const e = r.entry as Partial<AuditEntry>;
  // The searchable columns are copies of hashed fields: a copy that differs could hide an entry from a trail.
  if (e.organisationId !== organisationId || e.sequence !== sequence || e.at !== r.at || e.entity?.type !== r.entityType || (e.entity?.id ?? null) !== r.entityId)
    return "its columns differ from its hashed content";
  return null;
}

/**
 * The entries `from`..`to` of one chain, in sequence order. PostgreSQL sends them as rows. PGlite
 * as one JSON array: its protocol parsing in JavaScript costs about as much per field as the
 * hashing does per entry, and one field parsed by JSON.parse is much cheaper (on PostgreSQL the
 * aggregate costs the server more than it saves here). Both give the jsonb entry as JSON.parse reads it.
 */
async function readEntries(db: Db, organisationId: string, from: number, to: number): Promise<Row[]> {
  const inChain = sql`organisation_id = ${organisationId} and sequence between ${from} and ${to}`;
  const at = isoUtc(auditEntries.createdAt);
  if (isEmbedded(db)) {
    const result = await db.execute(sql`
      select coalesce(json_agg(json_build_array(sequence, previous_hash, hash, entry, entity_type, entity_id, ${at}) order by sequence), '[]') as rows
      from ${auditEntries} where ${inChain}`);
    const [{ rows }] = (result as unknown as { rows: { rows: [number, string, string, Record<string, unknown>, string, string | null, string][] }[] }).rows;
    return rows.map(([sequence, previousHash, hash, entry, entityType, entityId, at]) => ({ sequence, previousHash, hash, entry, entityType, entityId, at }));
  }
  const result = await db.execute(sql`
    select sequence, previous_hash as "previousHash", hash, entry, entity_type as "entityType", entity_id as "entityId", ${at} as at
    from ${auditEntries} where ${inChain}
    order by sequence`);
  return result as unknown as Row[]; // postgres.js answers the rows themselves
}

/**
 * Recomputes an organisation's chain in sequence order, `batchSize` rows at a time (memory stays
 * flat for any length), up to the head as read first, so writers appending meanwhile never make a
 * whole chain look broken. Reports the first entry whose hash, link or sequence is wrong, a head
 * that does not match the last entry, and entries beyond the head.
 */
export async function verifyChain(db: Db, organisationId: string, batchSize = 5000): Promise<ChainReport> {
  const [headRow] = await db.select().from(auditHeads).where(eq(auditHeads.organisationId, organisationId));
  const head = headRow ? { sequence: Number(headRow.sequence), hash: headRow.hash } : { sequence: 0, hash: GENESIS_HASH };
  let previous = GENESIS_HASH;
  let checked = 0;
  const broken = (at: number, problem: string): ChainReport => ({ ok: false, entries: checked, head: previous, firstBrokenAt: at, problem });

  // Batches are sequence ranges, not LIMITs: each reads at most `batchSize` index entries whatever
  // plan the database picks (a stale-statistics sort of the whole chain per batch made PGlite
  // quadratic). A sequence missing inside a range shows up as the next row not being the one expected.
  // The next batch is asked for before this one is hashed, so on PostgreSQL the server reads it
  // while this process hashes (two cores busy instead of one at a time).
  const batch = (from: number) => readEntries(db, organisationId, from, Math.min(from + batchSize - 1, head.sequence));
  let next = head.sequence >= 1 ? batch(1) : null;
  try {
    for (let from = 1; next; from += batchSize) {
      const rows = await next;
      next = from + batchSize <= head.sequence ? batch(from + batchSize) : null;
      for (const r of rows) {
        const problem = checkEntry(organisationId, checked + 1, previous, r);
        if (problem) return broken(checked + 1, problem);
        previous = r.hash;
        checked++;
      }
      if (checked < Math.min(from + batchSize - 1, head.sequence)) break;
    }
  } finally {
    // A batch read ahead of a broken entry is not needed; its outcome must not go unhandled.
    await next?.catch(() => undefined);
  }
  if (checked < head.sequence) return broken(checked + 1, `entry ${checked + 1} is missing (the head is at ${head.sequence})`);
  if (previous !== head.hash) return broken(head.sequence, "the chain head does not match the last entry");
  // The last entry first, then the head again: a legitimate entry commits together with its head
  // update, so an entry beyond the head read afterwards was inserted around appendAudit.
  const [{ last }] = await db.select({ last: max(auditEntries.sequence) }).from(auditEntries).where(eq(auditEntries.organisationId, organisationId));
  const [nowHead] = await db.select({ sequence: auditHeads.sequence }).from(auditHeads).where(eq(auditHeads.organisationId, organisationId));
  if (last !== null && Number(last) > Number(nowHead?.sequence ?? 0)) return broken(Number(nowHead?.sequence ?? 0) + 1, "there are entries beyond the chain head");
  return { ok: true, entries: checked, head: previous, firstBrokenAt: null, problem: null };
}

/** Every organisation's chain (for `npm run audit:verify`), in name order. */
export async function verifyAllChains(db: Db): Promise<(ChainReport & { organisation: { id: string; name: string } })[]> {
  const orgs = await db.select({ id: organisations.id, name: organisations.name }).from(organisations).orderBy(asc(organisations.name));
  const out = [];
  for (const organisation of orgs) out.push({ organisation, ...(await verifyChain(db, organisation.id)) });
  return out;
}
