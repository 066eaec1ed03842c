// Profiling helper for the full-size roll-up (issue 9): on an existing copy of the generated estate
// (e.g. `createdb -T estate rollup_work`), starts a session and an API token for the ICB CSO and
// writes what bench/hot-load.ts needs (the largest platform's id as `id`) to a JSON file.
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/rollup_work npx tsx bench/rollup-estate-prepare.ts /tmp/rollup-estate.json
import { writeFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import { openDb } from "#db/client.ts";
import { platforms, users } from "#db/schema/index.ts";
import { startSession } from "#app/auth.server.ts";
import { useDatabase } from "#app/db.server.ts";
import { createToken } from "#app/tokens.server.ts";

const [out] = process.argv.slice(2);
const SESSION_SECRET = "bench-session-secret-not-for-production-0123456789";
process.env.SESSION_SECRET = SESSION_SECRET;
process.env.DATA_DIR = "/tmp/rollup-estate-data";
const url = process.env.DATABASE_URL!;
const open = await openDb(url);
useDatabase(open);
const [platform] = await open.db.select().from(platforms).where(eq(platforms.name, "Wessex Shared EPR"));
const [icbCso] = await open.db.select().from(users).where(eq(users.email, "cso@icb.example"));
const cookie = (await startSession(new Request("http://bench.local/"), icbCso.id)).split(";")[0];
const { token } = await createToken(icbCso.id, "rollup");
const env: Record<string, string> = { DATA_DIR: process.env.DATA_DIR, SESSION_SECRET, SEED_DEMO: "false", DATABASE_URL: url };
writeFileSync(out, JSON.stringify({ id: platform.id, cookie, token, env, url }, null, 2));
await open.close();
console.error(`written ${out}`);
process.exit(0);
