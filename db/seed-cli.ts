// `npm run db:seed`: applies the migrations, then seeds the demo data (contract §3, every account's
// password DEMO_PASSWORD) into an EMPTY database. A database that already holds the demo data is
// left alone (exit 0); one that holds other organisations is refused (exit 2), never mixed with demo data.
// With the embedded database stop the server first (PGlite allows one process per folder).
import { sql } from "drizzle-orm";
import { openDb } from "./client.ts";
import { commandEnv, EXIT, pgliteFolder, Refusal, refuseIfPgliteInUse, runCommand } from "./cli.ts";
import { organisations } from "./schema/index.ts";
import { isSeeded, seedDemo } from "./seed.ts";

await runCommand("db:seed", async () => {
  const env = commandEnv();
  const folder = pgliteFolder(env);
  if (folder) refuseIfPgliteInUse(folder, process.argv.includes("--force"));
  const open = await openDb(env.databaseUrl);
  try {
    if (await isSeeded(open.db)) {
      console.log("db:seed: the demo data is already there; nothing changed");
      return EXIT.ok;
    }
    const [{ n }] = await open.db.select({ n: sql<number>`count(*)::int` }).from(organisations);
    if (n > 0) throw new Refusal(`the database already holds ${n} organisation(s); the demo data is seeded only into an empty database`);
    await seedDemo(open.db, { password: env.demoPassword });
    console.log(`db:seed: demo data seeded into ${folder ?? "the PostgreSQL database of DATABASE_URL"}`);
    return EXIT.ok;
  } finally {
    await open.close();
  }
});
