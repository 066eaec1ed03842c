// CPU profile of each step of bench/import-export.ts (xlsx only): one .cpuprofile per step in
// --out (default /tmp), plus CPU and wall time per step. For finding where the time goes.
//   npx tsx bench/import-export-profile.ts [--hazards 5000] [--out /tmp/prof] [--no-profile]
import { Session } from "node:inspector/promises";
import { writeFileSync } from "node:fs";
import { exportLog } from "#app/hazard-export.server.ts";
import { confirmImport, previewImport } from "#app/hazard-import.server.ts";
import { fillLog, openImportExportBench } from "./import-export-setup.ts";

const argOf = (name: string) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
const N = Number(argOf("--hazards") ?? 5000);
const OUT = argOf("--out") ?? "/tmp";
const profiling = !process.argv.includes("--no-profile");
const { open, db, user, newLog } = await openImportExportBench(process.env.BENCH_URL ?? "pglite://memory");
const source = await newLog("Bench source");
await fillLog(db, source, N);

const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: 200 });
async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  if (profiling) await session.post("Profiler.start");
  const [c, t] = [process.cpuUsage(), performance.now()];
  const result = await run();
  const [cpu, wall] = [process.cpuUsage(c), performance.now() - t];
  if (profiling) {
    const { profile } = await session.post("Profiler.stop");
    writeFileSync(`${OUT}/${name}.cpuprofile`, JSON.stringify(profile));
  }
  console.log(JSON.stringify({ step: name, wallMs: Math.round(wall), cpuMs: Math.round((cpu.user + cpu.system) / 1000) }));
  return result;
}
const file = await step("export", () => exportLog(user, source, "xlsx"));
const target = await newLog("Bench target");
const preview = await step("preview", () => previewImport(user, target, async () => ({ filename: file.filename, bytes: file.body, format: "xlsx" })));
if (preview.problems.length) throw new Error(JSON.stringify(preview.problems.slice(0, 3)));
await step("apply", () => confirmImport(user, preview.id));
await step("preview-unchanged", () => previewImport(user, source, async () => ({ filename: file.filename, bytes: file.body, format: "xlsx" })));
await open.close();
