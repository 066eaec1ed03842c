import { sql } from "drizzle-orm";
import { openDb } from "#db/client.ts";
import { useDatabase } from "#app/db.server.ts";
import { heatmapCounts } from "#app/hazard-heatmap.server.ts";
import { parseListQuery, querySummaryRows, todayIso } from "#app/hazard-list.server.ts";
import cfg from "/tmp/hot-log.json" with { type: "json" };
const open = await openDb(cfg.url, { migrate: false });
useDatabase(open);
const client = (open.db as any).$client;
const orig = client.unsafe.bind(client);
client.unsafe = (q: string, p: unknown[], o: unknown) => { captured.push({ q, p }); return orig(q, p, o); };
const captured: { q: string; p: unknown[] }[] = [];
const qy = parseListQuery(new URLSearchParams(process.argv[2] ?? "q=allergies"));
await heatmapCounts(open.db, cfg.id, qy, todayIso());
await querySummaryRows(open.db, cfg.id, qy, todayIso(), { total: 0 });
for (const { q, p } of captured) {
  for (let i = 0; i < 3; i++) {
    const r = await orig(`explain (analyze, buffers off) ${q}`, p as never[]);
    if (i === 2) console.log(r.map((x: any) => x["QUERY PLAN"]).join("\n"), "\n");
  }
}
await open.close();
