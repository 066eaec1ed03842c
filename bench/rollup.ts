// The ICB roll-up at scale (issue 5): 1 platform × 40 trusts × 300 supplier hazards, so the ICB's
// shared log inherits 300 and every trust's local log inherits the shared log's ~308 hazards
// (about 12,300 local hazards). Rows are bulk-inserted with the columns the store would give them.
// Measures the API (`GET /api/v1/platforms/{id}/rollup`) and the page loader with a session cookie.
//   npx tsx bench/rollup.ts                 # PGlite
//   DATABASE_URL=postgres://… npx tsx bench/rollup.ts   # PostgreSQL too (a scratch database)
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import { openDb, type OpenDb } from "#db/client.ts";
import * as s from "#db/schema/index.ts";
import { seedDemo } from "#db/seed.ts";
import { startSession } from "#app/auth.server.ts";
import { useDatabase } from "#app/db.server.ts";
import { formatRef } from "#app/hazard-store.server.ts";
import { loader as apiRollup } from "#app/routes/api.v1.platforms.$id.rollup.ts";
import { loader as pageRollup } from "#app/routes/platforms.$id.tsx";
import { isMain, percentile, postgresConfigured, scratchDatabase, type BenchMetric, type Engine } from "./common.ts";

export type RollupSize = { trusts: number; supplierHazards: number };
export const ROLLUP_FULL: RollupSize = { trusts: 40, supplierHazards: 300 };

async function open(kind: Engine): Promise<{ db: OpenDb; drop: () => Promise<void> }> {
  if (kind === "pglite") {
    const db = await openDb("pglite://memory");
    return { db, drop: () => db.close() };
  }
  const scratch = await scratchDatabase(`bench_rollup_${process.pid}`);
  const db = await openDb(scratch.url);
  return { db, drop: async () => { await db.close(); await scratch.drop(); } };
}

async function insertAll<T extends typeof s.hazards.$inferInsert>(db: OpenDb["db"], rows: T[]) {
  const ids: string[] = [];
  for (let i = 0; i < rows.length; i += 500) ids.push(...(await db.insert(s.hazards).values(rows.slice(i, i + 500)).returning({ id: s.hazards.id })).map((r) => r.id));
  return ids;
}

/** Seeds the demo data and grows the demo platform to `size` (trusts including the two demo trusts); returns the platform id. */
export async function buildRollup(db: OpenDb["db"], size: RollupSize = ROLLUP_FULL) {
  const { trusts: TRUSTS, supplierHazards: SUPPLIER_HAZARDS } = size;
  await seedDemo(db, { password: "bench-password" });
  const [platform] = await db.select().from(s.platforms);
  const logs = await db.select().from(s.hazardLogs);
  const supplierLog = logs.find((l) => l.scope === "platform")!;
  const icbLog = logs.find((l) => l.scope === "shared")!;
  const risk = (i: number) => 1 + (i % 5);
  // Supplier log up to 300 hazards, each inherited (accepted) by the ICB.
  const existing = await db.select().from(s.hazards).where(eq(s.hazards.hazardLogId, supplierLog.id));
  const newSupplier = Array.from({ length: Math.max(0, SUPPLIER_HAZARDS - existing.length) }, (_, i) => {
    const n = existing.length + i + 1;
    return { hazardLogId: supplierLog.id, refNumber: n, ref: formatRef(n), title: `Generated supplier hazard ${n}`, description: "Generated for the roll-up benchmark", causes: ["Generated cause"], residualRisk: risk(n), status: "open" as const, searchText: `generated supplier hazard ${n}` };
  });
  const newIds = await insertAll(db, newSupplier);
  let icbNext = (await db.select().from(s.hazards).where(eq(s.hazards.hazardLogId, icbLog.id))).length;
  await insertAll(db, newIds.map((upstreamHazardId, i) => ({ hazardLogId: icbLog.id, refNumber: ++icbNext, ref: formatRef(icbNext), causes: [], upstreamHazardId, upstreamAcceptedVersion: 1, residualRisk: risk(i), status: "open" as const })));
  const icbHazards = await db.select({ id: s.hazards.id, version: s.hazards.version }).from(s.hazards).where(eq(s.hazards.hazardLogId, icbLog.id));
  // 38 more trusts, each with a local log inheriting every ICB hazard (some not yet accepted).
  for (let t = 3; t <= TRUSTS; t++) {
    const [org] = await db.insert(s.organisations).values({ name: `Generated Trust ${t} NHS Foundation Trust`, slug: `trust-${t}`, kind: "deployer" }).returning();
    const [deployment] = await db.insert(s.deployments).values({ platformId: platform.id, organisationId: org.id }).returning();
    const [log] = await db.insert(s.hazardLogs).values({ title: `Generated Trust ${t} DCB0160 hazard log`, standard: "DCB0160", scope: "local", organisationId: org.id, platformId: platform.id, deploymentId: deployment.id, riskSchemeId: icbLog.riskSchemeId, upstreamLogId: icbLog.id, nextRefNumber: icbHazards.length + 1 }).returning();
    await insertAll(db, icbHazards.map((h, i) => ({ hazardLogId: log.id, refNumber: i + 1, ref: formatRef(i + 1), causes: [], upstreamHazardId: h.id, upstreamAcceptedVersion: (i + t) % 9 === 0 ? null : h.version, residualRisk: risk(i + t), status: "open" as const, reviewDue: (i + t) % 11 === 0 ? "2026-01-31" : null })));
  }
  // The two demo trusts inherit the new ICB hazards too.
  for (const local of logs.filter((l) => l.scope === "local")) {
    const have = new Set((await db.select({ up: s.hazards.upstreamHazardId }).from(s.hazards).where(eq(s.hazards.hazardLogId, local.id))).map((r) => r.up));
    let next = local.nextRefNumber + 100;
    await insertAll(db, icbHazards.filter((h) => !have.has(h.id)).map((h, i) => ({ hazardLogId: local.id, refNumber: ++next, ref: formatRef(next), causes: [], upstreamHazardId: h.id, upstreamAcceptedVersion: h.version, residualRisk: risk(i), status: "open" as const })));
  }
  return platform.id;
}

