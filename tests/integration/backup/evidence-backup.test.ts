// Evidence files in backups: `npm run db:backup` copies the filesystem store's files beside the dump
// (`<file>.evidence/`, with every file's SHA-256 in manifest.json); `npm run db:restore` into an
// empty DATA_DIR (empty database, empty evidence folder) copies them back, checks each against the
// manifest, and reads every evidence row's file back from the store: a download after the restore
// gives the same bytes. A damaged or missing file is reported (exit 1); a file already there with
// other bytes is refused before anything changes (exit 2). Always PGlite (the embedded database).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb } from "#db/client.ts";
import { useDatabase } from "#app/db.server.ts";
import { createFilesystemStore } from "#app/storage/filesystem.server.ts";
import { useEvidenceStore } from "#app/storage/index.server.ts";
import { bearer } from "#tests/support/requests.ts";
import { folderFingerprint, runCli } from "#tests/support/cli.ts";
import { CSV, PDF, download, sha256, supplierControls, upload } from "../evidence/helpers.ts";

const root = mkdtempSync(join(tmpdir(), "cswf-evidence-backup-"));
const source = join(root, "source");
const backupFile = join(root, "backups", "with-evidence.pglite.tar.gz");
const evidenceFolder = `${backupFile}.evidence`;
const embedded = (dataDir: string) => ({ DATA_DIR: dataDir, DATABASE_URL: undefined, EVIDENCE_STORAGE: undefined });
// The upload's temp files go under the source DATA_DIR (read once by getEnv() in this process).
process.env.DATA_DIR = source;

const uploaded: { id: string; sha256: string; bytes: Uint8Array }[] = [];
afterAll(() => {
  useEvidenceStore(undefined);
  rmSync(root, { recursive: true, force: true });
});

async function withDataDir<T>(dataDir: string, run: (token: string) => Promise<T>): Promise<T> {
  const open = await openDb(`pglite://${join(dataDir, "pg")}`, { migrate: false });
  try {
    useDatabase(open);
    useEvidenceStore(createFilesystemStore(join(dataDir, "evidence", "files")));
    const { Authorization } = await bearer(open.db, "engineer@supplier.example");
    return await run(Authorization.replace("Bearer ", ""));
  } finally {
    useEvidenceStore(undefined);
    await open.close();
  }
}

describe("evidence files in a backup of the embedded database", () => {
  beforeAll(async () => {
    const seeded = await runCli("seed", [], embedded(source));
    expect(seeded.code).toBe(0);
    const open = await openDb(`pglite://${join(source, "pg")}`, { migrate: false });
    const controlId = (await supplierControls(open.db))[0].controlId;
    await open.close();
    await withDataDir(source, async (token) => {
      for (const file of [{ bytes: PDF, name: "report.pdf", type: "application/pdf" }, { bytes: CSV, name: "results.csv", type: "text/csv" }]) {
        const res = await upload(controlId, token, file);
        expect(res.status).toBe(201);
        uploaded.push({ id: res.body.id, sha256: res.body.sha256, bytes: file.bytes });
      }
    });
  }, 120_000);

  it("db:backup writes the dump and, beside it, every evidence file with its SHA-256", async () => {
    const res = await runCli("backup", [backupFile], embedded(source));
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`2 evidence file(s) (${PDF.length + CSV.length} bytes) copied to ${evidenceFolder}`);
    const manifest = JSON.parse(readFileSync(join(evidenceFolder, "manifest.json"), "utf8"));
    expect(manifest.format).toBe("evidence-files/1");
    expect(manifest.files.map((f: { sha256: string }) => f.sha256).sort()).toEqual(uploaded.map((u) => u.sha256).sort());
    for (const f of manifest.files) expect(sha256(readFileSync(join(evidenceFolder, "files", f.key.slice(0, 2), f.key)))).toBe(f.sha256);
    const again = await runCli("backup", [backupFile], embedded(source));
    expect(again.code).toBe(2);
  }, 120_000);

  it("db:restore into an empty DATA_DIR brings the files back; a download gives the same bytes", async () => {
    const target = join(root, "target");
    const res = await runCli("restore", [backupFile], embedded(target));
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`2 evidence file(s) in ${evidenceFolder}: 2 copied into ${join(target, "evidence", "files")}, 0 already there`);
    expect(res.stdout).toContain("2 evidence files");
    expect(res.stdout).toMatch(/verified: .*every evidence file is in the store with its SHA-256/);
    await withDataDir(target, async (token) => {
      for (const u of uploaded) {
        const got = await download(u.id, token);
        expect(got.status).toBe(200);
        expect(sha256(got.bytes)).toBe(u.sha256);
        expect(got.bytes).toEqual(new Uint8Array(u.bytes));
      }
    });
  }, 120_000);

  it("a damaged file in the backup is not restored and the restore exits 1 naming it", async () => {
    const damaged = join(root, "backups", "damaged.pglite.tar.gz");
    writeFileSync(damaged, readFileSync(backupFile));
    const manifest = JSON.parse(readFileSync(join(evidenceFolder, "manifest.json"), "utf8"));
    mkdirSync(`${damaged}.evidence`, { recursive: true });
    for (const f of manifest.files) {
      const to = join(`${damaged}.evidence`, "files", f.key.slice(0, 2));
      mkdirSync(to, { recursive: true });
      writeFileSync(join(to, f.key), readFileSync(join(evidenceFolder, "files", f.key.slice(0, 2), f.key)));
    }
    writeFileSync(join(`${damaged}.evidence`, "manifest.json"), JSON.stringify(manifest));
    const victim = manifest.files[0].key;
    const victimPath = join(`${damaged}.evidence`, "files", victim.slice(0, 2), victim);
    chmodSync(victimPath, 0o640);
    writeFileSync(victimPath, "tampered");
    const res = await runCli("restore", [damaged], embedded(join(root, "damaged")));
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`evidence file ${victim} in the backup does not match its SHA-256`);
    expect(res.stderr).toMatch(/CHECK FAILED: evidence .*: its file is missing from the evidence store/);
    expect(existsSync(join(root, "damaged", "evidence", "files", victim.slice(0, 2), victim))).toBe(false);
  }, 120_000);

  it("a restore without the evidence folder reports every missing file (exit 1)", async () => {
    renameSync(evidenceFolder, `${evidenceFolder}.away`);
    try {
      const res = await runCli("restore", [backupFile], embedded(join(root, "no-files")));
      expect(res.code).toBe(1);
      expect(res.stdout).toContain("no evidence folder beside the backup");
      expect(res.stderr.match(/its file is missing from the evidence store/g)).toHaveLength(2);
    } finally {
      renameSync(`${evidenceFolder}.away`, evidenceFolder);
    }
  }, 120_000);

  it("an evidence folder holding other bytes under a backed-up key is refused before anything changes", async () => {
    const clash = join(root, "clash");
    const key = JSON.parse(readFileSync(join(evidenceFolder, "manifest.json"), "utf8")).files[0].key as string;
    mkdirSync(join(clash, "evidence", "files", key.slice(0, 2)), { recursive: true });
    writeFileSync(join(clash, "evidence", "files", key.slice(0, 2), key), "someone else's bytes");
    const before = folderFingerprint(clash);
    const res = await runCli("restore", [backupFile], embedded(clash));
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/1 evidence file\(s\) in .* hold other bytes than the backup's .*nothing was changed/);
    expect(folderFingerprint(clash)).toEqual(before);
  }, 120_000);
});
