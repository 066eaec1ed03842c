// A realistic 5,000-hazard log for the benchmark: the demo data (contract §3) plus generated
// hazards built from the demo hazards' wording with varied assessments, owners, review dates and
// statuses. Rows are written in bulk but with exactly the columns insertHazard and
// insertInheritedHazard would give them (ref numbers from the log's counter, risk by the scheme's
// lookup, search text from title, description and causes). Not written: hazard_versions and
// controls, which the log page never reads.
import { eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.ts";
import * as s from "#db/schema/index.ts";
import demo from "#db/seed-data/demo-hazards.json" with { type: "json" };
import { assessmentColumns, formatRef, loadRiskScheme, searchTextOf } from "#app/hazard-store.server.ts";
import { LIKELIHOODS, SEVERITIES } from "#app/domain/risk.ts";

export const BENCH_LOG_TITLE = "Wessex Shared EPR — ICB shared DCB0160 hazard log";
const SUPPLIER_LOG_TITLE = "Wessex Shared EPR — DCB0129 hazard log";
const OWNERS = ["Ward manager", "Chief nursing information officer", "Pharmacy lead", "Pathology IT lead", "Clinical safety officer", "Head of digital", "ED consultant", "Maternity lead", "Radiology manager", "Community services lead", "Integration team", "Information governance"];
const SITES = ["emergency department", "maternity", "community", "outpatients", "theatres", "pharmacy", "radiology", "paediatrics", "mental health", "critical care"];

function prng(seed: number) {
  let x = seed >>> 0;
  return () => ((x = (Math.imul(x ^ (x >>> 15), 2246822507) + 0x9e3779b9) >>> 0) % 1_000_000) / 1_000_000;
}

type Demo = { title: string; description: string; causes: string[]; effect: string; hazard: string; harm: string; hazardType: string; source: string };

/** Adds hazards until the ICB's shared log holds `target` (about 2/5 inherited from the supplier). */
export async function buildBenchLog(db: Db, target = 5000): Promise<{ logId: string; hazards: number }> {
  const [icb] = await db.select().from(s.hazardLogs).where(eq(s.hazardLogs.title, BENCH_LOG_TITLE));
  const [supplier] = await db.select().from(s.hazardLogs).where(eq(s.hazardLogs.title, SUPPLIER_LOG_TITLE));
  const scheme = await loadRiskScheme(db, icb.riskSchemeId);
  const [{ n: existing }] = await db.select({ n: sql<number>`count(*)::int` }).from(s.hazards).where(eq(s.hazards.hazardLogId, icb.id));
  const toAdd = target - Number(existing);
  const inheritedCount = Math.floor(toAdd * 0.4);
  const ownCount = toAdd - inheritedCount;
  const rnd = prng(5000);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const pool = [...demo.supplierLog, ...demo.icbSharedLog] as Demo[];
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

  const generated = (log: typeof icb, refNumber: number, i: number) => {
    const base = pick(pool);
    const site = pick(SITES);
    const assessed = rnd() > 0.06;
    const a = () => ({ severity: pick(SEVERITIES), likelihood: pick(LIKELIHOODS), justification: `Rated for ${site} use.` });
    const input = { title: `${base.title} (${site}, ${i})`, description: `${base.description} Seen in ${site}.`, causes: [...base.causes.slice(0, 1 + Math.floor(rnd() * base.causes.length)), `Local workflow in ${site}`] };
    return {
      hazardLogId: log.id, refNumber, ref: formatRef(refNumber), ...input,
      effect: base.effect, hazard: base.hazard, harm: base.harm, hazardType: base.hazardType, source: base.source,
      owner: rnd() > 0.1 ? pick(OWNERS) : null,
      reviewDue: rnd() > 0.2 ? day(Math.floor(rnd() * 540) - 180) : null,
      ...assessmentColumns(scheme, assessed ? { initial: a(), residual: a() } : { initial: {}, residual: {} } as never),
      status: pick(["open", "open", "open", "transferred", "closed"] as const),
      searchText: searchTextOf([input.title, input.description, ...input.causes]),
    };
  };

  const insert = async (rows: (typeof s.hazards.$inferInsert)[]) => {
    const ids: string[] = [];
    for (let i = 0; i < rows.length; i += 500) ids.push(...(await db.insert(s.hazards).values(rows.slice(i, i + 500)).returning({ id: s.hazards.id })).map((r) => r.id));
    return ids;
  };
  const takeRefs = async (log: typeof icb, count: number) => {
    const [row] = await db.update(s.hazardLogs).set({ nextRefNumber: sql`${s.hazardLogs.nextRefNumber} + ${count}` }).where(eq(s.hazardLogs.id, log.id)).returning({ next: s.hazardLogs.nextRefNumber });
    return row.next - count;
  };

  // Supplier hazards, then the ICB's inherited row for each (local fields only, as insertInheritedHazard writes).
  const supFirst = await takeRefs(supplier, inheritedCount);
  const supRows = Array.from({ length: inheritedCount }, (_, i) => generated(supplier, supFirst + i, i));
  const supIds = await insert(supRows);
  const icbFirst = await takeRefs(icb, toAdd);
  const inherited = supRows.map((u, i) => ({
    hazardLogId: icb.id, refNumber: icbFirst + i, ref: formatRef(icbFirst + i), causes: [], owner: rnd() > 0.3 ? pick(OWNERS) : null,
    reviewDue: rnd() > 0.3 ? day(Math.floor(rnd() * 540) - 180) : null,
    initialSeverity: u.initialSeverity, initialLikelihood: u.initialLikelihood, initialRisk: u.initialRisk, initialJustification: u.initialJustification,
    residualSeverity: u.residualSeverity, residualLikelihood: u.residualLikelihood, residualRisk: u.residualRisk, residualJustification: u.residualJustification,
    riskSchemeId: scheme.id, riskSchemeVersion: scheme.version, status: u.status,
    upstreamHazardId: supIds[i], upstreamAcceptedVersion: rnd() > 0.05 ? 1 : null,
    searchText: u.searchText,
  }));
  await insert(inherited);
  await insert(Array.from({ length: ownCount }, (_, i) => generated(icb, icbFirst + inheritedCount + i, inheritedCount + i)));
  await db.execute(sql`analyze hazards`);
  return { logId: icb.id, hazards: target };
}