/** Times the roll-up API and page loader in-process (no HTTP); the HTTP figure is bench/http.ts's rollup_p95_ms. */
export async function benchRollupLoaders(kind: Engine, opts: { size?: RollupSize; requests?: number; log?: (line: string) => void } = {}): Promise<BenchMetric[]> {
  const size = opts.size ?? ROLLUP_FULL;
  const requests = opts.requests ?? 30;
  const log = opts.log ?? ((line: string) => console.log(line));
  process.env.SESSION_SECRET ??= "bench-session-secret-not-for-production-0123456789";
  process.env.DATA_DIR ??= mkdtempSync(join(tmpdir(), "cswf-rollup-"));
  const { db, drop } = await open(kind);
  try {
    useDatabase(db);
    const t0 = performance.now();
    const platformId = await buildRollup(db.db, size);
    const [{ count }] = await db.db.select({ count: sql<number>`count(*)::int` }).from(s.hazards);
    log(`[rollup] ${kind}: ${count} hazards across ${size.trusts} trusts built in ${Math.round(performance.now() - t0)} ms`);
    const [icbCso] = await db.db.select().from(s.users).where(eq(s.users.email, "cso@icb.example"));
    const cookie = (await startSession(new Request("http://bench.local/"), icbCso.id)).split(";")[0];
    const args = (url: string) => ({ request: new Request(url, { headers: { Cookie: cookie } }), params: { id: platformId }, context: { cspNonce: "n", requestId: "bench", clientIp: "127.0.0.1" } }) as never;
    const metrics: BenchMetric[] = [];
    for (const [name, run] of [
      ["rollup_api_loader", async () => { const r = await apiRollup(args(`http://bench.local/api/v1/platforms/${platformId}/rollup`)); if (r.status !== 200) throw new Error(String(r.status)); await r.arrayBuffer(); }],
      ["rollup_page_loader_pending", async () => { await pageRollup(args(`http://bench.local/platforms/${platformId}?pending=true`)); }],
    ] as const) {
      await run();
      const times: number[] = [];
      for (let i = 0; i < requests; i++) {
        const t = performance.now();
        await run();
        times.push(performance.now() - t);
      }
      const m: BenchMetric = { metric: `${name}_p95_ms`, value: Math.round(percentile(times, 95)), unit: "ms", db: kind, p50_ms: Math.round(percentile(times, 50)), requests, hazards: count, trusts: size.trusts, http: false };
      log(JSON.stringify(m));
      metrics.push(m);
    }
    return metrics;
  } finally {
    await drop();
  }
}

if (isMain(import.meta.url)) {
  const requests = Number(process.env.BENCH_REQUESTS ?? 30);
  await benchRollupLoaders("pglite", { requests });
  if (postgresConfigured()) await benchRollupLoaders("postgres", { requests });
  process.exit(0);
}
