// The log page under a 5,000-hazard log: builds the database (embedded PGlite, or a scratch
// database on the PostgreSQL of DATABASE_URL), signs a user in, and times the page's loader, called
// directly with a real Request and session cookie (authentication, permission check, filters,
// count, page, heatmaps and filter options: everything but HTML rendering and HTTP).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { eq } from "drizzle-orm";
import { openDb, type OpenDb } from "#db/client.ts";
import { users } from "#db/schema/index.ts";
import { seedDemo } from "#db/seed.ts";
import { runInRequestScope } from "#db/request-scope.ts";
import { startSession } from "#app/auth.server.ts";
import { useDatabase } from "#app/db.server.ts";
import { loader as logPage } from "#app/routes/hazard-logs.$id.tsx";
import { loader as apiList } from "#app/routes/api.v1.hazard-logs.$id.hazards.ts";
import { buildBenchLog } from "./dataset.ts";

export type Metric = { metric: string; db: "pglite" | "postgres"; requests: number; p50_ms: number; p95_ms: number; mean_ms: number; max_ms: number; rows: number; total: number };

const SCENARIOS: { name: string; path: "page" | "api"; query: string }[] = [
  { name: "log_page_first_page", path: "page", query: "" },
  { name: "log_page_search", path: "page", query: "q=allergies" },
  { name: "log_page_heatmap_cell", path: "page", query: "residualCell=medium:major" },
  { name: "log_page_sort_residual_risk", path: "page", query: "sort=-residualRisk" },
  { name: "log_page_combined_filters", path: "page", query: "status=open&residualRisk=3,4,5&overdue=true&sort=reviewDue" },
  { name: "api_list_sort_residual_risk", path: "api", query: "sort=-residualRisk&limit=50" },
];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const round = (x: number) => Math.round(x * 10) / 10;

async function openBenchDb(kind: "pglite" | "postgres"): Promise<{ open: OpenDb; drop: () => Promise<void> }> {
  // As the server does: the app role, under row-level security (db/client.ts).
  if (kind === "pglite") return { open: await openDb("pglite://memory", { role: "app" }), drop: async () => undefined };
  const url = new URL(process.env.DATABASE_URL!);
  const name = `${decodeURIComponent(url.pathname.slice(1)) || "postgres"}_bench_${process.pid}`.slice(0, 63);
  const admin = postgres(url.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  url.pathname = `/${name}`;
  const open = await openDb(url.toString(), { role: "app" });
  return {
    open,
    drop: async () => {
      await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

export async function benchLogPage(kind: "pglite" | "postgres", opts: { requests: number; log: (line: string) => void }): Promise<Metric[]> {
  const dataDir = mkdtempSync(join(tmpdir(), "cswf-bench-"));
  process.env.DATA_DIR = dataDir;
  process.env.SESSION_SECRET ??= "bench-session-secret-not-for-production-0123456789";
  const t0 = performance.now();
  const { open, drop } = await openBenchDb(kind);
  try {
    useDatabase(open);
    await seedDemo(open.db, { password: "bench-password" });
    const { logId, hazards } = await buildBenchLog(open.db, 5000);
    opts.log(`[bench] ${kind}: database with a ${hazards}-hazard log ready in ${Math.round(performance.now() - t0)} ms`);
    const [icbCso] = await open.db.select().from(users).where(eq(users.email, "cso@icb.example"));
    const cookie = (await startSession(new Request("http://bench.local/"), icbCso.id)).split(";")[0];

    // Each call in a request scope, as server/start.js runs a request: requireUser names the
    // caller and every query runs under row-level security.
    const call = (s: (typeof SCENARIOS)[number]) => runInRequestScope(() => callLoader(s));
    const callLoader = async (s: (typeof SCENARIOS)[number]) => {
      const url = s.path === "page" ? `http://bench.local/hazard-logs/${logId}?${s.query}` : `http://bench.local/api/v1/hazard-logs/${logId}/hazards?${s.query}`;
      const request = new Request(url, { headers: { Cookie: cookie } });
      const args = { request, params: { id: logId }, context: { cspNonce: "n", requestId: "bench", clientIp: "127.0.0.1" } } as never;
      if (s.path === "api") {
        const res = await apiList(args);
        if (res.status !== 200) throw new Error(`${s.name}: ${res.status} ${await res.text()}`);
        const body = (await res.json()) as { items: unknown[]; total: number };
        return { rows: body.items.length, total: body.total };
      }
      const data = await logPage(args);
      return { rows: data.page.rows.length, total: data.page.total };
    };

    const metrics: Metric[] = [];
    for (const s of SCENARIOS) {
      for (let i = 0; i < Math.min(5, opts.requests); i++) await call(s); // warm-up: plans, caches, JIT
      const times: number[] = [];
      let shape = { rows: 0, total: 0 };
      for (let i = 0; i < opts.requests; i++) {
        const t = performance.now();
        shape = await call(s);
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      const m: Metric = {
        metric: s.name, db: kind, requests: times.length,
        p50_ms: round(percentile(times, 50)), p95_ms: round(percentile(times, 95)),
        mean_ms: round(times.reduce((a, b) => a + b, 0) / times.length), max_ms: round(times.at(-1)!),
        ...shape,
      };
      metrics.push(m);
      console.log(JSON.stringify(m));
    }
    return metrics;
  } finally {
    await open.close();
    await drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// `npx tsx bench/log-page.ts [--quick]`: the loader-level figures (no HTTP, no rendering), as run.ts printed them before the HTTP benchmark.
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/bench\//, "/bench/"))) {
  const requests = process.argv.includes("--quick") ? 30 : 200;
  await benchLogPage("pglite", { requests, log: (line) => console.error(line) });
  if (process.env.DATABASE_URL?.startsWith("postgres")) await benchLogPage("postgres", { requests, log: (line) => console.error(line) });
  process.exit(0);
}
