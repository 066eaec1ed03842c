// The HTTP metrics, measured against the BUILT app (`npm run build` first) with autocannon:
//   hazard_log_page_p95_ms  GET /hazard-logs/{id} (first page, default sort), 20 concurrent users
//   hazard_search_p95_ms    GET /hazard-logs/{id}?q=allergies, 20 concurrent users
//   rollup_p95_ms           GET /api/v1/platforms/{id}/rollup (bearer token), one client
//   cold_start_ms           spawn of server/start.js to the first 200 on /healthz, database migrated and seeded
//   raw_query_ratio         median GET /api/v1/hazard-logs/{id}/hazards (one client, bearer token) over the
//                           median of the bare SQL reading the same page of rows through the same driver
// The database is prepared in this process first (migrations, demo seed, bench/dataset.ts or
// bench/rollup.ts's build, a session and an API token), closed, then served by the app: on PGlite
// from the DATA_DIR folder it was written to, on PostgreSQL from a scratch database.
import autocannon from "autocannon";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { openDb, type OpenDb } from "#db/client.ts";
import { users } from "#db/schema/index.ts";
import { seedDemo } from "#db/seed.ts";
import { startSession } from "#app/auth.server.ts";
import { useDatabase } from "#app/db.server.ts";
import { createToken } from "#app/tokens.server.ts";
import { startApp, type RunningApp } from "#tests/e2e/harness.ts";
import { buildBenchLog } from "./dataset.ts";
import { buildRollup, type RollupSize } from "./rollup.ts";
import { isMain, percentile, postgresConfigured, round1, scratchDatabase, type BenchMetric, type Engine } from "./common.ts";

const SESSION_SECRET = "bench-session-secret-not-for-production-0123456789";
const PASSWORD = "demo-password";

type Prepared = { env: Record<string, string>; dataDir: string; cookie: string; token: string; drop: () => Promise<void> };

/** A database ready for the app: built by `build` in this process, then closed. */
async function prepare<T>(kind: Engine, tag: string, build: (open: OpenDb) => Promise<T>): Promise<Prepared & { built: T }> {
  const dataDir = mkdtempSync(join(tmpdir(), `cswf-bench-${tag}-`));
  process.env.DATA_DIR = dataDir;
  process.env.SESSION_SECRET = SESSION_SECRET;
  const scratch = kind === "postgres" ? await scratchDatabase(`bench_http_${tag}_${process.pid}`) : null;
  const open = await openDb(scratch?.url ?? `pglite://${join(dataDir, "pg")}`);
  try {
    useDatabase(open);
    await seedDemo(open.db, { password: PASSWORD });
    const built = await build(open);
    const [icbCso] = await open.db.select().from(users).where(eq(users.email, "cso@icb.example"));
    const cookie = (await startSession(new Request("http://bench.local/"), icbCso.id)).split(";")[0];
    const { token } = await createToken(icbCso.id, "bench");
    const env: Record<string, string> = { DATA_DIR: dataDir, SESSION_SECRET, SEED_DEMO: "false", DEMO_PASSWORD: PASSWORD };
    if (scratch) env.DATABASE_URL = scratch.url;
    return { env, dataDir, cookie, token, built, drop: async () => { await scratch?.drop(); rmSync(dataDir, { recursive: true, force: true }); } };
  } finally {
    await open.close();
  }
}

/** autocannon run; latencies of every response collected so the p95 is exact (autocannon reports p90/p97.5). */
async function load(url: string, opts: { connections: number; amount: number; headers: Record<string, string>; warmup?: number }) {
  if (opts.warmup) await autocannon({ url, connections: Math.min(opts.connections, opts.warmup), amount: opts.warmup, headers: opts.headers, timeout: 60 });
  const times: number[] = [];
  const statuses = new Map<number, number>();
  const instance = autocannon({ url, connections: opts.connections, amount: opts.amount, headers: opts.headers, timeout: 60 });
  instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
    times.push(ms);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  });
  const result = await instance;
  const bad = [...statuses].filter(([s]) => s !== 200);
  if (bad.length || result.errors || result.timeouts) throw new Error(`${url}: statuses ${JSON.stringify(bad)}, ${result.errors} errors, ${result.timeouts} timeouts`);
  return { p50: round1(percentile(times, 50)), p95: round1(percentile(times, 95)), max: round1(Math.max(...times)), requests: times.length, rps: round1(result.requests.average) };
}

export type HttpSize = { hazards: number; rollup: RollupSize; requests: number };

