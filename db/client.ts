// Opens the database: embedded PGlite (a folder, or in memory) or PostgreSQL through postgres.js.
// One schema and one migrations folder serve both.
import { PGlite, type PGliteOptions } from "@electric-sql/pglite";
import { btree_gin } from "@electric-sql/pglite/contrib/btree_gin";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { is } from "drizzle-orm";
import { drizzle as drizzlePglite, PgliteSession } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/postgres-js";
import { migrate as migratePg } from "drizzle-orm/postgres-js/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import postgres from "postgres";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import * as schema from "./schema/index";
import { APP_ROLE } from "./schema/rls";
import { SET_CALLER, withCallerPostgres } from "./caller-reads";
import { callerSetting, currentCaller } from "./request-scope";

/** The common type of both drizzle instances (a union of the two is not callable). */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type DbKind = "pglite" | "postgres";
export type OpenDb = { db: Db; kind: DbKind; close: () => Promise<void> };

// Relative to the working directory: the app is bundled into build/, so import.meta.url would
// point there. Every command runs from the repository root.
export const MIGRATIONS_FOLDER = resolve(process.env.MIGRATIONS_DIR ?? "db/migrations");

const CASING = { casing: "snake_case" as const, schema };

/**
 * PGlite with the extensions the migrations create (0009: pg_trgm and btree_gin for the free-text
 * search index). PGlite loads an extension's code only when it is named here, so every PGlite the
 * project opens (server, tests, backup, restore) is made by this function.
 */
export function newPglite(dataDir?: string, options: Omit<PGliteOptions, "extensions"> = {}): PGlite {
  const extensions = { pg_trgm, btree_gin };
  return dataDir === undefined ? new PGlite({ ...options, extensions }) : new PGlite(dataDir, { ...options, extensions });
}

export function isPostgresUrl(url: string) {
  return url.startsWith("postgres://") || url.startsWith("postgresql://");
}

/**
 * Who the connection acts as. "app": the role cswf_app, which owns no table and is subject to
 * row-level security (the server and the tests). "owner": the login role that ran the migrations
 * and owns the tables (migrations, seed CLI, backup/restore, audit:verify, benchmarks).
 */
export type DbRole = "app" | "owner";

/**
 * url: postgres://… | pglite://memory | pglite://<folder>. Migrations always run as the owner
 * (PostgreSQL: their own connection; PGlite: before the role is switched).
 */
export async function openDb(url: string, opts: { migrate?: boolean; max?: number; role?: DbRole } = {}): Promise<OpenDb> {
  const asApp = opts.role === "app";
  if (isPostgresUrl(url)) {
    if (opts.migrate !== false) await migratePostgresLocked(url);
    // `role` as a startup parameter: every pooled connection, new or reconnected, begins as cswf_app
    // (RESET ROLE returns to it too), with no extra round trip.
    // jit off: the app's queries are short; a large filtered roll-up was costed high enough for
    // PostgreSQL to compile it (~130 ms) on every call (issue 9).
    const sql = postgres(url, { max: opts.max ?? 10, onnotice: () => {}, ...(asApp ? { connection: { role: APP_ROLE, jit: "off" } } : {}) });
    return { db: drizzlePg(asApp ? withCallerPostgres(sql) : sql, CASING) as unknown as Db, kind: "postgres", close: () => sql.end() };
  }
  const dir = url.replace(/^pglite:\/\//, "");
  const inMemory = dir === "memory" || dir === "";
  if (!inMemory) mkdirSync(dirname(resolve(dir)), { recursive: true }); // PGlite's mkdir is not recursive
  const client = inMemory ? newPglite() : newPglite(dir);
  if (opts.migrate !== false) await migratePglite(drizzlePglite(client, CASING) as never, { migrationsFolder: MIGRATIONS_FOLDER });
  return { db: asApp ? await pgliteAsApp(client) : (drizzlePglite(client, CASING) as unknown as Db), kind: "pglite", close: () => client.close() };
}

/** True when `db` (a database or a transaction) runs on embedded PGlite, in this process. */
export function isEmbedded(db: Db): boolean {
  return is(db._.session, PgliteSession);
}

// ---------------------------------------------------------------------------------------------
// Row-level security: the app role and the caller (db/request-scope.ts, policies in db/schema/rls.ts)
//
// A query made outside an explicit transaction while a request has a caller runs in a short
// transaction that first sets `cswf.caller_orgs` (transaction-local: on a pooled or shared
// connection it can never leak into another request's query); on PostgreSQL the reads a request
// issues together share one such transaction, sent as one pipeline (db/caller-reads.ts). Explicit transactions are the
// services' writes: they have checked access with the require… helpers already and then do work
// that crosses organisations on purpose (propagating a change into inheriting logs, flagging an
// incident's family, appending to audit chains), so they run as the service, as do start-up, the
// seed and the CLI scripts (no caller set).

/**
 * The app role, as migration 0005 creates it. Roles belong to the cluster, not the database: a
 * pg_dump restored into another cluster needs it before its policies and grants can be created.
 */
export async function ensureAppRole(sql: postgres.Sql): Promise<void> {
  await sql.unsafe(`DO $$ BEGIN
    CREATE ROLE ${APP_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
}

/** PGlite: the one connection switches to cswf_app for good (after migrating as the owner). */
export async function pgliteAsApp(client: PGlite): Promise<Db> {
  await client.exec(`SET ROLE ${APP_ROLE}`);
  const query: PGlite["query"] = (text, params, options) => {
    const caller = currentCaller();
    if (caller === null) return client.query(text, params, options);
    return client.transaction(async (tx) => {
      await tx.query(SET_CALLER, [callerSetting(caller)]);
      return tx.query(text, params, options);
    });
  };
  // A proxy, not a copy: drizzle's transactions and anything reading $client get the real client.
  // (PGlite's methods use private fields: bind them to the real client.)
  const wrapped = new Proxy(client, {
    get: (target, key) => {
      if (key === "query") return query;
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return drizzlePglite(wrapped, CASING) as unknown as Db;
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
