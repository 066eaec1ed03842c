// `npm run bench` (200 requests per scenario) or `npm run bench -- --quick` (30, within 60 s on 2
// cores): one JSON object per metric on stdout, all of them in bench/results.json. PGlite always;
// PostgreSQL too when DATABASE_URL is set.
import { writeFileSync } from "node:fs";
import { benchLogPage, type Metric } from "./log-page.ts";

const quick = process.argv.includes("--quick");
const requests = quick ? 30 : 200;
const log = (line: string) => console.error(line);

const started = performance.now();
const metrics: Metric[] = [];
metrics.push(...(await benchLogPage("pglite", { requests, log })));
if (process.env.DATABASE_URL?.startsWith("postgres")) metrics.push(...(await benchLogPage("postgres", { requests, log })));
writeFileSync(new URL("./results.json", import.meta.url), JSON.stringify({ at: new Date().toISOString(), quick, node: process.version, metrics }, null, 2) + "\n");
log(`[bench] done in ${Math.round((performance.now() - started) / 1000)} s; bench/results.json written`);
process.exit(0);
