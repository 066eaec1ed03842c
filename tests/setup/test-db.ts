// A database per test file, fast.
//
// PGlite (no DATABASE_URL, or pglite://…): the global setup migrates and seeds one in-memory PGlite
// once per run and dumps it (dumpDataDir) to .cache/test-template.tar; each file loads that dump into
// its own in-memory instance (about 0.5 s instead of 3–5 s for initdb + migrate + seed).
// PostgreSQL (DATABASE_URL=postgres://…): the global setup builds `<db>_template` (migrated and
// seeded); each file gets `CREATE DATABASE <random> TEMPLATE <db>_template`, dropped by closeTestDb().
//
// Every open*Db() also hands the database to the app (useDatabase), so loaders, actions and domain
// code under test use it.
//
//   let db: Db;
//   beforeAll(async () => ({ db } = await openTestDb()));
//   afterAll(closeTestDb);
import { sql } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import postgres from "postgres";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isPostgresUrl, MIGRATIONS_FOLDER, newPglite, openDb, pgliteAsApp, type Db, type OpenDb } from "#db/client.ts";
import * as schema from "#db/schema/index.ts";
import { seedDemo } from "#db/seed.ts";
import { useDatabase } from "#app/db.server.ts";

export type { Db, OpenDb };

export const TEST_DEMO_PASSWORD = "demo-password";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const CACHE = join(ROOT, ".cache");
const PGLITE_VERSION = (JSON.parse(readFileSync(join(ROOT, "node_modules/@electric-sql/pglite/package.json"), "utf8")) as { version: string }).version;
/**
 * PGlite dumps (uncompressed tar: loads in about 0.4 s where the gzip dump takes 0.7–0.9 s).
 * `blank` is right after initdb and depends only on the PGlite version, so it is kept between runs;
 * `empty` (migrated) and `seeded` are rebuilt by every run's global setup.
 */
export const PGLITE_TEMPLATES = {
  blank: join(CACHE, `test-template-blank-pglite-${PGLITE_VERSION}.tar`),
  empty: join(CACHE, "test-template-empty.tar"),
  seeded: join(CACHE, "test-template.tar"),
} as const;
type TemplateKind = keyof typeof PGLITE_TEMPLATES;

// ---------------------------------------------------------------------------------------------
// Which database

/** The PostgreSQL server URL the tests run against, or null for the embedded database. */
export function postgresUrl(): string | null {
  const url = process.env.DATABASE_URL;
  return url && isPostgresUrl(url) ? url : null;
}

export function testDbKind(): OpenDb["kind"] {
  return postgresUrl() ? "postgres" : "pglite";
}

