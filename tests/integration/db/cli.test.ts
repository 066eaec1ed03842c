// `npm run db:migrate` and `npm run db:seed` as their own processes on an embedded DATA_DIR (always
// PGlite): migrate creates and migrates a new folder; seed fills an empty database once, leaves a
// seeded one alone and refuses one holding other organisations.
import { sql } from "drizzle-orm";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { openDb } from "#db/client.ts";
import { organisations } from "#db/schema/index.ts";
import { runCli } from "#tests/support/cli.ts";
import { queryRows } from "#tests/setup/test-db.ts";

const root = mkdtempSync(join(tmpdir(), "cswf-db-cli-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const embedded = (dataDir: string) => ({ DATA_DIR: dataDir, DATABASE_URL: undefined });

it("db:migrate applies every migration to a new folder; db:seed then refuses a database holding other organisations", async () => {
  const dataDir = join(root, "other");
  const migrated = await runCli("migrate", [], embedded(dataDir));
  expect(migrated.stderr).toBe("");
  expect(migrated.code).toBe(0);
  expect(migrated.stdout).toMatch(/migrations applied/);

  const open = await openDb(`pglite://${join(dataDir, "pg")}`, { migrate: false });
  try {
    const [{ n }] = await queryRows<{ n: number }>(open.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    expect(n).toBeGreaterThan(0);
    await open.db.insert(organisations).values({ name: "Somebody's real trust", slug: "real-trust", kind: "deployer" });
  } finally {
    await open.close();
  }
  const seeded = await runCli("seed", [], embedded(dataDir));
  expect(seeded.code).toBe(2);
  expect(seeded.stderr).toMatch(/already holds 1 organisation\(s\); the demo data is seeded only into an empty database/);
}, 120_000);

it("db:seed migrates and seeds an empty folder, then leaves it alone", async () => {
  const dataDir = join(root, "demo");
  const first = await runCli("seed", [], embedded(dataDir));
  expect(first.code).toBe(0);
  expect(first.stdout).toMatch(/demo data seeded/);
  const second = await runCli("seed", [], embedded(dataDir));
  expect(second.code).toBe(0);
  expect(second.stdout).toMatch(/already there; nothing changed/);
  const open = await openDb(`pglite://${join(dataDir, "pg")}`, { migrate: false });
  try {
    expect(await open.db.select().from(organisations)).toHaveLength(5);
  } finally {
    await open.close();
  }
}, 120_000);
