// Runs once per Vitest run, before any test file: builds the seeded template database that
// tests/setup/test-db.ts hands to each file (see there).
import postgres from "postgres";
import {
  buildPgliteTemplates,
  buildPostgresTemplates,
  dropPostgresTemplates,
  databaseOf,
  postgresUrl,
} from "./test-db.ts";

export default async function setup() {
  const started = performance.now();
  const url = postgresUrl();
  if (!url) {
    const ms = await buildPgliteTemplates();
    const parts = Object.entries(ms).map(([k, v]) => `${k} ${Math.round(v)} ms`).join(", ");
    console.log(`[test-db] PGlite template ready in ${Math.round(performance.now() - started)} ms (${parts})`);
    return;
  }
  await dropOrphanedTestDatabases(url);
  await buildPostgresTemplates(url);
  console.log(`[test-db] PostgreSQL template ready in ${Math.round(performance.now() - started)} ms (${redact(url)})`);
  return async () => {
    await dropPostgresTemplates(url);
    await dropOrphanedTestDatabases(url);
  };
}

function redact(url: string) {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}

/** Test databases are named `<db>_t_<pid>_<random>`: drop those whose process is gone (a crashed run). */
async function dropOrphanedTestDatabases(url: string) {
  const prefix = `${databaseOf(url)}_t_`;
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ datname: string }[]>`select datname from pg_database where starts_with(datname, ${prefix})`;
    for (const { datname } of rows) {
      const pid = Number(datname.slice(prefix.length).split("_")[0]);
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) continue;
      await sql.unsafe(`DROP DATABASE IF EXISTS "${datname.replace(/"/g, '""')}" WITH (FORCE)`);
    }
  } finally {
    await sql.end();
  }
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
