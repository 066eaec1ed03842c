// `npm run db:restore <file>`: restores a db:backup file into the configured database, which must be
// EMPTY (an embedded folder that is missing or empty; a PostgreSQL database with no tables): a target
// holding anything is refused and left as it was. Then checks the result (app/restore-check.server.ts):
// every audit chain, every baseline hash, every signature's hash against its baseline; prints counts.
// - Embedded (PGlite): loadDataDir of a .pglite.tar.gz into the DATA_DIR folder (DATA_DIR pointing
//   at a new folder). The folder is removed again if loading fails.
// - PostgreSQL: `pg_restore --no-owner --single-transaction --exit-on-error` of a .pgdump into
//   DATABASE_URL (create the database first: createdb). A failed restore rolls back to empty.
// - Evidence files: when `<file>.evidence/` (written by db:backup) is there and EVIDENCE_STORAGE is
//   filesystem, its files are copied into DATA_DIR/evidence/files after the database is restored,
//   each checked against the manifest's SHA-256; a file already there with other bytes is refused
//   before anything changes (nothing is overwritten). Then every evidence row's file is read back
//   from the evidence store (filesystem or S3) and its SHA-256 checked.
// Exit 0 restored and verified, 1 failed (or restored but a check failed), 2 refused.
import type { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, openSync, readSync, closeSync, readFileSync, rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import postgres from "postgres";
import { ensureAppRole, newPglite, openDb, type Db } from "#db/client.ts";
import { commandEnv, EXIT, isEmptyFolder, pgliteFolder, Refusal, requirePgTool, runCommand } from "#db/cli.ts";
import * as schema from "#db/schema/index.ts";
import { checkRestoredDatabase } from "#app/restore-check.server.ts";
import { evidenceConflicts, evidenceFolderOf, isFolder, readManifest, restoreEvidenceFiles, type Manifest } from "#app/evidence-backup.server.ts";
import type { Env } from "#app/env.server.ts";
import { createFilesystemStore } from "#app/storage/filesystem.server.ts";
import { createS3Store } from "#app/storage/s3.server.ts";
import type { EvidenceStore } from "#app/storage/types.ts";

function fileKind(file: string): "pglite" | "pgdump" | "unknown" {
  const fd = openSync(file, "r");
  const head = Buffer.alloc(5);
  try {
    readSync(fd, head, 0, 5, 0);
  } finally {
    closeSync(fd);
  }
  if (head[0] === 0x1f && head[1] === 0x8b) return "pglite"; // gzip: PGlite's dumpDataDir
  if (head.toString("latin1") === "PGDMP") return "pgdump"; // pg_dump --format=custom
  return "unknown";
}

type EvidencePlan = { folder: string; manifest: Manifest | null; store: EvidenceStore; storeDir: string | null; note: string };

/** Before anything is restored: the backup's evidence folder (if any), and no file it would overwrite. */
async function planEvidence(env: Env, file: string): Promise<EvidencePlan> {
  const setting = env.evidence.storage;
  const store = setting.kind === "filesystem" ? createFilesystemStore(setting.dir) : createS3Store(setting);
  const folder = evidenceFolderOf(file);
  const manifest = (await isFolder(folder)) ? await readManifest(folder) : null;
  if (setting.kind !== "filesystem")
    return { folder, manifest: null, store, storeDir: null, note: `evidence files are checked in the S3 bucket ${setting.bucket}${manifest ? ` (${folder} was not copied: restore it into the bucket with its own tools)` : ""}` };
  if (!manifest) return { folder, manifest, store, storeDir: setting.dir, note: `no evidence folder beside the backup (${folder}); evidence files are checked in ${setting.dir}` };
  const conflicts = await evidenceConflicts(manifest, setting.dir);
  if (conflicts.length)
    throw new Refusal(`${conflicts.length} evidence file(s) in ${setting.dir} hold other bytes than the backup's (first: ${conflicts[0]}); restore only into an empty evidence folder; nothing was changed`);
  return { folder, manifest, store, storeDir: setting.dir, note: "" };
}

async function report(db: Db, evidence: EvidencePlan): Promise<number> {
  const problems: string[] = [];
  if (evidence.manifest && evidence.storeDir) {
    const restored = await restoreEvidenceFiles(evidence.folder, evidence.manifest, evidence.storeDir);
    problems.push(...restored.problems);
    console.log(`db:restore: ${evidence.manifest.files.length} evidence file(s) in ${evidence.folder}: ${restored.copied} copied into ${evidence.storeDir}, ${restored.present} already there with the same bytes`);
  } else console.log(`db:restore: ${evidence.note}`);
  const check = await checkRestoredDatabase(db, { store: evidence.store });
  problems.push(...check.problems);
  const c = check.counts;
  console.log(`db:restore: ${c.organisations} organisations, ${c.hazards} hazards, ${c.baselines} baselines, ${c.safetyCases} safety cases, ${c.signatures} signatures, ${c.auditEntries} audit entries, ${c.evidence} evidence files`);
  for (const p of problems) console.error(`db:restore: CHECK FAILED: ${p}`);
  if (problems.length) return EXIT.failed;
  console.log("db:restore: verified: every audit chain recomputes, every baseline hash matches its content, every signature matches its baseline, every evidence file is in the store with its SHA-256");
  return EXIT.ok;
}

await runCommand("db:restore", async () => {
  const arg = process.argv.slice(2).find((a) => !a.startsWith("--"));
  if (!arg) throw new Refusal("name the backup file: npm run db:restore <file>");
  const file = resolve(arg);
  if (!existsSync(file)) throw new Refusal(`${file} does not exist`);
  const env = commandEnv();
  const folder = pgliteFolder(env);
  const kind = fileKind(file);
  if (kind !== (folder ? "pglite" : "pgdump"))
    throw new Refusal(`${file} is ${kind === "unknown" ? "not a db:backup file" : `a ${kind === "pglite" ? "embedded (PGlite)" : "PostgreSQL (pg_dump)"} backup`}, but the configured database is ${folder ? "the embedded one (DATA_DIR)" : "PostgreSQL (DATABASE_URL)"}`);

  if (folder) {
    if (folder === "memory" || folder === "") throw new Refusal("restoring into an in-memory database would keep nothing; set DATA_DIR to a new folder");
    if (!isEmptyFolder(folder)) throw new Refusal(`${folder} is not empty; restore only into a new, empty DATA_DIR (nothing was changed)`);
    const evidence = await planEvidence(env, file);
    mkdirSync(dirname(folder), { recursive: true });
    let client: PGlite | undefined;
    try {
      client = newPglite(folder, { loadDataDir: new Blob([new Uint8Array(readFileSync(file))]) });
      await client.waitReady;
    } catch (error) {
      await client?.close().catch(() => undefined);
      rmSync(folder, { recursive: true, force: true }); // it was empty or missing: nothing of anyone's is lost
      throw error;
    }
    try {
      console.log(`db:restore: ${file} restored into ${folder}`);
      return await report(drizzle(client, { casing: "snake_case", schema }) as unknown as Db, evidence);
    } finally {
      await client.close();
    }
  }

  requirePgTool("pg_restore");
  const sql = postgres(env.databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const [{ n }] = await sql<{ n: number }[]>`
      select count(*)::int as n from pg_class c join pg_namespace ns on ns.oid = c.relnamespace
      where c.relkind in ('r', 'p', 'v', 'm', 'S') and ns.nspname not in ('pg_catalog', 'information_schema')
        and ns.nspname not like 'pg_toast%' and ns.nspname not like 'pg_temp%'`;
    if (n > 0) throw new Refusal(`the database of DATABASE_URL already has ${n} table(s), view(s) or sequence(s); restore only into an empty database (createdb a new one); nothing was changed`);
    await ensureAppRole(sql); // the dump's row-level security policies and grants name it
  } finally {
    await sql.end();
  }
  const evidence = await planEvidence(env, file);
  const run = spawnSync("pg_restore", ["--no-owner", "--single-transaction", "--exit-on-error", `--dbname=${env.databaseUrl}`, file], { encoding: "utf8" });
  if (run.error || run.status !== 0) throw new Error(`pg_restore failed (nothing was restored): ${(run.stderr || String(run.error)).trim()}`);
  console.log(`db:restore: ${file} restored into the PostgreSQL database of DATABASE_URL`);
  const open = await openDb(env.databaseUrl, { migrate: false, max: 1 });
  try {
    return await report(open.db, evidence);
  } finally {
    await open.close();
  }
});
