// Times verifyAllChains over an existing database's whole trail (e.g. a copy of the full estate),
// with this process's CPU time beside the wall clock so runs on a busy machine can be compared.
//
//   npx tsx bench/audit-verify-estate.ts --url postgres://postgres@127.0.0.1:5432/audit_work [--runs 3]
import { loadavg } from "node:os";
import { openDb } from "#db/client.ts";
import { verifyAllChains } from "#app/audit.server.ts";
import { round1 } from "./common.ts";

const argument = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const url = argument("url") ?? process.env.DATABASE_URL;
if (!url) throw new Error("--url or DATABASE_URL");
const runs = Number(argument("runs") ?? 3);

const open = await openDb(url, { migrate: false });
try {
  for (let run = 0; run < runs; run++) {
    const cpu = process.cpuUsage();
    const t = performance.now();
    const reports = await verifyAllChains(open.db);
    const ms = performance.now() - t;
    const used = process.cpuUsage(cpu);
    const entries = reports.reduce((n, r) => n + r.entries, 0);
    const bad = reports.filter((r) => !r.ok);
    console.log(JSON.stringify({ run, entries, chains: reports.length, broken: bad.length, ms: round1(ms), per_100k_ms: round1((ms * 100_000) / entries), cpu_ms: round1((used.user + used.system) / 1000), rss_mib: round1(process.memoryUsage().rss / 2 ** 20), load_avg_1m: round1(loadavg()[0]) }));
  }
} finally {
  await open.close();
}
