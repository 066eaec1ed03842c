// `npx tsx bench/log-page-rls.ts [postgres://… of an EMPTY database]`: what row-level security costs the log page. One
// process, one 5,000-hazard database, the loader called alternately as a signed-in request (caller
// set: policies filter) and outside a request scope (the service: policies short-circuit), so both
// run under the same machine load. Prints p50/p95 per scenario.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { openDb } from "#db/client.ts";
import { users } from "#db/schema/index.ts";
import { seedDemo } from "#db/seed.ts";
import { runInRequestScope } from "#db/request-scope.ts";
import { startSession } from "#app/auth.server.ts";
import { useDatabase } from "#app/db.server.ts";
import { loader as logPage } from "#app/routes/hazard-logs.$id.tsx";
import { buildBenchLog } from "./dataset.ts";
process.env.DATA_DIR = mkdtempSync(join(tmpdir(), "cswf-ab-"));
process.env.SESSION_SECRET ??= "bench-session-secret-not-for-production-0123456789";
const url = process.argv[2] ?? "pglite://memory";
const open = await openDb(url, { role: "app" });
useDatabase(open);
await seedDemo(open.db, { password: "x" });
const { logId } = await buildBenchLog(open.db, 5000);
const [u] = await open.db.select().from(users).where(eq(users.email, "cso@icb.example"));
const cookie = (await startSession(new Request("http://b/"), u.id)).split(";")[0];
const call = (q: string) => logPage({ request: new Request(`http://b/hazard-logs/${logId}?${q}`, { headers: { Cookie: cookie } }), params: { id: logId }, context: { cspNonce: "n", requestId: "b", clientIp: "1" } } as never);
for (const q of ["", "residualCell=medium:major", "q=allergies"]) {
  const t = { rls: [] as number[], service: [] as number[] };
  for (let i = 0; i < 45; i++) {
    for (const mode of ["rls", "service"] as const) {
      const s = performance.now();
      await (mode === "rls" ? runInRequestScope(() => call(q)) : call(q));
      if (i >= 5) t[mode].push(performance.now() - s);
    }
  }
  const stat = (a: number[]) => { a.sort((x, y) => x - y); return { p50: Math.round(a[Math.floor(a.length / 2)]), p95: Math.round(a[Math.ceil(a.length * 0.95) - 1]) }; };
  console.log(JSON.stringify({ db: url.slice(0, 8), query: q || "(first page)", rls: stat(t.rls), service: stat(t.service) }));
}
await open.close();
process.exit(0);
