// `npm run db:backup [file] [--force]`: a consistent backup of the configured database (DATABASE_URL,
// else the embedded one in DATA_DIR), written atomically (a .partial file renamed when complete);
// an existing file is never overwritten.
// - Embedded (PGlite): PGlite's own dump of the data folder (dumpDataDir, gzip tar), default
//   `backups/<timestamp>.pglite.tar.gz`. PGlite is single-process: the server must be stopped; a
//   folder that is open elsewhere (postmaster.pid present) is refused (--force overrides, for a
//   folder left behind by a killed process).
// - PostgreSQL: `pg_dump --format=custom` (Debian's postgresql-client), default
//   `backups/<timestamp>.pgdump`. The server may keep running: pg_dump reads one snapshot.
// - Evidence files (filesystem store, DATA_DIR/evidence/files): copied, after the dump, into
//   `<file>.evidence/` with a manifest.json of every file's SHA-256 (app/evidence-backup.server.ts).
//   With EVIDENCE_STORAGE=s3 the bytes stay in the bucket: back the bucket up with its own tools
//   (versioning, replication); db:restore checks every evidence row against it.
// Default folder: `backups/` under the working directory, not DATA_DIR, so that a backup survives the
// loss of DATA_DIR and db:restore can start from an empty DATA_DIR. Exit 0 done, 1 failed, 2 refused.
import { newPglite } from "#db/client.ts";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { commandEnv, EXIT, pgliteFolder, Refusal, refuseIfPgliteInUse, requirePgTool, runCommand } from "#db/cli.ts";
import { backupEvidenceFiles, evidenceFolderOf } from "#app/evidence-backup.server.ts";

const args = process.argv.slice(2);
const force = args.includes("--force");
const fileArg = args.find((a) => !a.startsWith("--"));

await runCommand("db:backup", async () => {
  const env = commandEnv();
  const folder = pgliteFolder(env);
  const stamp = new Date().toISOString().replace(/\.\d+Z$/, "Z").replace(/:/g, "-");
  const file = resolve(fileArg ?? join("backups", `${stamp}.${folder ? "pglite.tar.gz" : "pgdump"}`));
  if (existsSync(file)) throw new Refusal(`${file} already exists; a backup never overwrites a file`);
  const storage = env.evidence.storage;
  const evidenceFolder = evidenceFolderOf(file);
  if (storage.kind === "filesystem" && existsSync(evidenceFolder)) throw new Refusal(`${evidenceFolder} already exists; a backup never overwrites a file`);
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  const evidencePartial = `${evidenceFolder}.partial`;
  rmSync(partial, { force: true });
  rmSync(evidencePartial, { recursive: true, force: true });
  let evidenceNote: string;
  try {
    if (folder) {
      if (!existsSync(join(folder, "PG_VERSION"))) throw new Refusal(`there is no embedded database at ${folder} (set DATA_DIR or DATABASE_URL)`);
      refuseIfPgliteInUse(folder, force);
      const client = newPglite(folder);
      try {
        await client.waitReady;
        const dump = await client.dumpDataDir("gzip");
        writeFileSync(partial, new Uint8Array(await dump.arrayBuffer()));
      } finally {
        await client.close();
      }
    } else {
      requirePgTool("pg_dump");
      const run = spawnSync("pg_dump", ["--format=custom", `--file=${partial}`, `--dbname=${env.databaseUrl}`], { encoding: "utf8" });
      if (run.error || run.status !== 0) throw new Error(`pg_dump failed: ${(run.stderr || String(run.error)).trim()}`);
    }
    // After the dump: every file a dumped evidence row names was stored before its row committed.
    if (storage.kind === "filesystem") {
      const copied = await backupEvidenceFiles(storage.dir, evidencePartial);
      renameSync(evidencePartial, evidenceFolder);
      evidenceNote = `${copied.files} evidence file(s) (${copied.bytes} bytes) copied to ${evidenceFolder}, each with its SHA-256 in manifest.json`;
    } else {
      evidenceNote = `evidence files are in the S3 bucket ${storage.bucket} and are not in this backup: back the bucket up with its own tools (db:restore checks every file against it)`;
    }
    renameSync(partial, file);
  } catch (error) {
    if (!existsSync(file)) rmSync(evidenceFolder, { recursive: true, force: true }); // no dump, no half a backup
    throw error;
  } finally {
    rmSync(partial, { force: true });
    rmSync(evidencePartial, { recursive: true, force: true });
  }
  console.log(`db:backup: ${folder ? "embedded database" : "PostgreSQL database"} backed up to ${file} (${statSync(file).size} bytes)`);
  console.log(`db:backup: ${evidenceNote}`);
  return EXIT.ok;
});
