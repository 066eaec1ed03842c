// `npm run db:migrate`: applies every pending migration of db/migrations to the configured database
// (DATABASE_URL, else the embedded one in DATA_DIR; an embedded folder is created when missing).
// With the embedded database stop the server first (PGlite allows one process per folder).
import { openDb } from "./client.ts";
import { commandEnv, EXIT, pgliteFolder, refuseIfPgliteInUse, runCommand } from "./cli.ts";

await runCommand("db:migrate", async () => {
  const env = commandEnv();
  const folder = pgliteFolder(env);
  if (folder) refuseIfPgliteInUse(folder, process.argv.includes("--force"));
  const open = await openDb(env.databaseUrl); // migrates (PostgreSQL: under an advisory lock)
  await open.close();
  console.log(`db:migrate: migrations applied to ${folder ?? "the PostgreSQL database of DATABASE_URL"}`);
  return EXIT.ok;
});
