// "Nothing was written": every table's row count and every organisation's audit chain head.
import { sql } from "drizzle-orm";
import type { Db } from "#db/client.ts";

const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as T[];

export async function dbSnapshot(db: Db): Promise<Record<string, string>> {
  const tables = rowsOf<{ table_name: string }>(await db.execute(sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`));
  const out: Record<string, string> = {};
  for (const { table_name } of tables) {
    const [row] = rowsOf<{ n: string }>(await db.execute(sql.raw(`select count(*)::text as n from "${table_name.replace(/"/g, '""')}"`)));
    out[table_name] = row.n;
  }
  for (const h of rowsOf<{ o: string; s: string }>(await db.execute(sql`select organisation_id::text as o, sequence::text as s from audit_heads order by 1`))) out[`audit head ${h.o}`] = h.s;
  return out;
}
