// CPU profile of each step of bench/import-export.ts (xlsx only): one .cpuprofile per step in
// --out (default /tmp), plus CPU and wall time per step. For finding where the time goes.
//   npx tsx bench/import-export-profile.ts [--hazards 5000] [--out /tmp/prof] [--no-profile]
import { Session } from "node:inspector/promises";
import { writeFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import { openDb } from "#db/client.ts";
import { hazardLogs, users } from "#db/schema/index.ts";
import { seedDemo } from "#db/seed.ts";
import { loadMemberships, type SessionUser } from "#app/auth.server.ts";
import { useDatabase } from "#app/db.server.ts";
import { exportLog } from "#app/hazard-export.server.ts";
import { confirmImport, previewImport } from "#app/hazard-import.server.ts";
import { insertHazards, loadRiskScheme } from "#app/hazard-store.server.ts";
import { loadLogsWithFacts } from "#app/permissions.server.ts";
import { generatedHazard } from "#tests/fixtures/generated-log.ts";

const argOf = (name: string) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
const N = Number(argOf("--hazards") ?? 5000);
const OUT = argOf("--out") ?? "/tmp";
const profiling = !process.argv.includes("--no-profile");
const open = await openDb(process.env.BENCH_URL ?? "pglite://memory");
useDatabase(open);
const { db } = open;
await seedDemo(db, { password: "demo-password" });
const [u] = await db.select().from(users).where(eq(users.email, "cso@supplier.example"));
const memberships = await loadMemberships(db, u.id);
const user: SessionUser = { id: u.id, email: u.email, name: u.name, memberships, activeOrganisationId: memberships[0].organisationId, sessionIdHash: null };
const [model] = await db.select().from(hazardLogs).where(eq(hazardLogs.title, "Wessex Shared EPR — DCB0129 hazard log"));
const newLog = async (title: string) => (await db.insert(hazardLogs).values({ title, standard: model.standard, scope: model.scope, organisationId: model.organisationId, platformId: model.platformId, riskSchemeId: model.riskSchemeId }).returning())[0].id;
const source = await newLog("Bench source");
const [log] = await loadLogsWithFacts(db, [source]);
const owners = [log.facts.platform.supplierOrganisationId, log.facts.platform.icbOrganisationId, ...log.facts.platform.deployerOrganisationIds];
await db.transaction(async (tx) => {
  const scheme = await loadRiskScheme(tx, log.riskSchemeId);
  await insertHazards(tx, { log, scheme, inputs: Array.from({ length: N }, (_, i) => generatedHazard(i, owners)), actor: { userId: null, organisationId: log.organisationId } });
});

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
