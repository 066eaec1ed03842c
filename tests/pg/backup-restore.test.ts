// "No lost data" on PostgreSQL: sign a safety case in a seeded scratch database, `npm run db:backup`
// (pg_dump --format=custom), `npm run db:restore` (pg_restore --no-owner) into a new empty database
// made with createdb, and find every hazard, signature and audit entry again, verifying. A restore
// into a database that has tables is refused and changes nothing. An evidence file uploaded before the
// backup is restored into a new, empty evidence folder and downloads with the same SHA-256.
// Skipped only when pg_dump is absent.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { asc } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "#db/client.ts";
import { auditEntries, hazards, signatures } from "#db/schema/index.ts";
import { checkRestoredDatabase } from "#app/restore-check.server.ts";
import { useDatabase } from "#app/db.server.ts";
import { createFilesystemStore } from "#app/storage/filesystem.server.ts";
import { useEvidenceStore } from "#app/storage/index.server.ts";
import { PDF, download, sha256 as sha256Of, supplierControls, upload } from "../integration/evidence/helpers.ts";
import { closeTestDb, currentTestDbUrl, databaseOf, openTestDb, postgresUrl, withDatabase } from "#tests/setup/test-db.ts";
import { logIdByTitle, SUPPLIER_LOG, tokenFor } from "../integration/hazards/helpers.ts";
import { createCase, sendEvent, sign } from "../integration/safety-cases/helpers.ts";
import { runCli } from "#tests/support/cli.ts";

const hasPgTools = ["pg_dump", "pg_restore", "createdb", "dropdb"].every((tool) => !spawnSync(tool, ["--version"]).error);
if (!hasPgTools) console.warn("[backup-restore] SKIPPED: pg_dump, pg_restore, createdb or dropdb is not installed (Debian: apt-get install postgresql-client)");

const root = mkdtempSync(join(tmpdir(), "cswf-pg-backup-"));
const backupFile = join(root, "demo.pgdump");
type Snapshot = { hazards: string[]; signatures: { id: string; sha256: string }[]; audit: string[] };
async function snapshot(db: Db): Promise<Snapshot> {
  return {
    hazards: (await db.select({ id: hazards.id }).from(hazards).orderBy(asc(hazards.id))).map((r) => r.id),
    signatures: await db.select({ id: signatures.id, sha256: signatures.sha256 }).from(signatures).orderBy(asc(signatures.id)),
    audit: (await db.select({ hash: auditEntries.hash }).from(auditEntries).orderBy(asc(auditEntries.hash))).map((r) => r.hash),
  };
}

describe.skipIf(!hasPgTools)("backup and restore of a PostgreSQL database", () => {
  const server = postgresUrl()!;
  const targetName = `${databaseOf(server)}_restore_${process.pid}`.slice(0, 63);
  const targetUrl = withDatabase(server, targetName);
  let sourceUrl: string;
  let before: Snapshot;
  let item: { id: string; sha256: string };
  let engineer: string;
  const restoredData = join(root, "restored-data");

  beforeAll(async () => {
    const { db } = await openTestDb();
    sourceUrl = currentTestDbUrl()!;
    const cso = await tokenFor(db, "cso@supplier.example");
    const created = await createCase(cso, await logIdByTitle(db, SUPPLIER_LOG));
    expect((await sendEvent(cso, created.body.id, { type: "SUBMIT", expectedVersion: 1 })).status).toBe(200);
    expect((await sign(cso, created.body.id, "approved")).status).toBe(200);
    engineer = await tokenFor(db, "engineer@supplier.example");
    const uploaded = await upload((await supplierControls(db))[0].controlId, engineer, { bytes: PDF, name: "report.pdf", type: "application/pdf" });
    expect(uploaded.status).toBe(201);
    item = uploaded.body;
    before = await snapshot(db);
    execFileSync("createdb", [`--maintenance-db=${server}`, targetName]);
  }, 120_000);

  afterAll(async () => {
    await closeTestDb();
    spawnSync("dropdb", [`--maintenance-db=${server}`, "--if-exists", "--force", targetName]);
    rmSync(root, { recursive: true, force: true });
  });

  it("db:backup writes a pg_dump custom-format file while the database stays in use", async () => {
    const res = await runCli("backup", [backupFile], { DATABASE_URL: sourceUrl });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(existsSync(backupFile)).toBe(true);
  }, 120_000);

  it("db:restore into a new empty database verifies and reports; everything is there", async () => {
    const res = await runCli("restore", [backupFile], { DATABASE_URL: targetUrl, DATA_DIR: restoredData });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`1 evidence file(s) in ${backupFile}.evidence: 1 copied into ${join(restoredData, "evidence", "files")}`);
    expect(res.stdout).toContain(`${before.hazards.length} hazards`);
    expect(res.stdout).toContain(`${before.signatures.length} signatures`);
    expect(res.stdout).toContain(`${before.audit.length} audit entries`);
    const open = await openDb(targetUrl, { migrate: false, max: 1 });
    try {
      expect(await snapshot(open.db)).toEqual(before);
      expect(before.signatures).toHaveLength(1);
      expect((await checkRestoredDatabase(open.db)).problems).toEqual([]);
    } finally {
      await open.close();
    }
  }, 120_000);

  it("restoring into a database that already has tables is refused and changes nothing", async () => {
    const res = await runCli("restore", [backupFile], { DATABASE_URL: targetUrl });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/already has \d+ table\(s\).*restore only into an empty database/);
    const open = await openDb(targetUrl, { migrate: false, max: 1 });
    try {
      expect(await snapshot(open.db)).toEqual(before);
    } finally {
      await open.close();
    }
    const intoSource = await runCli("restore", [backupFile], { DATABASE_URL: sourceUrl });
    expect(intoSource.code).toBe(2);
  }, 120_000);

  it("an evidence file downloads from the restored database and evidence folder with the same SHA-256", async () => {
    const open = await openDb(targetUrl, { migrate: false, max: 1 });
    try {
      useDatabase(open);
      useEvidenceStore(createFilesystemStore(join(restoredData, "evidence", "files")));
      const got = await download(item.id, engineer);
      expect(got.status).toBe(200);
      expect(sha256Of(got.bytes)).toBe(item.sha256);
    } finally {
      useEvidenceStore(undefined);
      await open.close();
    }
  }, 120_000);
});
