// Report generation: time, peak memory and the longest event-loop stall to render the Clinical
// Safety Case Report for synthetic baselines of 100, 1,000 and 5,000 hazards (each size in its own
// child process, so peak RSS is that size's own), then the time Debian's Chromium takes to print an
// HTML rendering of the same 1,000-hazard table, as a ratio to pdfkit.
//   npx tsx bench/reports.ts            # all sizes
//   BENCH_SIZES=100,1000 npx tsx bench/reports.ts
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { NHS_RISK_SCHEME } from "#db/seed-data/nhs-risk-scheme.ts";
import { CONTROL_STATE_NAMES, CONTROL_TYPE_NAMES, STATUS_NAMES } from "#app/components/labels.ts";
import { lookupRiskOrNull, type RiskScheme } from "#app/domain/risk.ts";
import type { ReportHazard } from "#app/reports/content.ts";
import { toBuffer } from "#app/reports/layout.ts";
import { renderSafetyCaseReport, type SafetyCaseReportData } from "#app/reports/safety-case-report.ts";
import { isMain, type BenchMetric } from "./common.ts";

const scheme: RiskScheme = { id: "00000000-0000-4000-8000-000000000001", ...NHS_RISK_SCHEME } as unknown as RiskScheme;
const ORG = "00000000-0000-4000-8000-0000000000aa";
const TRUST = "00000000-0000-4000-8000-0000000000bb";

