// `npm run audit:verify`: recompute every organisation's audit chain in the database the server
// would use (DATABASE_URL, else the embedded one in DATA_DIR). One line per organisation; exit code
// 1 when any chain is broken, 2 when the check could not run. With the embedded database, stop the
// server first: PGlite has no cross-process lock (or use GET /api/v1/audit/verify instead).
import { existsSync } from "node:fs";
import { openDb } from "#db/client.ts";
import { verifyAllChains } from "#app/audit.server.ts";
import { parseEnv } from "#app/env.server.ts";

// A placeholder secret: parseEnv would otherwise generate one into DATA_DIR, and a check must not write.
const env = parseEnv({ ...process.env, SESSION_SECRET: process.env.SESSION_SECRET ?? "audit-verify-reads-no-sessions-0123456789" });
const folder = env.databaseUrl.replace(/^pglite:\/\//, "");
if (env.usesEmbeddedDatabase && !existsSync(folder)) {
  console.error(`No embedded database at ${folder} (set DATA_DIR or DATABASE_URL)`);
  process.exit(2);
}

const open = await openDb(env.databaseUrl, { migrate: false });
let broken = 0;
try {
  for (const r of await verifyAllChains(open.db)) {
    if (!r.ok) broken++;
    const detail = r.ok ? `head ${r.head.slice(0, 16)}…` : `first broken at entry ${r.firstBrokenAt}: ${r.problem}`;
    console.log(`${r.ok ? "ok    " : "BROKEN"}  ${r.organisation.name} (${r.organisation.id}): ${r.entries} entries checked, ${detail}`);
  }
} catch (error) {
  console.error(`audit:verify could not run: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
} finally {
  await open.close();
}
if (broken > 0) process.exitCode = 1;
