// Opens the database: embedded PGlite (a folder, or in memory) or PostgreSQL through postgres.js.
// One schema and one migrations folder serve both.
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/postgres-js";
import { migrate as migratePg } from "drizzle-orm/postgres-js/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import postgres from "postgres";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import * as schema from "./schema/index";

/** The common type of both drizzle instances (a union of the two is not callable). */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type DbKind = "pglite" | "postgres";
export type OpenDb = { db: Db; kind: DbKind; close: () => Promise<void> };

// Relative to the working directory: the app is bundled into build/, so import.meta.url would
// point there. Every command runs from the repository root.
export const MIGRATIONS_FOLDER = resolve(process.env.MIGRATIONS_DIR ?? "db/migrations");

const CASING = { casing: "snake_case" as const, schema };

export function isPostgresUrl(url: string) {
  return url.startsWith("postgres://") || url.startsWith("postgresql://");
}

/** url: postgres://… | pglite://memory | pglite://<folder> */
export async function openDb(url: string, opts: { migrate?: boolean; max?: number } = {}): Promise<OpenDb> {
  if (isPostgresUrl(url)) {
    if (opts.migrate !== false) await migratePostgresLocked(url);
    const sql = postgres(url, { max: opts.max ?? 10, onnotice: () => {} });
    return { db: drizzlePg(sql, CASING) as unknown as Db, kind: "postgres", close: () => sql.end() };
  }
  const dir = url.replace(/^pglite:\/\//, "");
  const inMemory = dir === "memory" || dir === "";
  if (!inMemory) mkdirSync(dirname(resolve(dir)), { recursive: true }); // PGlite's mkdir is not recursive
  const client = inMemory ? new PGlite() : new PGlite(dir);
  const db = drizzlePglite(client, CASING) as unknown as Db;
  if (opts.migrate !== false) await migratePglite(db as never, { migrationsFolder: MIGRATIONS_FOLDER });
  return { db, kind: "pglite", close: () => client.close() };
}

// drizzle's migrator takes no lock: serialise concurrent starts with an advisory lock on ONE connection.
async function migratePostgresLocked(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(727274)`;
    try {
      await migratePg(drizzlePg(sql, CASING), { migrationsFolder: MIGRATIONS_FOLDER });
    } finally {
      await sql`select pg_advisory_unlock(727274)`;
    }
  } finally {
    await sql.end();
  }
}
