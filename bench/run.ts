// `npm run bench` (the sizes) or `npm run bench -- --quick` (one tenth of every size, about
// a minute on 2 idle cores): one JSON object per metric on stdout ({ metric, value, unit, ... }),
// all of them in bench/results.json; progress on stderr. PGlite always; PostgreSQL too when
// DATABASE_URL is set (scratch databases on that server, dropped afterwards; `--engine postgres`
// for PostgreSQL only). Needs `npm run build` (the HTTP metrics run against the built app).
// `--only http,audit,signoff,reports,import` runs some groups only. The HTTP and audit groups run
// on the estate bench/generate.ts writes (full size, or one tenth with --quick).
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { loadavg, cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { postgresConfigured, type BenchMetric, type Engine } from "./common.ts";
import { ESTATE_FULL, ESTATE_QUICK } from "./generate.ts";
import { benchHttp, estateAuditVerify, estateMetrics, prepareEstate } from "./http.ts";
import { benchReports } from "./reports.ts";
import { benchSignOff } from "./sign-off.ts";

const quick = process.argv.includes("--quick");
const onlyArg = process.argv.indexOf("--only");
const only = onlyArg > 0 ? new Set(process.argv[onlyArg + 1].split(",")) : null;
const wanted = (group: string) => !only || only.has(group);
const log = (line: string) => console.error(line);
const engineArg = process.argv.indexOf("--engine");
const engines: Engine[] = (postgresConfigured() ? ["pglite", "postgres"] as Engine[] : ["pglite"] as Engine[]).filter((e) => engineArg < 0 || process.argv[engineArg + 1].split(",").includes(e));
const scale = (n: number) => (quick ? Math.max(1, Math.round(n / 10)) : n);

const metrics: BenchMetric[] = [];
const load = () => loadavg().map((x) => Math.round(x * 100) / 100);
const emit = (group: string, ms: BenchMetric[]) => {
  for (const m of ms) {
    const out = { ...m, load_avg_1m: load()[0] };
    metrics.push(out);
    console.log(JSON.stringify(out));
  }
  log(`[bench] ${group} done at ${Math.round((performance.now() - started) / 1000)} s, load average ${load().join(" ")}`);
};

/** bench/import-export.ts (owned elsewhere) as a child process: its JSON lines mapped to the common shape. */
function importExport(hazards: number): BenchMetric[] {
  const script = fileURLToPath(new URL("./import-export.ts", import.meta.url));
  const run = spawnSync(process.execPath, ["--import", "tsx", script, "--hazards", String(hazards)], { encoding: "utf8", maxBuffer: 16 * 2 ** 20 });
  if (run.status !== 0) throw new Error(`bench/import-export.ts failed: ${run.stderr}`);
  const lines = run.stdout.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as { metric: string; ms: number; [k: string]: unknown });
  const out: BenchMetric[] = [];
  for (const { metric, ms, ...extra } of lines) {
    const name = metric === "import.xlsx.total" ? `import_${hazards}_ms` : metric === "export.xlsx" ? `export_${hazards}_ms` : `import_export_${metric.replace(/\./g, "_")}_ms`;
    out.push({ metric: name, value: ms, unit: "ms", db: "pglite", ...extra, ...(name.startsWith("import_export") ? {} : { format: "xlsx", source: metric }) });
  }
  return out;
}

const started = performance.now();
log(`[bench] ${quick ? "quick" : "full"} run on ${cpus().length} cores, engines ${engines.join(", ")}, load average ${load().join(" ")}`);
if (!existsSync(new URL("../build/server/index.js", import.meta.url))) throw new Error("build/server/index.js is missing: run `npm run build` first");

for (const kind of engines) {
  // One generated estate per engine (bench/generate.ts) serves the HTTP metrics and the audit verification.
  if (wanted("http") || wanted("audit")) {
    const estate = await prepareEstate(kind, quick ? ESTATE_QUICK : ESTATE_FULL, log);
    try {
      emit(`estate (${kind})`, estateMetrics(estate));
      // Full size: 2,000 warm-up requests to the page and to the search before their 1,000 timed
      // ones (bench/http.ts says why); quick: the default (20), to stay within a minute.
      if (wanted("http")) emit(`http (${kind})`, await benchHttp(estate, { requests: scale(1000), warmup: quick ? undefined : 2000, log }));
      if (wanted("audit")) emit(`audit (${kind})`, await estateAuditVerify(estate, { runs: 2 }));
    } finally {
      await estate.drop();
    }
  }
  if (wanted("signoff")) emit(`sign-off (${kind})`, await benchSignOff(kind, { cases: scale(50), log }));
}
if (wanted("reports")) emit("reports", await benchReports({ sizes: [scale(1000)], table: scale(1000), log }));
if (wanted("import")) emit("import/export", importExport(scale(5000)));

const seconds = Math.round((performance.now() - started) / 1000);
writeFileSync(new URL("./results.json", import.meta.url), JSON.stringify({ at: new Date().toISOString(), quick, node: process.version, cores: cpus().length, seconds, load_avg_end: load(), metrics }, null, 2) + "\n");
log(`[bench] done in ${seconds} s; bench/results.json written`);
process.exit(0);
