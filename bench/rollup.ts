// The ICB roll-up at scale (issue 5): 1 platform × 40 trusts × 300 supplier hazards, so the ICB's
// shared log inherits 300 and every trust's local log inherits the shared log's ~308 hazards
// (about 12,300 local hazards). Rows are bulk-inserted with the columns the store would give them.
// Measures the API (`GET /api/v1/platforms/{id}/rollup`) and the page loader with a session cookie.
//   npx tsx bench/rollup.ts                 # PGlite
//   DATABASE_URL=postgres://… npx tsx bench/rollup.ts   # PostgreSQL too (a scratch database)
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import postgres from "postgres";
import { openDb, type OpenDb } from "#db/client.ts";
import * as s from "#db/schema/index.ts";
import { seedDemo } from "#db/seed.ts";
import { startSession } from "#app/auth.server.ts";
import { useDatabase } from "#app/db.server.ts";
import { formatRef } from "#app/hazard-store.server.ts";
import { loader as apiRollup } from "#app/routes/api.v1.platforms.$id.rollup.ts";
import { loader as pageRollup } from "#app/routes/platforms.$id.tsx";

const TRUSTS = 40;
const SUPPLIER_HAZARDS = 300;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 30);
process.env.SESSION_SECRET ??= "bench-session-secret-not-for-production-0123456789";
process.env.DATA_DIR = mkdtempSync(join(tmpdir(), "cswf-rollup-"));

async function open(kind: "pglite" | "postgres"): Promise<{ db: OpenDb; drop: () => Promise<void> }> {
  if (kind === "pglite") {
    const db = await openDb("pglite://memory");
    return { db, drop: () => db.close() };
  }
  const url = process.env.DATABASE_URL!;
  const name = `bench_rollup_${process.pid}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const db = await openDb(target.toString());
  return { db, drop: async () => { await db.close(); await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`); await admin.end(); } };
}

async function insertAll<T extends typeof s.hazards.$inferInsert>(db: OpenDb["db"], rows: T[]) {
  const ids: string[] = [];
  for (let i = 0; i < rows.length; i += 500) ids.push(...(await db.insert(s.hazards).values(rows.slice(i, i + 500)).returning({ id: s.hazards.id })).map((r) => r.id));
  return ids;
}

async function build(db: OpenDb["db"]) {
  await seedDemo(db, { password: "bench-password" });
  const [platform] = await db.select().from(s.platforms);
  const logs = await db.select().from(s.hazardLogs);
  const supplierLog = logs.find((l) => l.scope === "platform")!;
  const icbLog = logs.find((l) => l.scope === "shared")!;
  const risk = (i: number) => 1 + (i % 5);
  // Supplier log up to 300 hazards, each inherited (accepted) by the ICB.
  const existing = await db.select().from(s.hazards).where(eq(s.hazards.hazardLogId, supplierLog.id));
  const newSupplier = Array.from({ length: SUPPLIER_HAZARDS - existing.length }, (_, i) => {
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

function pct(xs: number[], p: number) {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const kinds: ("pglite" | "postgres")[] = process.env.DATABASE_URL?.startsWith("postgres") ? ["pglite", "postgres"] : ["pglite"];
for (const kind of kinds) {
  const { db, drop } = await open(kind);
  useDatabase(db);
  const t0 = performance.now();
  const platformId = await build(db.db);
  const [{ count }] = (await db.db.execute(`select count(*)::int as count from hazards`) as unknown as { rows?: { count: number }[] }).rows ?? (await db.db.execute(`select count(*)::int as count from hazards`) as unknown as { count: number }[]);
  console.log(`[rollup] ${kind}: ${count} hazards across ${TRUSTS} trusts built in ${Math.round(performance.now() - t0)} ms`);
  const [icbCso] = await db.db.select().from(s.users).where(eq(s.users.email, "cso@icb.example"));
  const cookie = (await startSession(new Request("http://bench.local/"), icbCso.id)).split(";")[0];
  const args = (url: string) => ({ request: new Request(url, { headers: { Cookie: cookie } }), params: { id: platformId }, context: { cspNonce: "n", requestId: "bench", clientIp: "127.0.0.1" } }) as never;
  for (const [name, run] of [
    ["API rollup (every hazard × 42 organisations)", async () => { const r = await apiRollup(args(`http://bench.local/api/v1/platforms/${platformId}/rollup`)); if (r.status !== 200) throw new Error(String(r.status)); await r.arrayBuffer(); }],
    ["page loader (filtered to pending, 50 lines)", async () => { await pageRollup(args(`http://bench.local/platforms/${platformId}?pending=true`)); }],
  ] as const) {
    await run();
    const times: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const t = performance.now();
      await run();
      times.push(performance.now() - t);
    }
    console.log(JSON.stringify({ bench: "rollup", db: kind, scenario: name, requests: REQUESTS, p50_ms: Math.round(pct(times, 50)), p95_ms: Math.round(pct(times, 95)) }));
  }
  await drop();
}
process.exit(0);
