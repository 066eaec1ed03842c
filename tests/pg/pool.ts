// The file's PostgreSQL test database (openTestDb) handed to the app through a pool of several
// connections, for the tests of concurrent requests: openTestDb's own handle would queue them.
import { openDb, type OpenDb } from "#db/client.ts";
import { useDatabase } from "#app/db.server.ts";
import { closeTestDb, currentTestDbUrl, openTestDb } from "#tests/setup/test-db.ts";

let pool: OpenDb | null = null;

export async function openTestPool(max = 20): Promise<OpenDb> {
  await openTestDb();
  const url = currentTestDbUrl();
  if (!url) throw new Error("tests/pg needs DATABASE_URL (PostgreSQL)");
  pool = await openDb(url, { migrate: false, max });
  useDatabase(pool);
  return pool;
}

export async function closeTestPool(): Promise<void> {
  await pool?.close();
  pool = null;
  await closeTestDb();
}
