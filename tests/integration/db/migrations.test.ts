// The migrations folder applies from nothing on the driver under test (PGlite, or PostgreSQL 15 in
// `npm run test:pg`), re-running it changes nothing, it creates every table and column the schema
// declares, and the journal is in order.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { is, sql } from "drizzle-orm";
import { toSnakeCase } from "drizzle-orm/casing";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS_FOLDER, type Db, type OpenDb } from "#db/client.ts";
import * as schema from "#db/schema/index.ts";
import { checkMigrations } from "../../../scripts/check-migrations.js";
import { closeTestDb, openBlankDb, queryRows } from "#tests/setup/test-db.ts";

type Journal = { entries: { idx: number; when: number; tag: string }[] };
const journal: Journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8"));

async function runMigrations(open: OpenDb) {
  if (open.kind === "pglite") await migratePglite(open.db as never, { migrationsFolder: MIGRATIONS_FOLDER });
  else await migratePostgres(open.db as never, { migrationsFolder: MIGRATIONS_FOLDER });
}

async function appliedMigrations(db: Db) {
  return queryRows<{ hash: string; created_at: string | number | bigint }>(
    db,
    sql`select hash, created_at from drizzle.__drizzle_migrations order by created_at`,
  );
}

async function publicColumns(db: Db) {
  const rows = await queryRows<{ table_name: string; column_name: string }>(
    db,
    sql`select table_name, column_name from information_schema.columns where table_schema = 'public'`,
  );
  const byTable = new Map<string, Set<string>>();
  for (const r of rows) {
    if (!byTable.has(r.table_name)) byTable.set(r.table_name, new Set());
    byTable.get(r.table_name)!.add(r.column_name);
  }
  return byTable;
}

describe("drizzle journal", () => {
  it("has strictly increasing timestamps and consecutive indices", () => {
    expect(journal.entries.length).toBeGreaterThan(0);
    journal.entries.forEach((entry, i) => {
      expect(entry.idx, `idx of ${entry.tag}`).toBe(i);
      if (i > 0) expect(entry.when, `"when" of ${entry.tag} after ${journal.entries[i - 1].tag}`).toBeGreaterThan(journal.entries[i - 1].when);
    });
  });

  it("passes scripts/check-migrations.js (what CI runs)", () => {
    expect(checkMigrations(MIGRATIONS_FOLDER)).toEqual([]);
  });

  it("check-migrations.js reports a timestamp not later than the one before (earlier or equal)", async () => {
    const { mkdtempSync, mkdirSync, writeFileSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "migrations-check-"));
    try {
      mkdirSync(join(dir, "meta"));
      writeFileSync(join(dir, "0000_a.sql"), "select 1;");
      writeFileSync(join(dir, "0001_b.sql"), "select 1;");
      const entries = [
        { idx: 0, version: "7", when: 2000, tag: "0000_a", breakpoints: true },
        { idx: 1, version: "7", when: 1000, tag: "0001_b", breakpoints: true },
      ];
      writeFileSync(join(dir, "meta", "_journal.json"), JSON.stringify({ version: "7", dialect: "postgresql", entries }));
      expect(checkMigrations(dir).join("\n")).toMatch(/0001_b.*not later than 0000_a/);
      // An equal timestamp is not later either: drizzle would skip that migration too.
      entries[1].when = 2000;
      writeFileSync(join(dir, "meta", "_journal.json"), JSON.stringify({ version: "7", dialect: "postgresql", entries }));
      expect(checkMigrations(dir).join("\n")).toMatch(/0001_b.*not later than 0000_a/);
      entries[1].when = 2001;
      writeFileSync(join(dir, "meta", "_journal.json"), JSON.stringify({ version: "7", dialect: "postgresql", entries }));
      expect(checkMigrations(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("migrations", () => {
  let open: OpenDb;
  beforeAll(async () => {
    open = await openBlankDb();
  });
  afterAll(closeTestDb);

  it("start from a database with no tables", async () => {
    expect((await publicColumns(open.db)).size).toBe(0);
  });

  it("apply from empty and record every journal entry", async () => {
    await runMigrations(open);
    const applied = await appliedMigrations(open.db);
    expect(applied.map((m) => Number(m.created_at))).toEqual(journal.entries.map((e) => e.when));
  });

  it("create every table and column the schema declares", async () => {
    const columns = await publicColumns(open.db);
    const tables = Object.values(schema as Record<string, unknown>).filter((v): v is PgTable => is(v, PgTable));
    expect(tables.length).toBeGreaterThan(10);
    for (const table of tables) {
      const config = getTableConfig(table);
      expect(columns.has(config.name), `table ${config.name}`).toBe(true);
      for (const column of config.columns) {
        const name = column.keyAsName ? toSnakeCase(column.name) : column.name;
        expect(columns.get(config.name)!.has(name), `column ${config.name}.${name}`).toBe(true);
      }
    }
  });

  it("are idempotent: a second run applies nothing and changes nothing", async () => {
    const before = await appliedMigrations(open.db);
    const columnsBefore = await publicColumns(open.db);
    await runMigrations(open);
    expect(await appliedMigrations(open.db)).toEqual(before);
    expect(await publicColumns(open.db)).toEqual(columnsBefore);
  });
});
