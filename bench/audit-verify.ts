// Benchmark: verifyChain over one organisation's chain of 100,000 entries, on the embedded database
// (PGlite in memory) and, when DATABASE_URL is a postgres:// URL, on a scratch database created on
// that server and dropped afterwards. Prints one JSON object per metric.
//
//   npx tsx bench/audit-verify.ts [--entries 100000] [--runs 3]
//
// The chain is written by a bulk path (multi-row inserts) rather than appendAudit, so that setting
// up 100,000 entries takes seconds; it produces entries exactly as appendAudit would (same entry
// shape, same hash rule, times stored from the hashed text), which the first verification proves.
import postgres from "postgres";
import { randomBytes } from "node:crypto";
import { openDb, isPostgresUrl, type Db } from "#db/client.ts";
import { auditEntries, auditHeads, organisations } from "#db/schema/index.ts";
import { entryHash, GENESIS_HASH, verifyChain, type AuditEntry } from "#app/audit.server.ts";
import { sql } from "drizzle-orm";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ENTRIES = arg("entries", 100_000);
const RUNS = arg("runs", 3);
const INSERT_BATCH = 1000;

/** Writes `count` valid entries into a new organisation's chain; returns the organisation. */
async function writeChain(db: Db, count: number): Promise<string> {
  const [org] = await db.insert(organisations).values({ name: "Bench organisation", slug: `bench-${randomBytes(4).toString("hex")}`, kind: "supplier" }).returning();
  const start = Date.parse("2025-01-01T00:00:00Z");
  let previous = GENESIS_HASH;
  for (let from = 1; from <= count; from += INSERT_BATCH) {
    const rows = [];
    for (let sequence = from; sequence < Math.min(from + INSERT_BATCH, count + 1); sequence++) {
      const at = new Date(start + sequence * 1000).toISOString().replace("Z", "000Z"); // microseconds, as to_char writes them
      const entry: AuditEntry = {
        organisationId: org.id, sequence, at,
        actor: { userId: null, name: "Dr Bench Mark", role: "cso" },
        action: "hazard.updated",
        entity: { type: "hazard", id: `00000000-0000-4000-8000-${String(sequence % 500).padStart(12, "0")}` },
        changes: { ref: `H-${sequence % 500}`, version: sequence, diff: [{ field: "residual.likelihood", from: "medium", to: "low" }, { field: "owner", from: "Ward manager", to: "Chief nursing information officer" }] },
        reason: "Control verified in the March release; likelihood reduced after review.",
        requestId: "5f0c3a0e-1b7e-4c7c-9d0e-5a8f1e2b3c4d",
      };
      const hash = entryHash(previous, entry);
      rows.push({ organisationId: org.id, sequence, previousHash: previous, hash, entry, entityType: "hazard", entityId: entry.entity.id, createdAt: sql`${at}::timestamptz` });
      previous = hash;
    }
    await db.insert(auditEntries).values(rows);
  }
  await db.insert(auditHeads).values({ organisationId: org.id, sequence: count, hash: previous });
  return org.id;
}

const report = (metric: string, engine: string, value: number, unit: string, extra: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ metric, engine, value: Math.round(value * 10) / 10, unit, entries: ENTRIES, ...extra }));

async function bench(engine: string, db: Db) {
  let t = performance.now();
  const org = await writeChain(db, ENTRIES);
  report("audit_chain_bulk_write", engine, performance.now() - t, "ms");
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    t = performance.now();
    const result = await verifyChain(db, org);
    times.push(performance.now() - t);
    if (!result.ok || result.entries !== ENTRIES) throw new Error(`the bench chain did not verify: ${JSON.stringify(result)}`);
  }
  const best = Math.min(...times);
  report("audit_verify", engine, best, "ms", { runs: times.map(Math.round) });
  report("audit_verify_per_100k", engine, (best * 100_000) / ENTRIES, "ms per 100,000 entries");
  report("audit_verify_rss", engine, process.memoryUsage().rss / 2 ** 20, "MiB");
}

async function main() {
  const embedded = await openDb("pglite://memory");
  try {
    await bench("pglite", embedded.db);
  } finally {
    await embedded.close();
  }
  const url = process.env.DATABASE_URL;
  if (!url || !isPostgresUrl(url)) return;
  const name = `audit_bench_${process.pid}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const target = new URL(url);
    target.pathname = `/${name}`;
    const server = await openDb(target.toString());
    try {
      await bench("postgres", server.db);
    } finally {
      await server.close();
    }
  } finally {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

await main();
