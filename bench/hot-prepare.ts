// Profiling helper for the hot paths (issue 9): builds ONE database (PostgreSQL `hot_<kind>` on
// DATABASE_URL's server, or a PGlite folder) with the 5,000-hazard log or the 40-trust roll-up,
// a session cookie and an API token, and writes what a load tool needs to a JSON file. Unlike
// bench/http.ts it keeps the database, so the built app can be started by hand (e.g. with
// `node --cpu-prof server/start.js`) and loaded with autocannon repeatedly.
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/hot-prepare.ts log  /tmp/hot-log.json
//   npx tsx bench/hot-prepare.ts rollup /tmp/hot-rollup.json --pglite /tmp/hot-pglite-rollup
//   DATABASE_URL=... npx tsx bench/hot-prepare.ts estate /tmp/hot-estate.json [--quick]
// `estate` keeps the benchmark's own generated estate (bench/http.ts's prepareEstate; its scratch
// database is not dropped) with the supplier CSO's cookie and token: the figures of bench/http.ts.
import { writeFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import postgres from "postgres";
import { openDb } from "#db/client.ts";
import { users } from "#db/schema/index.ts";
import { seedDemo } from "#db/seed.ts";
import { startSession } from "#app/auth.server.ts";
import { useDatabase } from "#app/db.server.ts";
import { createToken } from "#app/tokens.server.ts";
import { buildBenchLog } from "./dataset.ts";
import { buildRollup } from "./rollup.ts";

const [what, out] = process.argv.slice(2);
const pgliteAt = process.argv.includes("--pglite") ? process.argv[process.argv.indexOf("--pglite") + 1] : null;
const SESSION_SECRET = "bench-session-secret-not-for-production-0123456789";
process.env.SESSION_SECRET = SESSION_SECRET;
process.env.DATA_DIR = pgliteAt ?? "/tmp/hot-data";

if (what === "estate") {
  const { prepareEstate } = await import("./http.ts");
  const { ESTATE_FULL, ESTATE_QUICK } = await import("./generate.ts");
  const p = await prepareEstate(pgliteAt ? "pglite" : "postgres", process.argv.includes("--quick") ? ESTATE_QUICK : ESTATE_FULL);
  const env = { ...p.env, NODE_ENV: "production" };
  writeFileSync(out, JSON.stringify({ id: p.estate.supplierLogId, cookie: p.cookies.supplier, token: p.tokens.supplier, env, url: p.url, rawTimes: p.rawTimes }, null, 2));
  console.error(`written ${out}`);
  process.exit(0);
}

let url: string;
if (pgliteAt) url = `pglite://${pgliteAt}/pg`;
else {
  const name = `hot_${what}`;
  const admin = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  await admin.end();
  const u = new URL(process.env.DATABASE_URL!);
  u.pathname = `/${name}`;
  url = u.toString();
}
const open = await openDb(url);
useDatabase(open);
let id: string;
if (what === "rollup") id = await buildRollup(open.db);
else {
  await seedDemo(open.db, { password: "demo-password" });
  id = (await buildBenchLog(open.db, 5000)).logId;
}
const [icbCso] = await open.db.select().from(users).where(eq(users.email, "cso@icb.example"));
const cookie = (await startSession(new Request("http://bench.local/"), icbCso.id)).split(";")[0];
const { token } = await createToken(icbCso.id, "hot");
const env: Record<string, string> = { DATA_DIR: process.env.DATA_DIR, SESSION_SECRET, SEED_DEMO: "false", NODE_ENV: "production" };
if (!pgliteAt) env.DATABASE_URL = url;
writeFileSync(out, JSON.stringify({ id, cookie, token, env, url }, null, 2));
await open.close();
console.error(`written ${out}`);
process.exit(0);
