// "No lost data" on the embedded database: seed a DATA_DIR with `npm run db:seed`, sign a safety case
// through the API, `npm run db:backup`, `npm run db:restore` into a new empty DATA_DIR, and find every
// hazard, signature and audit entry again with every chain and hash verifying. A backup of a folder
// that is open elsewhere, and a restore into anything but an empty target, are refused and change nothing.
// Always PGlite (the PostgreSQL version is tests/pg/backup-restore.test.ts).
import { asc, sql } from "drizzle-orm";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db, type OpenDb } from "#db/client.ts";
import { auditEntries, hazards, signatures } from "#db/schema/index.ts";
import { useDatabase } from "#app/db.server.ts";
import { checkRestoredDatabase } from "#app/restore-check.server.ts";
import { verifyAllChains } from "#app/audit.server.ts";
import { logIdByTitle, SUPPLIER_LOG, tokenFor } from "../hazards/helpers.ts";
import { createCase, sendEvent, sign } from "../safety-cases/helpers.ts";
import { folderFingerprint, runCli } from "#tests/support/cli.ts";

const root = mkdtempSync(join(tmpdir(), "cswf-backup-"));
const source = join(root, "source");
const target = join(root, "target");
const backupFile = join(root, "backups", "demo.pglite.tar.gz");
const embedded = (dataDir: string) => ({ DATA_DIR: dataDir, DATABASE_URL: undefined });

type Snapshot = { hazards: string[]; signatures: { id: string; sha256: string }[]; audit: string[] };
async function snapshot(db: Db): Promise<Snapshot> {
  return {
    hazards: (await db.select({ id: hazards.id }).from(hazards).orderBy(asc(hazards.id))).map((r) => r.id),
    signatures: await db.select({ id: signatures.id, sha256: signatures.sha256 }).from(signatures).orderBy(asc(signatures.id)),
    audit: (await db.select({ hash: auditEntries.hash }).from(auditEntries).orderBy(asc(auditEntries.hash))).map((r) => r.hash),
  };
}

let before: Snapshot;
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("backup and restore of the embedded database", () => {
  beforeAll(async () => {
    const seeded = await runCli("seed", [], embedded(source));
    expect(seeded.stderr).toBe("");
    expect(seeded.code).toBe(0);
  }, 120_000);

  it("a safety case signed through the API, and a backup refused while the folder is open", async () => {
    const open: OpenDb = await openDb(`pglite://${join(source, "pg")}`, { migrate: false });
    try {
      useDatabase(open);
      const cso = await tokenFor(open.db, "cso@supplier.example");
      const created = await createCase(cso, await logIdByTitle(open.db, SUPPLIER_LOG));
      expect(created.status).toBe(201);
      expect((await sendEvent(cso, created.body.id, { type: "SUBMIT", expectedVersion: 1 })).status).toBe(200);
      const signed = await sign(cso, created.body.id, "approved");
      expect(signed.status).toBe(200);
      expect(signed.body.state).toBe("approved");
      before = await snapshot(open.db);
      expect(before.hazards.length).toBeGreaterThan(25);
      expect(before.signatures).toHaveLength(1);
      expect(before.audit.length).toBeGreaterThan(0);

      // PGlite is single-process: the server (here, this process) holds the folder.
      const refused = await runCli("backup", [backupFile], embedded(source));
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/in use .*stop the server first/);
      expect(existsSync(backupFile)).toBe(false);
    } finally {
      await open.close();
    }
  }, 120_000);

  it("db:backup writes PGlite's dump once the folder is closed, and never overwrites a file", async () => {
    const res = await runCli("backup", [backupFile], embedded(source));
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(backupFile);
    expect(existsSync(backupFile)).toBe(true);
    const again = await runCli("backup", [backupFile], embedded(source));
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
  }, 120_000);

  it("db:restore into a new DATA_DIR verifies and reports what it restored", async () => {
    const res = await runCli("restore", [backupFile], embedded(target));
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`${before.hazards.length} hazards`);
    expect(res.stdout).toContain("1 signatures");
    expect(res.stdout).toContain(`${before.audit.length} audit entries`);
    expect(res.stdout).toMatch(/verified: every audit chain recomputes/);
  }, 120_000);

  it("the restored database holds every hazard, signature and audit entry, with chains and hashes verifying", async () => {
    const open = await openDb(`pglite://${join(target, "pg")}`, { migrate: false });
    try {
      expect(await snapshot(open.db)).toEqual(before);
      const check = await checkRestoredDatabase(open.db);
      expect(check.problems).toEqual([]);
      expect(check.counts).toMatchObject({ hazards: before.hazards.length, signatures: 1, auditEntries: before.audit.length, baselines: 1, safetyCases: 1 });
      const chains = await verifyAllChains(open.db);
      expect(chains.every((c) => c.ok)).toBe(true);
      expect(chains.reduce((n, c) => n + c.entries, 0)).toBe(before.audit.length);
    } finally {
      await open.close();
    }
  }, 60_000);

  it("restoring into a folder that is not empty is refused and changes nothing", async () => {
    const restored = folderFingerprint(target);
    const again = await runCli("restore", [backupFile], embedded(target));
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/is not empty; restore only into a new, empty DATA_DIR/);
    expect(folderFingerprint(target)).toEqual(restored);

    const other = join(root, "other");
    mkdirSync(join(other, "pg"), { recursive: true });
    writeFileSync(join(other, "pg", "someone-else.txt"), "keep me");
    const untouched = folderFingerprint(other);
    const refused = await runCli("restore", [backupFile], embedded(other));
    expect(refused.code).toBe(2);
    expect(folderFingerprint(other)).toEqual(untouched);
  }, 120_000);

  it("a restore whose data does not verify exits 1 naming what failed", async () => {
    const open = await openDb(`pglite://${join(target, "pg")}`, { migrate: false });
    try {
      await open.db.transaction(async (tx) => {
        await tx.execute(sql`alter table signatures disable trigger user`);
        await tx.execute(sql`update signatures set sha256 = repeat('0', 64)`);
        await tx.execute(sql`alter table signatures enable trigger user`);
        await tx.execute(sql`alter table audit_entries disable trigger user`);
        await tx.execute(sql`update audit_entries set entry = jsonb_set(entry, '{action}', '"test.rewritten"') where sequence = 1`);
        await tx.execute(sql`alter table audit_entries enable trigger user`);
      });
    } finally {
      await open.close();
    }
    const tampered = join(root, "backups", "tampered.pglite.tar.gz");
    expect((await runCli("backup", [tampered], embedded(target))).code).toBe(0);
    const res = await runCli("restore", [tampered], embedded(join(root, "tampered")));
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/CHECK FAILED: signature .*: its SHA-256 is not its baseline's/);
    expect(res.stderr).toMatch(/CHECK FAILED: audit chain of Acme Health Systems Ltd .* broken at entry 1/);
    expect(res.stdout).not.toMatch(/verified/);
  }, 120_000);

  it("refuses a file that is not an embedded backup, and a missing file", async () => {
    const bogus = join(root, "bogus.tar.gz");
    writeFileSync(bogus, "PGDMP pretending");
    const wrongKind = await runCli("restore", [bogus], embedded(join(root, "fresh")));
    expect(wrongKind.code).toBe(2);
    expect(wrongKind.stderr).toMatch(/PostgreSQL \(pg_dump\) backup, but the configured database is the embedded one/);
    const missing = await runCli("restore", [join(root, "nope.tar.gz")], embedded(join(root, "fresh")));
    expect(missing.code).toBe(2);
    expect(existsSync(join(root, "fresh"))).toBe(false);
  }, 60_000);
});
