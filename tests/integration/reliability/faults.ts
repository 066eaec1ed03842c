// Fault injection without test hooks in the app: a statement-level trigger that raises on every
// INSERT, UPDATE or DELETE of one table, installed in the test database and dropped again, and a
// fingerprint of every table (row count and a hash of its content) to prove a refused operation
// left nothing behind.
import { sql } from "drizzle-orm";
import type { Db } from "#db/client.ts";
import { verifyAllChains } from "#app/audit.server.ts";
import { actAsOwner, queryRows } from "#tests/setup/test-db.ts";

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Every table of the application (schema public). */
export async function appTables(db: Db): Promise<string[]> {
  const rows = await queryRows<{ name: string }>(db, sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`);
  return rows.map((r) => r.name);
}

export type Fingerprint = Record<string, { rows: number; hash: string }>;

/** Row count and an order-independent hash of every row of every table. */
export async function fingerprint(db: Db, tables: string[]): Promise<Fingerprint> {
  const out: Fingerprint = {};
  for (const table of tables) {
    const [row] = await queryRows<{ n: number; h: string }>(
      db,
      sql.raw(`select count(*)::int as n, md5(coalesce(string_agg(md5(t::text), '' order by md5(t::text)), '')) as h from ${ident(table)} t`),
    );
    out[table] = { rows: Number(row.n), hash: row.h };
  }
  return out;
}

/** Tables whose rows differ, and how many records that is at least (count difference, or 1 for a changed row). */
export function differences(before: Fingerprint, after: Fingerprint, ignore: readonly string[] = []): { tables: string[]; records: number } {
  const tables = Object.keys(before).filter((t) => !ignore.includes(t) && (before[t].rows !== after[t]?.rows || before[t].hash !== after[t]?.hash));
  const records = tables.reduce((n, t) => n + Math.max(1, Math.abs(before[t].rows - (after[t]?.rows ?? 0))), 0);
  return { tables, records };
}

/** DDL needs the tables' owner: the test database, like the app, runs as the row-level-security role. */
async function asOwner(db: Db, statement: string): Promise<void> {
  await db.transaction(async (tx) => {
    await actAsOwner(tx);
    await tx.execute(sql.raw(statement));
  });
}

export async function installFaultFunction(db: Db): Promise<void> {
  await asOwner(
    db,
    `create or replace function test_injected_fault() returns trigger language plpgsql as $$
      begin raise exception 'injected fault: % on %', tg_op, tg_table_name; end $$`,
  );
}

/** From now on every INSERT, UPDATE or DELETE on `table` fails (until removeFault). */
export async function injectFault(db: Db, table: string, when?: string): Promise<void> {
  // With a condition: only the rows it picks out fail (a fault part-way through an operation,
  // after its first writes to the same table succeeded).
  await asOwner(
    db,
    when
      ? `create trigger test_injected_fault before insert or update on ${ident(table)} for each row when (${when}) execute function test_injected_fault()`
      : `create trigger test_injected_fault before insert or update or delete on ${ident(table)} for each statement execute function test_injected_fault()`,
  );
}

export async function removeFault(db: Db, table: string): Promise<void> {
  await asOwner(db, `drop trigger if exists test_injected_fault on ${ident(table)}`);
}

/** Every organisation's chain verifies; returns the total number of entries. */
export async function chainsVerify(db: Db): Promise<{ ok: boolean; entries: number; broken: string[] }> {
  const chains = await verifyAllChains(db);
  return { ok: chains.every((c) => c.ok), entries: chains.reduce((n, c) => n + c.entries, 0), broken: chains.filter((c) => !c.ok).map((c) => c.organisation.name) };
}