export async function benchHttp(kind: Engine, size: HttpSize, log: (line: string) => void = console.error): Promise<BenchMetric[]> {
  const metrics: BenchMetric[] = [];
  const push = (m: BenchMetric) => { metrics.push(m); log(JSON.stringify(m)); };

  // --- The 5,000-hazard log: page, search, API vs bare SQL, cold start.
  let t = performance.now();
  const rawTimes: number[] = [];
  const logDb = await prepare(kind, "log", async (open) => {
    const built = await buildBenchLog(open.db, size.hazards);
    // The bare SQL of the API's first page (default sort: ref), through the same driver.
    const text = "select * from hazards where hazard_log_id = $1 order by ref_number limit 51";
    const client = (open.db as unknown as { $client: { query?: (q: string, p: unknown[]) => Promise<unknown>; unsafe?: (q: string, p: unknown[]) => Promise<unknown> } }).$client;
    const run = () => (client.query ? client.query(text, [built.logId]) : client.unsafe!(text, [built.logId]));
    for (let i = 0; i < 10; i++) await run();
    for (let i = 0; i < 50; i++) {
      const s = performance.now();
      await run();
      rawTimes.push(performance.now() - s);
    }
    return built;
  });
  log(`[bench] ${kind}: ${size.hazards}-hazard log prepared in ${Math.round(performance.now() - t)} ms`);
  let app: RunningApp | null = null;
  try {
    app = await startApp({ env: logDb.env, timeoutMs: 120_000 });
    push({ metric: "cold_start_ms", value: app.startupMs, unit: "ms", db: kind, note: "spawn to first 200 on /healthz; database already migrated and seeded" });
    const page = `${app.baseUrl}/hazard-logs/${logDb.built.logId}`;
    const cookie = { Cookie: logDb.cookie };
    const first = await load(page, { connections: 20, amount: size.requests, headers: cookie, warmup: 20 });
    push({ metric: "hazard_log_page_p95_ms", value: first.p95, unit: "ms", db: kind, p50_ms: first.p50, max_ms: first.max, requests: first.requests, connections: 20, rps: first.rps, hazards: size.hazards });
    const search = await load(`${page}?q=allergies`, { connections: 20, amount: size.requests, headers: cookie, warmup: 20 });
    push({ metric: "hazard_search_p95_ms", value: search.p95, unit: "ms", db: kind, p50_ms: search.p50, max_ms: search.max, requests: search.requests, connections: 20, rps: search.rps, hazards: size.hazards, q: "allergies" });
    const api = await load(`${app.baseUrl}/api/v1/hazard-logs/${logDb.built.logId}/hazards`, { connections: 1, amount: 50, headers: { Authorization: `Bearer ${logDb.token}` }, warmup: 10 });
    const raw = percentile(rawTimes, 50);
    push({ metric: "raw_query_ratio", value: round1(api.p50 / raw), unit: "x", db: kind, api_p50_ms: api.p50, sql_p50_ms: round1(raw), rows: 50 });
  } finally {
    await app?.stop();
    await logDb.drop();
  }

  // --- The roll-up of the largest platform (40 trusts × 300 supplier hazards).
  t = performance.now();
  const rollDb = await prepare(kind, "rollup", (open) => buildRollup(open.db, size.rollup));
  log(`[bench] ${kind}: roll-up platform (${size.rollup.trusts} trusts × ${size.rollup.supplierHazards} hazards) prepared in ${Math.round(performance.now() - t)} ms`);
  app = null;
  try {
    app = await startApp({ env: rollDb.env, timeoutMs: 120_000 });
    const amount = Math.max(10, Math.round(size.requests / 20));
    const r = await load(`${app.baseUrl}/api/v1/platforms/${rollDb.built}/rollup`, { connections: 1, amount, headers: { Authorization: `Bearer ${rollDb.token}` }, warmup: 3 });
    push({ metric: "rollup_p95_ms", value: r.p95, unit: "ms", db: kind, p50_ms: r.p50, max_ms: r.max, requests: r.requests, connections: 1, trusts: size.rollup.trusts, supplier_hazards: size.rollup.supplierHazards });
  } finally {
    await app?.stop();
    await rollDb.drop();
  }
  return metrics;
}

if (isMain(import.meta.url)) {
  const quick = process.argv.includes("--quick");
  const size: HttpSize = quick ? { hazards: 500, rollup: { trusts: 4, supplierHazards: 30 }, requests: 100 } : { hazards: 5000, rollup: { trusts: 40, supplierHazards: 300 }, requests: 1000 };
  for (const m of await benchHttp("pglite", size, () => undefined)) console.log(JSON.stringify(m));
  if (postgresConfigured()) for (const m of await benchHttp("postgres", size, () => undefined)) console.log(JSON.stringify(m));
  process.exit(0);
}
