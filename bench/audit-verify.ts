// Benchmark: verifyChain over one organisation's chain of 100,000 entries, on the embedded database
// (PGlite in memory) and, when DATABASE_URL is a postgres:// URL, on a scratch database created on
// that server and dropped afterwards. Prints one JSON object per metric.
//
//   npx tsx bench/audit-verify.ts [--entries 100000] [--runs 3]
//
// The chain is written by a bulk path (multi-row inserts) rather than appendAudit, so that setting
// up 100,000 entries takes seconds; it produces entries exactly as appendAudit would (same entry
// shape, same hash rule, times stored from the hashed text), which the first verification proves.
import { randomBytes } from "node:crypto";
import { openDb, type Db } from "#db/client.ts";
import { auditEntries, auditHeads, organisations } from "#db/schema/index.ts";
import { entryHash, GENESIS_HASH, verifyChain, type AuditEntry } from "#app/audit.server.ts";
import { sql } from "drizzle-orm";
import { isMain, postgresConfigured, round1, scratchDatabase, type BenchMetric, type Engine } from "./common.ts";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
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

/** Writes an `entries`-long chain and verifies it `runs` times; audit_verify_per_100k_ms is the best run scaled to 100,000. */
export async function benchAuditVerify(kind: Engine, opts: { entries?: number; runs?: number } = {}): Promise<BenchMetric[]> {
  const entries = opts.entries ?? 100_000;
  const runs = opts.runs ?? 3;
  const scratch = kind === "postgres" ? await scratchDatabase(`audit_bench_${process.pid}`) : null;
  const open = await openDb(scratch?.url ?? "pglite://memory");
  try {
    const db = open.db;
    let t = performance.now();
    const org = await writeChain(db, entries);
    const writeMs = performance.now() - t;
    const times: number[] = [];
    for (let run = 0; run < runs; run++) {
      t = performance.now();
      const result = await verifyChain(db, org);
      times.push(performance.now() - t);
      if (!result.ok || result.entries !== entries) throw new Error(`the bench chain did not verify: ${JSON.stringify(result)}`);
    }
    const best = Math.min(...times);
    const metrics: BenchMetric[] = [
      { metric: "audit_chain_bulk_write_ms", value: round1(writeMs), unit: "ms", db: kind, entries },
      { metric: "audit_verify_ms", value: round1(best), unit: "ms", db: kind, entries, runs: times.map(Math.round) },
      { metric: "audit_verify_per_100k_ms", value: round1((best * 100_000) / entries), unit: "ms per 100,000 entries", db: kind, entries },
      { metric: "audit_verify_rss_mib", value: round1(process.memoryUsage().rss / 2 ** 20), unit: "MiB", db: kind, entries },
    ];
    return metrics;
  } finally {
    await open.close();
    await scratch?.drop();
  }
}

if (isMain(import.meta.url)) {
  const opts = { entries: arg("entries", 100_000), runs: arg("runs", 3) };
  for (const m of await benchAuditVerify("pglite", opts)) console.log(JSON.stringify(m));
  if (postgresConfigured()) for (const m of await benchAuditVerify("postgres", opts)) console.log(JSON.stringify(m));
}
