// Time to export and to import (preview + apply) a 5,000-hazard log through the service functions,
// on an in-memory PGlite seeded with the demo data. Prints one JSON object per metric.
//   npx tsx bench/import-export.ts [--hazards 5000]
import { exportLog } from "#app/hazard-export.server.ts";
import { confirmImport, previewImport } from "#app/hazard-import.server.ts";
import { fillLog, openImportExportBench } from "./import-export-setup.ts";

const arg = process.argv.indexOf("--hazards");
const N = arg > 0 ? Number(process.argv[arg + 1]) : 5000;
const { open, db, user, newLog } = await openImportExportBench();

const report = (metric: string, ms: number, extra: Record<string, unknown> = {}) => console.log(JSON.stringify({ metric, hazards: N, ms: Math.round(ms), ...extra }));
/** This process's CPU time (PGlite runs in it) per measured step, steadier than wall time on a busy machine. */
const cpuMs: number[] = [];
const time = async <T>(run: () => Promise<T>): Promise<[T, number]> => {
  const [t, c] = [performance.now(), process.cpuUsage()];
  const result = await run();
  const cpu = process.cpuUsage(c);
  cpuMs.push(Math.round((cpu.user + cpu.system) / 1000));
  return [result, performance.now() - t];
};
const lastCpu = () => ({ cpuMs: cpuMs[cpuMs.length - 1] });

// Set-up (not measured as a feature): N hazards written straight through the store.
const source = await newLog("Bench source");
const [, fillMs] = await time(() => fillLog(db, source, N));
report("setup.fill", fillMs, lastCpu());

for (const format of ["xlsx", "csv"] as const) {
  const [file, exportMs] = await time(() => exportLog(user, source, format));
  report(`export.${format}`, exportMs, { bytes: file.body.byteLength, ...lastCpu() });
  const target = await newLog(`Bench target ${format}`);
  const upload = async () => ({ filename: file.filename, bytes: file.body, format });
  const [preview, previewMs] = await time(() => previewImport(user, target, upload));
  if (preview.problems.length) throw new Error(`unexpected problems: ${JSON.stringify(preview.problems.slice(0, 3))}`);
  const previewCpu = lastCpu().cpuMs;
  report(`import.${format}.preview`, previewMs, { creates: preview.summary.creates, cpuMs: previewCpu });
  const [result, applyMs] = await time(() => confirmImport(user, preview.id));
  report(`import.${format}.apply`, applyMs, { ...result, ...lastCpu() });
  report(`import.${format}.total`, previewMs + applyMs, { cpuMs: previewCpu + lastCpu().cpuMs });
}

// Re-importing the log's own export: every row compared, nothing written.
const [own] = await time(() => exportLog(user, source, "xlsx"));
const [same, sameMs] = await time(() => previewImport(user, source, async () => ({ filename: own.filename, bytes: own.body, format: "xlsx" })));
report("import.xlsx.preview.unchanged", sameMs, { unchanged: same.summary.unchanged, ...lastCpu() });
await open.close();
