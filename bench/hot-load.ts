// Profiling helper for the hot paths (issue 9): starts the built app on a database made by
// bench/hot-prepare.ts (NODE_ENV unset, as bench/http.ts's harness starts it) and loads it with
// autocannon exactly as bench/http.ts does, `--runs` times, printing p50/p95 per scenario.
//   npx tsx bench/hot-load.ts /tmp/hot-log.json page,search,api [--runs 3] [--prof /tmp/prof] [--requests 1000]
//   npx tsx bench/hot-load.ts /tmp/hot-rollup.json rollup
import autocannon from "autocannon";
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { freePort } from "#tests/e2e/harness.ts";
import { percentile, round1 } from "./common.ts";

const [file, which] = process.argv.slice(2);
const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const runs = Number(arg("--runs") ?? 1);
const requests = Number(arg("--requests") ?? 1000);
const prof = arg("--prof");
const cfg = JSON.parse(readFileSync(file, "utf8")) as { id: string; cookie: string; token: string; env: Record<string, string> };
const port = await freePort();
const env: Record<string, string | undefined> = { ...process.env, ...cfg.env, PORT: String(port), HOST: "127.0.0.1" };
if (!process.argv.includes("--production")) delete env.NODE_ENV;
const child = spawn(process.execPath, [...(prof ? ["--cpu-prof", "--cpu-prof-dir", prof] : []), "server/start.js"], { env: env as NodeJS.ProcessEnv, stdio: ["ignore", "inherit", "inherit"] });
/** utime + stime of the server process and its workers (WEB_CONCURRENCY), in ms (Linux /proc). */
const cpuMs = () => {
  const stat = (pid: string) => readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  const pids = [String(child.pid), ...readdirSync("/proc").filter((d) => /^\d+$/.test(d) && (() => { try { return stat(d)[1] === String(child.pid); } catch { return false; } })())];
  return pids.reduce((sum, pid) => { try { const f = stat(pid); return sum + ((Number(f[11]) + Number(f[12])) * 1000) / 100; } catch { return sum; } }, 0);
};
/** utime + stime of every PostgreSQL process (backends included), in ms: the database's share. */
const pgCpuMs = () =>
  readdirSync("/proc").filter((d) => /^\d+$/.test(d)).reduce((sum, pid) => {
    try {
      const raw = readFileSync(`/proc/${pid}/stat`, "utf8");
      if (!raw.includes("(postgres)")) return sum;
      const f = raw.split(") ")[1].split(" ");
      return sum + ((Number(f[11]) + Number(f[12])) * 1000) / 100;
    } catch { return sum; }
  }, 0);
const base = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${base}/healthz`)).ok) break;
  } catch {
    /* not yet */
  }
  if (child.exitCode !== null) throw new Error("server exited");
  if (i > 600) throw new Error("server did not start");
  await new Promise((r) => setTimeout(r, 100));
}

async function load(url: string, connections: number, amount: number, headers: Record<string, string>, warmup: number) {
  await autocannon({ url, connections: Math.min(connections, warmup), amount: warmup, headers, timeout: 60 });
  const times: number[] = [];
  let bad = 0;
  const cpu0 = cpuMs();
  const pg0 = pgCpuMs();
  const inst = autocannon({ url, connections, amount, headers, timeout: 60 });
  inst.on("response", (_c: unknown, status: number, _b: number, ms: number) => {
    times.push(ms);
    if (status !== 200) bad++;
  });
  await inst;
  const cpu = cpuMs() - cpu0;
  const pg = pgCpuMs() - pg0;
  return { cpu_ms_per_req: round1(cpu / times.length), pg_cpu_ms_per_req: round1(pg / times.length), p50: round1(percentile(times, 50)), p95: round1(percentile(times, 95)), n: times.length, bad };
}

const cookie = { Cookie: cfg.cookie };
const bearer = { Authorization: `Bearer ${cfg.token}` };
const scenarios: Record<string, () => Promise<object>> = {
  page: () => load(`${base}/hazard-logs/${cfg.id}`, 20, requests, cookie, 20),
  search: () => load(`${base}/hazard-logs/${cfg.id}?q=allergies`, 20, requests, cookie, 20),
  api: () => load(`${base}/api/v1/hazard-logs/${cfg.id}/hazards`, 1, Math.max(50, requests / 4), bearer, 10),
  rollup: () => load(`${base}/api/v1/platforms/${cfg.id}/rollup`, 1, 50, bearer, 3),
  dump: async () => {
    const res = await fetch(`${base}/hazard-logs/${cfg.id}`, { headers: cookie });
    const html = await res.text();
    (await import("node:fs")).writeFileSync("/tmp/hot-page.html", html);
    return { status: res.status, bytes: html.length };
  },
  // The page's loader data alone (single fetch), to tell rendering from loading.
  data: () => load(`${base}/hazard-logs/${cfg.id}.data`, 20, requests, cookie, 20),
  rollpage: () => load(`${base}/platforms/${cfg.id}`, 1, 50, cookie, 3),
};
try {
  for (let r = 0; r < runs; r++)
    for (const name of which.split(",")) console.log(JSON.stringify({ scenario: name, run: r + 1, ...(await scenarios[name]()), load1: round1(loadavg()[0]) }));
} finally {
  child.kill("SIGINT");
  await new Promise((r) => child.once("exit", r));
}
process.exit(0);