/** The same server, another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

export function databaseOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, "")) || new URL(url).username || "postgres";
}

/** `<db>_template` (and `<db>_template_empty`) on the DATABASE_URL server. */
export function postgresTemplateName(url: string, kind: "seeded" | "empty" = "seeded"): string {
  return `${databaseOf(url)}_template${kind === "empty" ? "_empty" : ""}`.slice(0, 63);
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function withAdmin<T>(url: string, fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Templates, built once per run by the global setup

/** PGlite: initdb (or the kept blank dump), migrate, dump; seed, dump. Writes are atomic (temp file + rename). */
export async function buildPgliteTemplates(): Promise<Record<"initdb" | "migrate" | "seed" | "dump", number>> {
  mkdirSync(CACHE, { recursive: true });
  const ms: Record<"initdb" | "migrate" | "seed" | "dump", number> = { initdb: 0, migrate: 0, seed: 0, dump: 0 };
  let t = performance.now();
  const haveBlank = existsSync(PGLITE_TEMPLATES.blank);
  const client = haveBlank ? newPglite(undefined, { loadDataDir: readTemplate("blank") }) : newPglite();
  await client.waitReady;
  ms.initdb = performance.now() - t;
  try {
    const save = async (kind: TemplateKind) => {
      const t0 = performance.now();
      const blob = await client.dumpDataDir("none");
      const tmp = `${PGLITE_TEMPLATES[kind]}.${process.pid}.tmp`;
      writeFileSync(tmp, new Uint8Array(await blob.arrayBuffer()));
      renameSync(tmp, PGLITE_TEMPLATES[kind]);
      ms.dump += performance.now() - t0;
    };
    if (!haveBlank) await save("blank");
    const db = drizzlePglite(client, { casing: "snake_case", schema }) as unknown as Db;
    t = performance.now();
    await migratePglite(db as never, { migrationsFolder: MIGRATIONS_FOLDER });
    ms.migrate = performance.now() - t;
    await save("empty");
    t = performance.now();
    await seedDemo(db, { password: TEST_DEMO_PASSWORD });
    ms.seed = performance.now() - t;
    await save("seeded");
  } finally {
    await client.close();
  }
  return ms;
}

function readTemplate(kind: TemplateKind): Blob {
  return new Blob([new Uint8Array(readFileSync(PGLITE_TEMPLATES[kind]))]);
}

/** PostgreSQL: `<db>_template_empty` (migrated) and `<db>_template` (migrated and seeded). */
export async function buildPostgresTemplates(url: string): Promise<void> {
  for (const kind of ["empty", "seeded"] as const) {
    const name = postgresTemplateName(url, kind);
    await withAdmin(url, async (sql) => {
      await sql.unsafe(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`);
      await sql.unsafe(`CREATE DATABASE ${ident(name)}`);
    });
    const open = await openDb(withDatabase(url, name), { max: 2 });
    try {
      if (kind === "seeded") await seedDemo(open.db, { password: TEST_DEMO_PASSWORD });
    } finally {
      await open.close(); // CREATE DATABASE … TEMPLATE refuses while anyone is connected to it
    }
  }
}

export async function dropPostgresTemplates(url: string): Promise<void> {
  await withAdmin(url, async (sql) => {
    for (const kind of ["empty", "seeded"] as const)
      await sql.unsafe(`DROP DATABASE IF EXISTS ${ident(postgresTemplateName(url, kind))} WITH (FORCE)`);
  });
}

// ---------------------------------------------------------------------------------------------
// Per test file

type Current = { open: OpenDb; dropDatabase?: string; url?: string };
const opened: Current[] = [];

// App code that writes files (evidence, the generated session secret) gets a folder of its own.
let dataDir: string | undefined;
function ensureDataDir() {
  if (dataDir || process.env.TEST_KEEP_DATA_DIR) return;
  dataDir = mkdtempSync(join(tmpdir(), "cswf-test-data-"));
  process.env.DATA_DIR = dataDir;
}

async function loadPgliteTemplate(kind: TemplateKind): Promise<OpenDb> {
  // Without the global setup (a single file run with another config), build the dumps here.
  if (!existsSync(PGLITE_TEMPLATES[kind])) await buildPgliteTemplates();
  const client = newPglite(undefined, { loadDataDir: readTemplate(kind) });
  await client.waitReady;
  // Migrated templates: act as the app role (row-level security), as the server does. The blank
  // one has no migrations, hence no role yet: the migration tests run there as the owner.
  const db = kind === "blank" ? (drizzlePglite(client, { casing: "snake_case", schema }) as unknown as Db) : await pgliteAsApp(client);
  return { db, kind: "pglite", close: () => client.close() };
}

async function createPostgresDatabase(url: string, template: string | null): Promise<{ open: OpenDb; name: string }> {
  const name = `${databaseOf(url)}_t_${process.pid}_${randomBytes(4).toString("hex")}`.slice(0, 63);
  await withAdmin(url, (sql) => sql.unsafe(`CREATE DATABASE ${ident(name)}${template ? ` TEMPLATE ${ident(template)}` : ""}`));
  const open = await openDb(withDatabase(url, name), { migrate: false, role: template ? "app" : "owner" });
  return { open, name };
}

async function openKind(kind: TemplateKind): Promise<OpenDb> {
  ensureDataDir();
  const url = postgresUrl();
  let current: Current;
  if (url) {
    const template = kind === "blank" ? null : postgresTemplateName(url, kind);
    const { open, name } = await createPostgresDatabase(url, template);
    current = { open, dropDatabase: name, url: withDatabase(url, name) };
  } else {
    current = { open: await loadPgliteTemplate(kind) };
  }
  opened.push(current);
  useDatabase(current.open);
  return current.open;
}

/** This file's own database: migrated and seeded with the demo data (password "demo-password"). */
export function openTestDb(): Promise<OpenDb> {
  return openKind("seeded");
}

/** A migrated database with no data, for migration and seed tests. */
export function openEmptyDb(): Promise<OpenDb> {
  return openKind("empty");
}

/** A database with nothing in it, not even the migrations. */
export function openBlankDb(): Promise<OpenDb> {
  return openKind("blank");
}

/**
 * PostgreSQL: the URL of the database the last open*Db() created, for tests that need connections
 * of their own (row locks, concurrency). Null on PGlite, which has one connection only.
 */
export function currentTestDbUrl(): string | null {
  return opened.at(-1)?.url ?? null;
}

/** Closes every database this file opened (dropping the PostgreSQL ones). Use in afterAll. */
export async function closeTestDb(): Promise<void> {
  const url = postgresUrl();
  while (opened.length) {
    const current = opened.pop()!;
    await current.open.close().catch(() => undefined);
    if (url && current.dropDatabase) {
      const name = current.dropDatabase;
      await withAdmin(url, (sql) => sql.unsafe(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`));
    }
  }
  if (dataDir) {
    rmSync(dataDir, { recursive: true, force: true });
    dataDir = undefined;
    delete process.env.DATA_DIR;
  }
}

/**
 * Inside a transaction: act as the tables' owner (the login role) until it ends. For tests that
 * tamper with the data (disabling the read-only triggers, TRUNCATE), which the app role may not.
 */
export async function actAsOwner(tx: Db): Promise<void> {
  await tx.execute(sql`select set_config('role', session_user, true)`);
}

/** Raw SQL rows on either driver (PGlite answers `{ rows }`, postgres.js an array). */
export async function queryRows<T = Record<string, unknown>>(db: Db, query: Parameters<Db["execute"]>[0]): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