/** A small deterministic PRNG, so every run draws the same synthetic log. */
function prng(seed: number) {
  return () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

export function syntheticHazards(n: number): ReportHazard[] {
  const rand = prng(n);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const sev = scheme.severities.map((s) => s.code);
  const lik = scheme.likelihoods.map((l) => l.code);
  return Array.from({ length: n }, (_, i): ReportHazard => {
    const [is, il] = [pick(sev), pick(lik)];
    const [rs, rl] = [sev[Math.max(0, sev.indexOf(is) - Math.floor(rand() * 2))], lik[Math.max(0, lik.indexOf(il) - 1 - Math.floor(rand() * 2))]];
    const controls = Array.from({ length: 2 + Math.floor(rand() * 3) }, (_, c) => ({
      id: `c-${i}-${c}`,
      kind: c === 0 ? ("existing" as const) : ("additional" as const),
      type: pick(["design", "test", "training", "business_process"] as const),
      description: `Control ${c + 1} for hazard ${i + 1}: the system checks the record against the national service and warns the clinician before the order is signed.`,
      ownerOrganisationId: c === 3 ? TRUST : ORG,
      state: pick(["planned", "implemented", "verified"] as const),
      evidenceRefs: rand() < 0.3 ? [`TEST-${1000 + i}-${c}`] : [],
      evidenceIds: [],
      transferred: c === 3,
      transferredFromControlId: null,
      upstream: false,
    }));
    return {
      id: `h-${i}`, ref: `H-${String(i + 1).padStart(4, "0")}`, hazardLogId: "log", title: `Synthetic hazard ${i + 1}: wrong patient record opened from a worklist`,
      description: "A clinician opens the wrong record.", causes: ["Two patients with similar names on one worklist", "The worklist does not refresh after a transfer between wards"],
      effect: "Wrong record", hazard: "Treatment based on another patient's record", harm: "Wrong medicine given to a single patient, with injury from which recovery is expected in the short term.",
      hazardType: null, source: null, controls,
      initial: { severity: is, likelihood: il, risk: lookupRiskOrNull(scheme, il, is), justification: null },
      residual: { severity: rs, likelihood: rl, risk: lookupRiskOrNull(scheme, rl, rs), justification: null },
      riskBenefitJustification: null, riskScheme: { id: scheme.id, version: 1 }, status: pick(["open", "transferred", "closed"] as const), owner: "Clinical safety team",
      reviewDue: "2026-01-31", deprecated: null, version: 1,
    };
  });
}

export function reportData(n: number): SafetyCaseReportData {
  return {
    case: { id: "case", title: `Synthetic safety case (${n} hazards)`, state: "approved", version: 3, createdAt: "2025-05-01T09:00:00.000Z", organisation: "Acme Health Systems Ltd" },
    log: { title: "Synthetic DCB0129 hazard log", standard: "DCB0129", scope: "platform", owner: "Acme Health Systems Ltd" },
    platform: { name: "Synthetic EPR", supplier: "Acme Health Systems Ltd", icb: "NHS Wessex Coast ICB", deployers: ["Harbourside Hospital NHS Foundation Trust"] },
    source: { kind: "baseline", hazardLogVersion: 1, sha256: "a".repeat(64), frozenAt: "2025-05-02T09:00:00.000Z", issued: true },
    content: { hazardLog: { id: "log", title: "Synthetic", standard: "DCB0129", scope: "platform", organisationId: ORG }, hazards: syntheticHazards(n) },
    scheme,
    organisations: { [ORG]: "Acme Health Systems Ltd", [TRUST]: "Harbourside Hospital NHS Foundation Trust" },
    slots: [{ organisation: "Acme Health Systems Ltd", role: "cso", signature: { name: "Dr James Whitfield", organisation: "Acme Health Systems Ltd", role: "cso", meaning: "approved", signedAt: "2025-05-03T10:00:00.000Z", sha256: "a".repeat(64), hazardLogVersion: 1 } }],
  };
}

/**
 * Child: render one size, print one JSON line. The server renders reports in a process that is
 * already running (or its report worker thread), so, like the HTTP metrics, the figure is taken
 * after a warm-up: the first render (reported as firstMs: compiling the code, loading and first
 * shaping of the fonts) and then the median of three.
 */
async function child(n: number) {
  const data = reportData(n);
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  const runs: { ms: number; cpuMs: number }[] = [];
  let pdf: Buffer = Buffer.alloc(0);
  for (let i = 0; i < 4; i++) {
    if (i === 1) loop.enable();
    const started = performance.now();
    const cpu = process.cpuUsage();
    pdf = await toBuffer(renderSafetyCaseReport(data, { now: new Date("2025-06-01T12:00:00Z") }));
    const used = process.cpuUsage(cpu);
    runs.push({ ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 });
  }
  loop.disable();
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const warm = runs.slice(1).sort((a, b) => a.ms - b.ms)[1];
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", ["-"], { input: pdf }).toString())?.[1]);
  // cpuMs: this process's CPU time (user + system) for the render, a steadier figure than ms on a busy machine
  console.log(JSON.stringify({ hazards: n, ms: Math.round(warm.ms), cpuMs: Math.round(warm.cpuMs), firstMs: Math.round(runs[0].ms), firstCpuMs: Math.round(runs[0].cpuMs), peakRssMiB: Math.round(peak / 2 ** 20), maxEventLoopStallMs: Math.round(loop.max / 1e6), pages, bytes: pdf.length }));
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");

/** The same 1,000-hazard table as HTML (thead repeats on every printed page). */
function htmlTable(hazards: ReportHazard[]) {
  const cell = (a: ReportHazard["initial"]) => `${a.severity}<br>${a.likelihood}<br>Risk ${a.risk}`;
  const rows = hazards.map((h) => `<tr><td><b>${h.ref}</b></td><td>${esc(h.title)}</td><td>${h.causes.map((c) => `• ${esc(c)}`).join("<br>")}</td><td>${esc(h.harm)}</td><td>${h.controls.map((c) => `${CONTROL_TYPE_NAMES[c.type]}: ${esc(c.description)} [${CONTROL_STATE_NAMES[c.state]}]`).join("<br>")}</td><td style="background:${scheme.colours[String(h.initial.risk)]}">${cell(h.initial)}</td><td style="background:${scheme.colours[String(h.residual.risk)]}">${cell(h.residual)}</td><td>${STATUS_NAMES[h.status]}</td></tr>`).join("\n");
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>Hazards</title><style>@page{size:A4 landscape;margin:15mm}body{font:7.5pt "DejaVu Sans",sans-serif}table{border-collapse:collapse;width:100%}th,td{border:.5pt solid #768692;padding:3pt;vertical-align:top}thead{display:table-header-group}th{background:#e8edee}tr{break-inside:avoid}</style><table><thead><tr><th>Ref</th><th>Title</th><th>Causes</th><th>Harm</th><th>Controls by type</th><th>Initial</th><th>Residual</th><th>Status</th></tr></thead><tbody>${rows}</tbody></table></html>`;
}

/**
 * Renders the report for each size (each in its own child process) and prints `table` hazards with
 * Chromium. report_<table>_ms is pdfkit's time for that size; report_vs_chromium_ratio is Chromium's
 * time over pdfkit's for the same number of hazards (higher is better for pdfkit).
 */
export async function benchReports(opts: { sizes?: number[]; table?: number; log?: (line: string) => void } = {}): Promise<BenchMetric[]> {
  const table = opts.table ?? 1000;
  const sizes = [...new Set([...(opts.sizes ?? [100, 1000, 5000]), table])].sort((a, b) => a - b);
  const log = opts.log ?? ((line: string) => console.log(line));
  const self = fileURLToPath(import.meta.url);
  const results: Record<string, number>[] = [];
  const metrics: BenchMetric[] = [];
  for (const n of sizes) {
    const run = spawnSync(process.execPath, ["--import", "tsx", self, "--child", String(n)], { encoding: "utf8", maxBuffer: 16 * 2 ** 20 });
    if (run.status !== 0) throw new Error(`child ${n} failed: ${run.stderr}`);
    const line = JSON.parse(run.stdout.trim().split("\n").at(-1)!);
    results.push(line);
    log(JSON.stringify({ metric: "safety_case_report", ...line }));
    metrics.push({ metric: `report_${n}_ms`, value: line.ms, unit: "ms", hazards: n, cpu_ms: line.cpuMs, first_render_ms: line.firstMs, first_render_cpu_ms: line.firstCpuMs, pages: line.pages, peak_rss_mib: line.peakRssMiB, max_event_loop_stall_ms: line.maxEventLoopStallMs });
  }
  const dir = mkdtempSync(join(tmpdir(), "bench-reports-"));
  try {
    const html = join(dir, "hazards.html");
    writeFileSync(html, htmlTable(syntheticHazards(table)));
    const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
    const times: number[] = [];
    for (let i = 0; i < 2; i++) {
      const started = performance.now();
      const run = spawnSync(chromium, ["--headless", "--no-sandbox", "--disable-gpu", `--print-to-pdf=${join(dir, "out.pdf")}`, "--no-pdf-header-footer", `file://${html}`], { encoding: "utf8", timeout: 300_000 });
      times.push(performance.now() - started);
      if (run.status !== 0) throw new Error(`chromium failed: ${run.stderr}`);
    }
    const chromiumMs = Math.round(Math.min(...times));
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [join(dir, "out.pdf")]).toString())?.[1]);
    const pdfkitMs = results.find((r) => r.hazards === table)?.ms;
    log(JSON.stringify({ metric: `chromium_print_${table}_hazard_table`, ms: chromiumMs, runsMs: times.map(Math.round), pages, pdfkitFullReportMs: pdfkitMs ?? null, chromiumToPdfkitRatio: pdfkitMs ? Number((chromiumMs / pdfkitMs).toFixed(2)) : null }));
    metrics.push({ metric: "report_vs_chromium_ratio", value: pdfkitMs ? Number((chromiumMs / pdfkitMs).toFixed(2)) : NaN, unit: "x (Chromium ms / pdfkit ms)", hazards: table, chromium_ms: chromiumMs, pdfkit_ms: pdfkitMs, chromium_pages: pages });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return metrics;
}

if (process.argv[2] === "--child") await child(Number(process.argv[3]));
else if (isMain(import.meta.url)) await benchReports({ sizes: (process.env.BENCH_SIZES ?? "100,1000,5000").split(",").map(Number) });
