// `npm run db:restore <file>`: restores a db:backup file into the configured database, which must be
// EMPTY (an embedded folder that is missing or empty; a PostgreSQL database with no tables): a target
// holding anything is refused and left as it was. Then checks the result (app/restore-check.server.ts):
// every audit chain, every baseline hash, every signature's hash against its baseline; prints counts.
// - Embedded (PGlite): loadDataDir of a .pglite.tar.gz into the DATA_DIR folder (DATA_DIR pointing
//   at a new folder). The folder is removed again if loading fails.
// - PostgreSQL: `pg_restore --no-owner --single-transaction --exit-on-error` of a .pgdump into
//   DATABASE_URL (create the database first: createdb). A failed restore rolls back to empty.
// Exit 0 restored and verified, 1 failed (or restored but a check failed), 2 refused.
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, openSync, readSync, closeSync, readFileSync, rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import postgres from "postgres";
import { ensureAppRole, openDb, type Db } from "#db/client.ts";
import { commandEnv, EXIT, isEmptyFolder, pgliteFolder, Refusal, requirePgTool, runCommand } from "#db/cli.ts";
import * as schema from "#db/schema/index.ts";
import { checkRestoredDatabase } from "#app/restore-check.server.ts";

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

async function report(db: Db): Promise<number> {
  const check = await checkRestoredDatabase(db);
  const c = check.counts;
  console.log(`db:restore: ${c.organisations} organisations, ${c.hazards} hazards, ${c.baselines} baselines, ${c.safetyCases} safety cases, ${c.signatures} signatures, ${c.auditEntries} audit entries`);
  for (const p of check.problems) console.error(`db:restore: CHECK FAILED: ${p}`);
  if (!check.ok) return EXIT.failed;
  console.log("db:restore: verified: every audit chain recomputes, every baseline hash matches its content, every signature matches its baseline");
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
    mkdirSync(dirname(folder), { recursive: true });
    let client: PGlite | undefined;
    try {
      client = new PGlite(folder, { loadDataDir: new Blob([new Uint8Array(readFileSync(file))]) });
      await client.waitReady;
    } catch (error) {
      await client?.close().catch(() => undefined);
      rmSync(folder, { recursive: true, force: true }); // it was empty or missing: nothing of anyone's is lost
      throw error;
    }
    try {
      console.log(`db:restore: ${file} restored into ${folder}`);
      return await report(drizzle(client, { casing: "snake_case", schema }) as unknown as Db);
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
  const run = spawnSync("pg_restore", ["--no-owner", "--single-transaction", "--exit-on-error", `--dbname=${env.databaseUrl}`, file], { encoding: "utf8" });
  if (run.error || run.status !== 0) throw new Error(`pg_restore failed (nothing was restored): ${(run.stderr || String(run.error)).trim()}`);
  console.log(`db:restore: ${file} restored into the PostgreSQL database of DATABASE_URL`);
  const open = await openDb(env.databaseUrl, { migrate: false, max: 1 });
  try {
    return await report(open.db);
  } finally {
    await open.close();
  }
});
