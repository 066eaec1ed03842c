// Times verifyAllChains over an existing database's whole trail (e.g. a copy of the full estate),
// with this process's CPU time beside the wall clock so runs on a busy machine can be compared.
//
//   npx tsx bench/audit-verify-estate.ts --url postgres://postgres@127.0.0.1:5432/audit_work [--runs 3]
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import postgres from "postgres";
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

// PostgreSQL on this machine: its server processes' CPU time for our connections (found by
// application_name) counts too, read from /proc before and after each run.
const postgresUrl = url.startsWith("postgres") ? new URL(url) : null;
postgresUrl?.searchParams.set("application_name", `audit_verify_bench_${process.pid}`);
const admin = postgresUrl ? postgres(url, { max: 1 }) : null;
const serverCpuMs = async () => {
  if (!admin) return 0;
  const pids = await admin`select pid from pg_stat_activity where application_name = ${`audit_verify_bench_${process.pid}`}`;
  let ticks = 0;
  for (const { pid } of pids) {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * 10; // USER_HZ 100
};

const open = await openDb(postgresUrl?.toString() ?? url, { migrate: false });
try {
  for (let run = 0; run < runs; run++) {
    const server = await serverCpuMs();
    const cpu = process.cpuUsage();
    const t = performance.now();
    const reports = await verifyAllChains(open.db);
    const ms = performance.now() - t;
    const used = process.cpuUsage(cpu);
    const serverMs = (await serverCpuMs()) - server;
    const entries = reports.reduce((n, r) => n + r.entries, 0);
    const bad = reports.filter((r) => !r.ok);
    console.log(JSON.stringify({ run, entries, chains: reports.length, broken: bad.length, ms: round1(ms), per_100k_ms: round1((ms * 100_000) / entries), cpu_ms: round1((used.user + used.system) / 1000), server_cpu_ms: serverMs, rss_mib: round1(process.memoryUsage().rss / 2 ** 20), load_avg_1m: round1(loadavg()[0]) }));
  }
} finally {
  await open.close();
  await admin?.end();
}
