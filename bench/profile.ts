// `npx tsx bench/profile.ts [query-string]`: EXPLAIN ANALYZE of the log page's queries on the
// benchmark's 5,000-hazard log (PGlite), to see where time goes before guessing at indexes.
import { openDb } from "#db/client.ts";
import { seedDemo } from "#db/seed.ts";
import { hazards } from "#db/schema/index.ts";
import { parseListQuery, todayIso } from "#app/hazard-list.server.ts";
import { filterCondition, sortKeys, titleExpr, u1, u2, upstreamJoin1, upstreamJoin2 } from "#app/hazard-list-sql.server.ts";
import { buildBenchLog } from "./dataset.ts";

const open = await openDb(process.env.DATABASE_URL ?? "pglite://memory");
await seedDemo(open.db, { password: "bench-password" });
const { logId } = await buildBenchLog(open.db, 5000);
const qy = parseListQuery(new URLSearchParams(process.argv[2] ?? "sort=-residualRisk"));
const keys = sortKeys(qy.sort);
const page = open.db
  .select({ h: hazards, title: titleExpr })
  .from(hazards)
  .leftJoin(u1, upstreamJoin1)
  .leftJoin(u2, upstreamJoin2)
  .where(filterCondition(logId, qy, todayIso()))
  .orderBy(...keys.map((k) => k.order(false)))
  .limit(51)
  .toSQL();
const explain = async (text: string, params: unknown[]) => {
  // The driver's own client: drizzle's execute() takes no separate parameter list.
  const client = (open.db as unknown as { $client: { query: (q: string, p: unknown[]) => Promise<unknown> } }).$client;
  const res: unknown = await client.query(`explain (analyze) ${text}`, params);
  const rows = (Array.isArray(res) ? res : (res as { rows: unknown[] }).rows) as Record<string, string>[];
  console.log(rows.map((r) => r["QUERY PLAN"]).join("\n"), "\n");
};
for (let i = 0; i < 3; i++) await explain(page.sql, page.params); // the last run is warm
await open.close();
