// The one database of this process: opened once, migrated and (when asked) seeded at start-up,
// closed on SIGTERM/SIGINT (an open PGlite folder would otherwise keep the process alive).
import { openDb, type Db, type OpenDb } from "#db/client.ts";
import { seedDemo } from "#db/seed.ts";
import { getEnv } from "./env.server.ts";

const g = globalThis as unknown as { __db?: Promise<OpenDb>; __dbShutdownHooked?: boolean };

export function getOpenDb(): Promise<OpenDb> {
  if (!g.__db) {
    const env = getEnv();
    g.__db = openDb(env.databaseUrl, { role: "app" }); // migrates as the owner, then acts as cswf_app (row-level security)
    hookShutdown();
  }
  return g.__db;
}

export async function getDb(): Promise<Db> {
  return (await getOpenDb()).db;
}

/** Tests hand in their own database (PGlite from a seeded template, or a fresh PostgreSQL one). */
export function useDatabase(open: OpenDb) {
  g.__db = Promise.resolve(open);
}

/** Start-up: migrate, then seed the demo data into an empty database when SEED_DEMO is on. */
export async function prepareDatabase(): Promise<void> {
  const env = getEnv();
  const { db } = await getOpenDb();
  if (env.seedDemo) await seedDemo(db, { password: env.demoPassword });
}

/** The primary of several server processes prepares the database, then hands it to its workers. */
export async function closeDatabase(): Promise<void> {
  const open = g.__db;
  g.__db = undefined;
  if (open) await (await open).close();
}

function hookShutdown() {
  if (g.__dbShutdownHooked) return;
  g.__dbShutdownHooked = true;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      void (g.__db ?? Promise.resolve(undefined))
        .then((d) => d?.close())
        .catch(() => undefined)
        .finally(() => process.exit(0));
    });
  }
}
