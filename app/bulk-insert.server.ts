// Many rows into one table in one INSERT whose rows travel as ONE json parameter
// (`insert … select … from json_populate_recordset(null::table, $1)`), for the bulk writes (the
// import, the audit batch). A multi-row VALUES through drizzle costs a bound parameter per cell:
// drizzle builds and type-checks each one in JavaScript, and PGlite encodes each in JavaScript and
// decodes it in WebAssembly; at 5,000 hazards that was most of an import's time. One json text is
// one string to encode and one parse in the database, on PostgreSQL and PGlite alike, and no
// statement comes near the 65,535-parameter limit.
// The stored values are the same: each value goes through its column's own driver mapping, jsonb
// values are nested as JSON (the text drizzle would have sent), and columns left out take their
// defaults (they are not in the INSERT's column list).
import { getTableColumns, getTableName, sql, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { toSnakeCase } from "drizzle-orm/casing";
import type { Db } from "#db/client.ts";

/** The database name of a column, as drizzle's snake_case casing (db/client.ts) names it. */
const columnName = (column: PgColumn) => (column.keyAsName ? toSnakeCase(column.name) : column.name);
const isJson = (column: PgColumn) => column.columnType === "PgJsonb" || column.columnType === "PgJson";

// A lone surrogate (no UTF-8 form) is written by JSON.stringify as a `\uD800` escape, which the
// database refuses: such a row fails here as it did in drizzle's jsonb columns (every bulk row
// written here sits beside a jsonb copy of its text: the hazard's version and audit entry).

type Returned<T extends PgTable> = T["$inferSelect"];

/**
 * Inserts `rows` (every row with the same keys; `undefined` is not allowed: give null or leave the
 * key out of every row; a timestamp may be given as the database's text of it). With `returning`, answers the rows as stored, in the order given: the
 * values given, with the other columns (defaults) read back by RETURNING and matched on `id`.
 */
export async function insertRows<T extends PgTable>(tx: Db, table: T, rows: T["$inferInsert"][], opts: { returning: true }): Promise<Returned<T>[]>;
export async function insertRows<T extends PgTable>(tx: Db, table: T, rows: T["$inferInsert"][], opts?: { returning?: false }): Promise<void>;
export async function insertRows<T extends PgTable>(tx: Db, table: T, rows: T["$inferInsert"][], opts: { returning?: boolean } = {}): Promise<Returned<T>[] | void> {
  if (rows.length === 0) return opts.returning ? [] : undefined;
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const keys = Object.keys(rows[0] as object);
  for (const key of keys) if (!columns[key]) throw new Error(`insertRows: ${getTableName(table)} has no column ${key}`);
  const given = keys.map((key) => ({ key, column: columns[key], name: columnName(columns[key]), json: isJson(columns[key]) }));
  const records = rows.map((row) => {
    const r = row as Record<string, unknown>;
    if (Object.keys(r).length !== keys.length) throw new Error(`insertRows: every row of ${getTableName(table)} must have the same columns`);
    const out: Record<string, unknown> = {};
    for (const g of given) {
      const value = r[g.key];
      if (value === undefined) throw new Error(`insertRows: ${getTableName(table)}.${g.key} is undefined`);
      if (value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof Date) && Object.getPrototypeOf(value) !== Object.prototype)
        throw new Error(`insertRows: ${getTableName(table)}.${g.key} is not a plain value`); // an SQL fragment, say
      // A string for a Date column (a time read from the database, to microseconds) goes as it is.
      out[g.name] = value === null || g.json || (typeof value === "string" && g.column.dataType === "date") ? value : g.column.mapToDriverValue(value);
    }
    return out;
  });
  const json = JSON.stringify(records);
  const list = sql.join(given.map((g) => sql.identifier(g.name)), sql`, `);
  const defaults = Object.entries(columns).filter(([key]) => !keys.includes(key)).map(([key, column]) => ({ key, column, name: columnName(column) }));
  // drizzle fills these in JavaScript, not the database: a row written here would miss them.
  for (const d of defaults) if (d.column.defaultFn || d.column.onUpdateFn) throw new Error(`insertRows: give ${getTableName(table)}.${d.key} (its default is made in JavaScript)`);
  let query: SQL = sql`insert into ${table} (${list}) select ${list} from json_populate_recordset(null::${table}, ${json}::json)`;
  if (!opts.returning) {
    await tx.execute(query);
    return;
  }
  if (!keys.includes("id")) throw new Error(`insertRows: returning rows of ${getTableName(table)} needs their ids`);
  query = sql`${query} returning ${sql.join([sql.identifier("id"), ...defaults.map((d) => sql.identifier(d.name))], sql`, `)}`;
  const result = (await tx.execute(query)) as unknown as Record<string, unknown>[] | { rows: Record<string, unknown>[] };
  const stored = new Map((Array.isArray(result) ? result : result.rows).map((r) => [r.id as string, r]));
  return rows.map((row) => {
    const r = row as Record<string, unknown>;
    const back = stored.get(r.id as string);
    if (!back) throw new Error(`insertRows: ${getTableName(table)} row ${String(r.id)} was not returned`);
    const out: Record<string, unknown> = { ...r };
    for (const d of defaults) out[d.key] = back[d.name] === null ? null : d.column.mapFromDriverValue(back[d.name]);
    return out as Returned<T>;
  });
}
