// The full-size benchmark estate (issue 9), generated from a seed: the demo data (contract §3: its
// accounts sign the bench in) grown to 1 ICB, 10 platforms, 40 deploying trusts, 20,000 hazards
// with their own content across the supplier, shared and local logs (plus the by-reference copies
// inheritance makes in every downstream log), controls, 200 safety cases with baselines and
// signatures, and 500,000 audit entries in valid hash chains, one per organisation.
//
//   npx tsx bench/generate.ts [--quick] [--seed 9]          # into DATABASE_URL, else pglite://./data/bench-estate
//   npx tsx bench/generate.ts --url pglite://memory          # anywhere openDb accepts
//
// Same seed → same data: every generated id, name, rating, date offset, state and audit entry comes
// from one seeded PRNG (row ids included). What varies between runs: the demo rows' ids (seedDemo's
// random uuids, which generated rows and hashed audit entries refer to), `created_at` defaults, and
// review dates, relative to the day of the run so "overdue" keeps its meaning.
//
// Written in bulk (multi-row INSERTs with ids made here, no RETURNING), with the columns the app's
// services would give the rows:
// - an own hazard: hazardValues' columns, risks by the scheme's lookup (assessmentColumns);
// - an inherited hazard: inheritedValues' columns (upstream fields null, read through
//   upstream_hazard_id; assessment copied from upstream, some overridden locally; about 1 in 20
//   not yet accepted); every log inheriting a log holds a copy of each of its hazards, as
//   inheritDownstream keeps it;
// - controls: 1–3 per own hazard (hazard_controls positions 0…); about 1 in 50 supplier controls
//   of the largest platform transferred, each trust holding the obligation on its copy (position 100);
// - a safety case: its snapshot is the approval machine's own, driven through SUBMIT and SIGN
//   events in-process; the baseline is logContent's canonical JSON of the log (baselineIntact holds);
//   signature rows as recordSignature writes them;
// - audit entries: entryHash chains per organisation with times stored from the hashed text, as in
//   bench/audit-verify.ts, continuing from each chain's head (verifyAllChains passes).
// No hazard_versions rows (nothing in the benchmarks reads them; the hazard page shows an empty history).
import { execFileSync } from "node:child_process";
import { createActor } from "xstate";
import { eq, getTableName, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { openDb, type Db } from "#db/client.ts";
import * as s from "#db/schema/index.ts";
import { seedDemo } from "#db/seed.ts";
import demo from "#db/seed-data/demo-hazards.json" with { type: "json" };
import { entryHash, GENESIS_HASH, type AuditEntry } from "#app/audit.server.ts";
import { logContent } from "#app/baselines.server.ts";
import { assessmentColumns, formatRef, loadRiskScheme, searchTextOf } from "#app/hazard-store.server.ts";
import { LIKELIHOODS, SEVERITIES, type RiskScheme } from "#app/domain/risk.ts";
import { defaultSignatories } from "#app/domain/signatories.ts";
import { SAFETY_CASE_MACHINE_VERSION, safetyCaseApprovalMachine, whyNot, type SafetyCaseEvent, type WorkflowActor } from "#workflows/safety-case-approval.machine.ts";
import { isMain } from "./common.ts";

export const ESTATE_PASSWORD = "demo-password";

export type EstateSize = {
  platforms: number; trusts: number; hazards: number; largestSupplierLog: number;
  safetyCases: number; auditEntries: number; baselineLogs: number;
};
export const ESTATE_FULL: EstateSize = { platforms: 10, trusts: 40, hazards: 20_000, largestSupplierLog: 5_000, safetyCases: 200, auditEntries: 500_000, baselineLogs: 24 };
export const ESTATE_QUICK: EstateSize = { platforms: 1, trusts: 4, hazards: 2_000, largestSupplierLog: 500, safetyCases: 20, auditEntries: 50_000, baselineLogs: 3 };

export type Estate = {
  seed: number;
  size: EstateSize;
  /** The largest platform (the demo's Wessex Shared EPR, deployed at every trust): the roll-up metric's. */
  platformId: string;
  /** Its supplier's DCB0129 log, `largestSupplierLog` hazards: the page, search and API metrics'. */
  supplierLogId: string;
  sharedLogId: string;
  counts: Record<string, number>;
  timings: Record<string, number>;
};

/** mulberry32: small, fast, and the same sequence on every machine. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const OWNERS = ["Ward manager", "Chief nursing information officer", "Pharmacy lead", "Pathology IT lead", "Clinical safety officer", "Head of digital", "ED consultant", "Maternity lead", "Radiology manager", "Community services lead", "Integration team", "Information governance"];
const SITES = ["emergency department", "maternity", "community", "outpatients", "theatres", "pharmacy", "radiology", "paediatrics", "mental health", "critical care"];
const PLATFORM_NAMES = ["Wessex Shared EPR", "Coastline Pathology Order Comms", "Solent ePMA", "Harbour PACS", "Downs Community Record", "Tidal Maternity System", "Beacon ED Tracker", "Chalk Mental Health Record", "Estuary Theatres Manager", "Headland Patient Portal"];
const TOWNS = ["Abbotsbury", "Bournemouth", "Chesil", "Dorchester", "Eastleigh", "Fareham", "Gosport", "Havant", "Isle of Purbeck", "Jurassic Coast", "Kingsbridge", "Lymington", "Marchwood", "New Forest", "Ovington", "Poole", "Quarr", "Romsey", "Swanage", "Totton", "Upwey", "Verwood", "Wareham", "Yeovil", "Alresford", "Bridport", "Christchurch", "Durley", "Emsworth", "Fordingbridge", "Hythe", "Ilchester", "Kimmeridge", "Lulworth", "Milford", "Netley", "Odiham", "Portland", "Ringwood", "Sherborne", "Tisbury", "Weymouth"];
const CONTROL_TYPES = ["design", "test", "training", "business_process"] as const;
const CONTROL_STATES = ["planned", "implemented", "verified", "verified"] as const;
const AUDIT_ACTIONS = ["hazard.updated", "hazard.updated", "hazard.updated", "hazard.created", "hazard.upstream_accepted", "control.updated", "evidence.reviewed", "safety_case.sign"] as const;

type Demo = { title: string; description: string; causes: string[]; effect: string; hazard: string; harm: string; hazardType: string; source: string; controls: { type: string; description: string }[] };
type HazardInsert = typeof s.hazards.$inferInsert;
type LogRow = typeof s.hazardLogs.$inferSelect;
/** What a downstream copy needs of its upstream hazard (its merged view, as far as the columns go). */
type Upstream = { id: string; title: string; description: string; causes: string[]; initialSeverity: string | null; initialLikelihood: string | null; initialJustification: string | null; residualSeverity: string | null; residualLikelihood: string | null; residualJustification: string | null; riskBenefitJustification: string | null; status: "open" | "transferred" | "closed"; version: number; transferredControls: { id: string; type: (typeof CONTROL_TYPES)[number]; description: string }[] };

export async function generateEstate(db: Db, opts: { seed?: number; size?: EstateSize; log?: (line: string) => void } = {}): Promise<Estate> {
  const seed = opts.seed ?? 9;
  const size = opts.size ?? ESTATE_FULL;
  const log = opts.log ?? ((line: string) => console.error(line));
  const rnd = prng(seed);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const chance = (p: number) => rnd() < p;
  const uuid = () => {
    const b = Buffer.alloc(16);
    for (let i = 0; i < 16; i += 4) b.writeUInt32BE(Math.floor(rnd() * 4294967296) >>> 0, i);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = b.toString("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
  const today = Date.parse(new Date().toISOString().slice(0, 10));
  const day = (offset: number) => new Date(today + offset * 86_400_000).toISOString().slice(0, 10);
  const timings: Record<string, number> = {};
  const counts: Record<string, number> = {};
  let t = performance.now();
  let cpu = process.cpuUsage();
  const lap = (name: string) => {
    timings[name] = Math.round(performance.now() - t);
    const used = process.cpuUsage(cpu);
    log(`[generate] ${name}: ${timings[name]} ms (this process's CPU ${Math.round((used.user + used.system) / 1000)} ms)`);
    t = performance.now();
    cpu = process.cpuUsage();
  };
  const batched = async <T,>(rows: T[], per: number, write: (chunk: T[]) => Promise<unknown>) => {
    for (let i = 0; i < rows.length; i += per) await write(rows.slice(i, i + per));
  };
  // Rows per INSERT: PostgreSQL caps a statement at 65,535 parameters (hazards have ~35 columns).
  const insertHazards = (rows: HazardInsert[]) => copyRows(db, s.hazards, rows);

  // --- Organisations, people, platforms, deployments, logs.
  await seedDemo(db, { password: ESTATE_PASSWORD });
  const orgs = await db.select().from(s.organisations);
  const bySlug = (slug: string) => orgs.find((o) => o.slug === slug)!;
  const icb = bySlug("wessex-coast-icb");
  const [demoPlatform] = await db.select().from(s.platforms);
  const demoLogs = await db.select().from(s.hazardLogs);
  const scheme: RiskScheme = await loadRiskScheme(db, demoLogs[0].riskSchemeId);
  const [icbApprover] = await db.select().from(s.users).where(eq(s.users.email, "approver@icb.example"));
  const [icbCso] = await db.select().from(s.users).where(eq(s.users.email, "cso@icb.example"));
  // The demo accounts' password hash, reused (argon2id is slow by design): everyone signs in alike.
  const passwordHash = icbCso.passwordHash;

  const newOrgs: (typeof s.organisations.$inferInsert)[] = [];
  const newUsers: (typeof s.users.$inferInsert)[] = [];
  const newMemberships: (typeof s.memberships.$inferInsert)[] = [];
  /** Per organisation: its CSO's user id and name (signatures, audit actors). */
  const cso = new Map<string, { id: string; name: string }>();
  for (const [email, slug] of [["cso@supplier.example", "acme-health"], ["cso@othersupplier.example", "other-supplier"], ["cso@harbourside.example", "harbourside"], ["cso@northcliff.example", "northcliff"], ["cso@icb.example", "wessex-coast-icb"]] as const) {
    const [u] = await db.select().from(s.users).where(eq(s.users.email, email));
    cso.set(bySlug(slug).id, { id: u.id, name: u.name });
  }
  const addOrg = (name: string, slug: string, kind: "supplier" | "deployer") => {
    const id = uuid();
    newOrgs.push({ id, name, slug, kind });
    for (const role of ["cso", "contributor"] as const) {
      const userId = uuid();
      const person = `${pick(["Dr ", "", ""])}${pick(["Alex", "Priya", "Morgan", "Chen", "Fatima", "Oliver", "Grace", "Kwame", "Ines", "Tomasz"])} ${pick(["Ashworth", "Bello", "Carter", "Dunmore", "Evans", "Fraser", "Gupta", "Hale", "Iqbal", "Jones"])}`;
      newUsers.push({ id: userId, email: `${role}@${slug}.example`, name: person, passwordHash });
      newMemberships.push({ userId, organisationId: id, role });
      if (role === "cso") cso.set(id, { id: userId, name: person });
    }
    return id;
  };
  const suppliers = [bySlug("acme-health").id, bySlug("other-supplier").id];
  for (let p = 2; p < size.platforms; p++) suppliers.push(addOrg(`${PLATFORM_NAMES[p].split(" ").slice(1).join(" ")} Systems Ltd`, `supplier-${p + 1}`, "supplier"));
  const trusts = [bySlug("harbourside").id, bySlug("northcliff").id];
  for (let k = 2; k < size.trusts; k++) trusts.push(addOrg(`${TOWNS[k % TOWNS.length]} ${pick(["Hospitals", "Healthcare", "Community Health", "University Hospitals", "Partnership"])} NHS ${pick(["Foundation Trust", "Trust"])}`, `trust-${k + 1}`, "deployer"));
  await batched(newOrgs, 500, (c) => db.insert(s.organisations).values(c));
  await batched(newUsers, 500, (c) => db.insert(s.users).values(c));
  await batched(newMemberships, 500, (c) => db.insert(s.memberships).values(c));

  // Platform 0 is the demo's (deployed at every trust: the largest); the others at 3–6 trusts each.
  const platformIds = [demoPlatform.id];
  const newPlatforms = [];
  for (let p = 1; p < size.platforms; p++) {
    const id = uuid();
    platformIds.push(id);
    newPlatforms.push({ id, name: PLATFORM_NAMES[p], supplierOrganisationId: suppliers[p], icbOrganisationId: icb.id });
  }
  if (newPlatforms.length) await db.insert(s.platforms).values(newPlatforms);
  const deployedAt: string[][] = platformIds.map((_, p) => {
    if (p === 0) return trusts;
    const n = Math.min(trusts.length, 3 + Math.floor(rnd() * 4));
    const chosen = new Set<string>();
    while (chosen.size < n) chosen.add(pick(trusts));
    return [...chosen];
  });
  const existingDeployments = await db.select().from(s.deployments);
  const deploymentOf = new Map(existingDeployments.map((d) => [`${d.platformId}|${d.organisationId}`, d.id]));
  const newDeployments = [];
  for (const [p, list] of deployedAt.entries())
    for (const org of list)
      if (!deploymentOf.has(`${platformIds[p]}|${org}`)) {
        const id = uuid();
        deploymentOf.set(`${platformIds[p]}|${org}`, id);
        newDeployments.push({ id, platformId: platformIds[p], organisationId: org });
      }
  await batched(newDeployments, 500, (c) => db.insert(s.deployments).values(c));

  type PlatformLogs = { supplier: LogRow; shared: LogRow; locals: LogRow[] };
  const logs: PlatformLogs[] = [];
  const newLogs: LogRow[] = [];
  const logRow = (v: Omit<LogRow, "id" | "createdAt" | "nextRefNumber" | "riskSchemeId" | "deploymentId" | "upstreamLogId" | "contentRevision"> & Partial<LogRow>): LogRow =>
    ({ id: uuid(), createdAt: new Date(), nextRefNumber: 1, contentRevision: Date.now() * 1000, riskSchemeId: scheme.id, deploymentId: null, upstreamLogId: null, ...v });
  for (const [p, platformId] of platformIds.entries()) {
    if (p === 0) {
      const supplier = demoLogs.find((l) => l.scope === "platform")!;
      const shared = demoLogs.find((l) => l.scope === "shared")!;
      const locals = demoLogs.filter((l) => l.scope === "local");
      for (const org of trusts.slice(2)) {
        const l = logRow({ title: `${PLATFORM_NAMES[0]} — ${newOrgs.find((o) => o.id === org)!.name} DCB0160 hazard log`, standard: "DCB0160", scope: "local", organisationId: org, platformId, deploymentId: deploymentOf.get(`${platformId}|${org}`)!, upstreamLogId: shared.id });
        newLogs.push(l);
        locals.push(l);
      }
      logs.push({ supplier, shared, locals });
      continue;
    }
    const supplier = logRow({ title: `${PLATFORM_NAMES[p]} — DCB0129 hazard log`, standard: "DCB0129", scope: "platform", organisationId: suppliers[p], platformId });
    const shared = logRow({ title: `${PLATFORM_NAMES[p]} — ICB shared DCB0160 hazard log`, standard: "DCB0160", scope: "shared", organisationId: icb.id, platformId, upstreamLogId: supplier.id });
    const locals = deployedAt[p].map((org) => logRow({ title: `${PLATFORM_NAMES[p]} — ${(newOrgs.find((o) => o.id === org) ?? orgs.find((o) => o.id === org))!.name} DCB0160 hazard log`, standard: "DCB0160", scope: "local", organisationId: org, platformId, deploymentId: deploymentOf.get(`${platformId}|${org}`)!, upstreamLogId: shared.id }));
    newLogs.push(supplier, shared, ...locals);
    logs.push({ supplier, shared, locals });
  }
  await batched(newLogs, 200, (c) => db.insert(s.hazardLogs).values(c));
  lap("organisations, people, platforms, logs");

  // --- Hazard budget: own hazards (with their own content) across every log = size.hazards.
  const [{ n: demoOwn }] = await db.select({ n: sql<number>`count(*)::int` }).from(s.hazards).where(sql`${s.hazards.upstreamHazardId} is null`);
  const [{ n: demoSupplier }] = await db.select({ n: sql<number>`count(*)::int` }).from(s.hazards).where(eq(s.hazards.hazardLogId, logs[0].supplier.id));
  const scaleDown = size.hazards / ESTATE_FULL.hazards;
  const sharedOwn = (p: number) => Math.round((p === 0 ? 100 : 40) * scaleDown);
  const localOwn = (p: number) => Math.round((p === 0 ? 20 : 15) * Math.max(scaleDown, 0.5));
  const ownSupplier = logs.map(() => 0);
  ownSupplier[0] = size.largestSupplierLog;
  let budget = size.hazards - Number(demoOwn) + Number(demoSupplier) - size.largestSupplierLog;
  for (const [p, l] of logs.entries()) budget -= sharedOwn(p) + l.locals.length * localOwn(p);
  const extraShared = logs.length === 1 ? Math.max(0, Math.round(budget / 3)) : 0;
  const extraLocal = logs.length === 1 ? Math.max(0, Math.round((budget - extraShared) / logs[0].locals.length)) : 0;
  if (logs.length > 1) {
    const weights = logs.slice(1).map((_, i) => 2.4 - i * 0.22);
    const total = weights.reduce((a, b) => a + b, 0);
    let left = Math.max(0, budget);
    for (let p = 1; p < logs.length; p++) ownSupplier[p] = p === logs.length - 1 ? left : Math.round((Math.max(0, budget) * weights[p - 1]) / total);
    for (let p = 1; p < logs.length - 1; p++) left -= ownSupplier[p];
    ownSupplier[logs.length - 1] = Math.max(0, left);
  }

  const pool = [...demo.supplierLog, ...demo.icbSharedLog] as Demo[];
  const allControls: (typeof s.controls.$inferInsert)[] = [];
  const allLinks: (typeof s.hazardControls.$inferInsert)[] = [];
  const hazardsByOrg = new Map<string, string[]>();
  const noteHazard = (org: string, id: string) => {
    const list = hazardsByOrg.get(org) ?? [];
    list.push(id);
    hazardsByOrg.set(org, list);
  };
  const assessment = (site: string) => {
    const initial = { severity: pick(SEVERITIES), likelihood: pick(LIKELIHOODS), justification: `Rated for ${site} use before controls.` };
    // Residual: the same severity, the likelihood usually lowered by the controls.
    const li = Math.max(0, LIKELIHOODS.indexOf(initial.likelihood) - Math.floor(rnd() * 3));
    const residual = { severity: chance(0.8) ? initial.severity : pick(SEVERITIES), likelihood: LIKELIHOODS[li], justification: `Controls in place for ${site}.` };
    return assessmentColumns(scheme, { initial, residual } as never);
  };

  /** `count` own hazards in `log` from `firstRef`, with controls; returns what copies downstream need. */
  const ownHazards = (log: LogRow, firstRef: number, count: number, transferShare = 0): { rows: HazardInsert[]; ups: Upstream[] } => {
    const rows: HazardInsert[] = [];
    const ups: Upstream[] = [];
    for (let i = 0; i < count; i++) {
      const base = pick(pool);
      const site = pick(SITES);
      const refNumber = firstRef + i;
      const id = uuid();
      const assessed = chance(0.95);
      const cols = assessed ? assessment(site) : assessmentColumns(scheme, { initial: {}, residual: {} } as never);
      const causes = [...base.causes.slice(0, 1 + Math.floor(rnd() * base.causes.length)), `Local workflow in ${site}`];
      const title = `${base.title} (${site}, ${formatRef(refNumber)})`;
      const description = `${base.description} Seen in ${site}.`;
      const status = pick(["open", "open", "open", "open", "transferred", "closed"] as const);
      const riskBenefit = (cols.residualRisk ?? 0) >= 4 ? `Clinical benefit of the ${site} workflow outweighs the residual risk; reviewed by the CSO.` : null;
      const deprecated = chance(0.01);
      rows.push({
        id, hazardLogId: log.id, refNumber, ref: formatRef(refNumber), title, description, causes,
        effect: base.effect, hazard: base.hazard, harm: base.harm, hazardType: base.hazardType, source: base.source,
        owner: chance(0.9) ? pick(OWNERS) : null, reviewDue: chance(0.8) ? day(Math.floor(rnd() * 540) - 180) : null,
        ...cols, riskBenefitJustification: riskBenefit, status,
        deprecatedAt: deprecated ? new Date(today - 30 * 86_400_000) : null, deprecatedReason: deprecated ? "Superseded by a redesigned workflow" : null,
        searchText: searchTextOf([title, description, ...causes]),
      });
      const transferred: Upstream["transferredControls"] = [];
      const n = 1 + Math.floor(rnd() * 3);
      const templates = base.controls.length ? base.controls : [{ type: "design", description: "Design control" }];
      for (let c = 0; c < n; c++) {
        const tpl = templates[c % templates.length];
        const controlId = uuid();
        const type = (CONTROL_TYPES as readonly string[]).includes(tpl.type) ? (tpl.type as (typeof CONTROL_TYPES)[number]) : pick(CONTROL_TYPES);
        const isTransferred = transferShare > 0 && chance(transferShare);
        const description = `${tpl.description}${c >= templates.length ? ` (${site})` : ""}`;
        allControls.push({ id: controlId, hazardLogId: log.id, type, description, ownerOrganisationId: log.organisationId, state: pick(CONTROL_STATES), evidenceRefs: chance(0.3) ? [`DOC-${Math.floor(rnd() * 9000) + 1000}`] : [], transferred: isTransferred });
        allLinks.push({ hazardId: id, controlId, kind: c === 0 ? "existing" : pick(["existing", "additional"] as const), position: c });
        if (isTransferred) transferred.push({ id: controlId, type, description });
      }
      noteHazard(log.organisationId, id);
      ups.push({ id, title, description, causes, initialSeverity: cols.initialSeverity, initialLikelihood: cols.initialLikelihood, initialJustification: cols.initialJustification, residualSeverity: cols.residualSeverity, residualLikelihood: cols.residualLikelihood, residualJustification: cols.residualJustification, riskBenefitJustification: riskBenefit, status, version: 1, transferredControls: transferred });
    }
    return { rows, ups };
  };

  /** The copy of each upstream hazard in `log` (inheritedValues' columns), from `firstRef`. */
  const copies = (log: LogRow, firstRef: number, ups: Upstream[]): { rows: HazardInsert[]; ups: Upstream[] } => {
    const rows: HazardInsert[] = [];
    const out: Upstream[] = [];
    for (const [i, u] of ups.entries()) {
      const id = uuid();
      const refNumber = firstRef + i;
      // Some organisations rate the residual risk differently for their own use.
      const local = chance(0.1) && u.residualSeverity ? { severity: u.residualSeverity, likelihood: pick(LIKELIHOODS), justification: "Local controls differ from upstream." } : null;
      const cols = assessmentColumns(scheme, {
        initial: { severity: u.initialSeverity, likelihood: u.initialLikelihood, justification: u.initialJustification },
        residual: local ?? { severity: u.residualSeverity, likelihood: u.residualLikelihood, justification: u.residualJustification },
      } as never);
      rows.push({
        id, hazardLogId: log.id, refNumber, ref: formatRef(refNumber), causes: [],
        owner: chance(0.5) ? pick(OWNERS) : null, reviewDue: chance(0.5) ? day(Math.floor(rnd() * 540) - 180) : null,
        ...cols, riskBenefitJustification: u.riskBenefitJustification, status: u.status,
        upstreamHazardId: u.id, upstreamAcceptedVersion: chance(0.05) ? null : u.version,
        searchText: searchTextOf([u.title, u.description, ...u.causes]),
      });
      noteHazard(log.organisationId, id);
      // A transferred upstream control becomes this organisation's obligation on its copy (trust logs only).
      if (log.scope === "local")
        for (const [k, c] of u.transferredControls.entries()) {
          const controlId = uuid();
          allControls.push({ id: controlId, hazardLogId: log.id, type: c.type, description: c.description, ownerOrganisationId: log.organisationId, state: pick(["planned", "implemented"] as const), evidenceRefs: [], transferred: true, transferredFromControlId: c.id });
          allLinks.push({ hazardId: id, controlId, kind: "additional", position: 100 + k });
        }
      out.push({ ...u, id, residualSeverity: cols.residualSeverity, residualLikelihood: cols.residualLikelihood, residualJustification: cols.residualJustification, transferredControls: u.transferredControls });
    }
    return { rows, ups: out };
  };

  // Per platform: supplier hazards → the shared log's copies (+ its own) → each trust's copies (+ its own).
  let hazardRows = 0;
  let ownRows = 0;
  const nextRef = new Map<string, number>();
  const logNext = async (l: LogRow) => {
    if (!nextRef.has(l.id)) {
      const [{ n }] = await db.select({ n: sql<number>`coalesce(max(${s.hazards.refNumber}), 0)::int` }).from(s.hazards).where(eq(s.hazards.hazardLogId, l.id));
      nextRef.set(l.id, Math.max(Number(n) + 1, l.nextRefNumber));
    }
    return nextRef.get(l.id)!;
  };
  const write = async (l: LogRow, part: { rows: HazardInsert[] }, own: boolean) => {
    await insertHazards(part.rows);
    hazardRows += part.rows.length;
    if (own) ownRows += part.rows.length;
    nextRef.set(l.id, (await logNext(l)) + part.rows.length);
  };
  // The demo shared log's hazards, read before the generated ones join it: new trust logs inherit them too.
  const demoShared = await db.select().from(s.hazards).where(eq(s.hazards.hazardLogId, logs[0].shared.id));
  let demoUpstreams: Upstream[] | undefined;
  for (const [p, pl] of logs.entries()) {
    const supplierNew = ownHazards(pl.supplier, await logNext(pl.supplier), ownSupplier[p] - (p === 0 ? Number(demoSupplier) : 0), p === 0 ? 0.02 : 0.01);
    await write(pl.supplier, supplierNew, true);
    const sharedCopies = copies(pl.shared, await logNext(pl.shared), supplierNew.ups);
    await write(pl.shared, sharedCopies, false);
    const sharedNew = ownHazards(pl.shared, await logNext(pl.shared), sharedOwn(p) + (p === 0 ? extraShared : 0));
    await write(pl.shared, sharedNew, true);
    const sharedUps = [...sharedCopies.ups, ...sharedNew.ups];
    // A new trust log inherits the shared log's demo hazards too; the demo trust logs have them already.
    for (const local of pl.locals) {
      const isNew = newLogs.includes(local);
      if (p === 0 && isNew && demoShared.length) {
        demoUpstreams ??= await buildDemoUpstreams(db, demoShared);
        const views = demoUpstreams;
        await write(local, copies(local, await logNext(local), views), false);
      }
      await write(local, copies(local, await logNext(local), sharedUps), false);
      await write(local, ownHazards(local, await logNext(local), localOwn(p) + (p === 0 ? extraLocal : 0)), true);
    }
    log(`[generate] platform ${p + 1}/${logs.length}: supplier log ${ownSupplier[p]} hazards, ${pl.locals.length} trusts, ${hazardRows} hazard rows so far`);
  }
  await copyRows(db, s.controls, allControls);
  await copyRows(db, s.hazardControls, allLinks);
  for (const [id, next] of nextRef) await db.update(s.hazardLogs).set({ nextRefNumber: next }).where(eq(s.hazardLogs.id, id));
  // Inheritance as the app keeps it: every inheriting log holds exactly one copy of each upstream hazard.
  const rowsOf = (r: unknown) => ((r as { rows?: Record<string, unknown>[] }).rows ?? (r as Record<string, unknown>[]));
  const [dup] = rowsOf(await db.execute(sql`select count(*)::int as n from (select 1 from hazards where upstream_hazard_id is not null group by hazard_log_id, upstream_hazard_id having count(*) > 1) d`));
  const [missing] = rowsOf(await db.execute(sql`select count(*)::int as n from hazards u join hazard_logs d on d.upstream_log_id = u.hazard_log_id where not exists (select 1 from hazards c where c.hazard_log_id = d.id and c.upstream_hazard_id = u.id)`));
  if (Number(dup.n) || Number(missing.n)) throw new Error(`generated inheritance is wrong: ${dup.n} duplicate copies, ${missing.n} missing copies`);
  counts.hazard_rows = hazardRows;
  counts.own_hazards_generated = ownRows;
  counts.controls_generated = allControls.length;
  lap("hazards and controls");
  await db.execute(sql`analyze`);
  const [{ own, all }] = await db.select({ own: sql<number>`count(*) filter (where ${s.hazards.upstreamHazardId} is null)::int`, all: sql<number>`count(*)::int` }).from(s.hazards);
  counts.hazards_own = Number(own);
  counts.hazards_total_rows = Number(all);

  // --- Safety cases: on shared and local logs of the smaller platforms, and a few on the largest
  // platform's shared log; a third draft, a third in review (some signatures), a third approved.
  const caseLogs: LogRow[] = [];
  for (let p = logs.length - 1; p >= 0 && caseLogs.length < size.baselineLogs; p--) {
    const pl = logs[p];
    for (const l of p === 0 ? [pl.shared, pl.locals[0]] : [pl.shared, ...pl.locals]) if (caseLogs.length < size.baselineLogs) caseLogs.push(l);
  }
  const baselineOf = new Map<string, typeof s.baselines.$inferSelect>();
  const cases: (typeof s.safetyCases.$inferInsert)[] = [];
  const sigs: (typeof s.signatures.$inferInsert)[] = [];
  const orgName = new Map([...orgs, ...newOrgs].map((o) => [o.id!, o.name]));
  for (let i = 0; i < size.safetyCases; i++) {
    const l = caseLogs[i % caseLogs.length];
    const deployers = l.scope === "shared" ? deployedAt[platformIds.indexOf(l.platformId)] : [];
    const slots = defaultSignatories(l.scope, { ownerOrganisationId: l.organisationId, icbOrganisationId: icb.id, deployerOrganisationIds: deployers });
    const owner = cso.get(l.organisationId)!;
    const state = i % 3 === 0 ? "draft" : i % 3 === 1 ? "in_review" : "approved";
    const actor = createActor(safetyCaseApprovalMachine, { input: { ownerOrganisationId: l.organisationId, requiredSignatories: slots } });
    actor.start();
    const send = (event: SafetyCaseEvent) => {
      const refusal = whyNot(actor.getSnapshot(), event);
      if (refusal) throw new Error(`generated case ${i}: ${event.type} refused: ${refusal}`);
      actor.send(event);
    };
    const id = uuid();
    let baselineId: string | null = null;
    let submission = 0;
    let version = 1;
    if (state !== "draft") {
      let b = baselineOf.get(l.id);
      if (!b) {
        const c = await logContent(db, l.id);
        b = { id: uuid(), hazardLogId: l.id, hazardLogVersion: 1, sha256: c.sha256, content: c.content, hazardCount: c.hazardCount, createdBy: owner.id, createdAt: new Date() };
        await db.insert(s.baselines).values(b);
        baselineOf.set(l.id, b);
      }
      baselineId = b.id;
      submission = 1;
      send({ type: "SUBMIT", actor: { userId: owner.id, organisationId: l.organisationId, role: "cso" }, baseline: { hazardLogVersion: 1, sha256: b.sha256 } });
      version++;
      const signing = state === "approved" ? slots : slots.slice(0, Math.floor(rnd() * slots.length));
      for (const slot of signing) {
        const signer = slot.role === "approver" ? { id: icbApprover.id, name: icbApprover.name } : slot.organisationId === icb.id ? { id: icbCso.id, name: icbCso.name } : cso.get(slot.organisationId)!;
        const who: WorkflowActor = { userId: signer.id, organisationId: slot.organisationId, role: slot.role };
        const meaning = slot.organisationId === l.organisationId ? "approved" : "accepted_on_behalf_of_organisation";
        send({ type: "SIGN", actor: who, slotId: slot.slotId, meaning, baselineSha256: b.sha256, otherEligibleSignerCount: 0 });
        version++;
        sigs.push({ id: uuid(), safetyCaseId: id, submission: 1, baselineId: b.id, slotId: slot.slotId, userId: signer.id, printedName: signer.name, organisationId: slot.organisationId, organisationName: orgName.get(slot.organisationId)!, role: slot.role, meaning, sha256: b.sha256 });
      }
    }
    const snap = actor.getSnapshot();
    if (String(snap.value) !== state) throw new Error(`generated case ${i}: machine is in ${String(snap.value)}, expected ${state}`);
    cases.push({ id, hazardLogId: l.id, organisationId: l.organisationId, title: `${l.title.split(" — ")[0]} Clinical Safety Case ${Math.floor(i / caseLogs.length) + 1}`, state, version, submission, machineVersion: SAFETY_CASE_MACHINE_VERSION, snapshot: actor.getPersistedSnapshot() as Record<string, unknown>, baselineId, createdBy: owner.id });
    actor.stop();
  }
  await batched(cases, 200, (c) => db.insert(s.safetyCases).values(c));
  await batched(sigs, 1000, (c) => db.insert(s.signatures).values(c));
  counts.safety_cases = cases.length;
  counts.signatures = sigs.length;
  counts.baselines = baselineOf.size;
  lap("safety cases, baselines, signatures");

  // --- Audit: `auditEntries` entries over every organisation's chain (the ICB a fifth, suppliers
  // and trusts the rest in proportion to their hazards), continuing from each chain's head.
  const chainOrgs = [icb.id, ...suppliers, ...trusts];
  const weightOf = (org: string) => (org === icb.id ? 0 : Math.sqrt(hazardsByOrg.get(org)?.length ?? 1));
  const totalWeight = chainOrgs.reduce((a, o) => a + weightOf(o), 0);
  const icbShare = Math.round(size.auditEntries / 5);
  const perOrg = chainOrgs.map((o) => (o === icb.id ? icbShare : Math.floor(((size.auditEntries - icbShare) * weightOf(o)) / totalWeight)));
  perOrg[perOrg.length - 1] += size.auditEntries - perOrg.reduce((a, b) => a + b, 0);
  const heads = new Map((await db.select().from(s.auditHeads)).map((h) => [h.organisationId, h]));
  const start = Date.parse("2025-01-06T08:00:00Z");
  const requestId = () => uuid();
  let written = 0;
  for (const [k, org] of chainOrgs.entries()) {
    const head = heads.get(org);
    let previous = head?.hash ?? GENESIS_HASH;
    const first = Number(head?.sequence ?? 0) + 1;
    const last = first + perOrg[k] - 1;
    const entities = hazardsByOrg.get(org) ?? [org];
    const actor = cso.get(org) ?? { id: icbCso.id, name: icbCso.name };
    const step = Math.max(1, Math.floor((today - 86_400_000 - start) / 1000 / Math.max(1, perOrg[k])));
    let rows: (typeof s.auditEntries.$inferInsert)[] = [];
    for (let sequence = first; sequence <= last; sequence++) {
      const at = new Date(start + (sequence - first) * step * 1000 + Math.floor(rnd() * 1000)).toISOString().replace("Z", "000Z");
      const action = pick(AUDIT_ACTIONS);
      const entityId = pick(entities);
      const [entityType, changes] = action.startsWith("hazard")
        ? ["hazard", action === "hazard.updated" ? { version: 1 + Math.floor(rnd() * 6), diff: [{ field: "residual.likelihood", from: pick(LIKELIHOODS), to: pick(LIKELIHOODS) }, { field: "owner", from: pick(OWNERS), to: pick(OWNERS) }] } : { version: 1 }]
        : action.startsWith("control") ? ["control", { state: { from: "planned", to: pick(["implemented", "verified"]) } }]
        : action.startsWith("evidence") ? ["evidence", { review: pick(["accepted", "rejected"]) }]
        : ["safety_case", { from: "in_review", to: "in_review", slotId: `cso:${org}`, meaning: "approved" }];
      const entry: AuditEntry = {
        organisationId: org, sequence, at,
        actor: { userId: actor.id, name: actor.name, role: "cso" },
        action, entity: { type: entityType, id: entityId }, changes,
        reason: chance(0.4) ? pick(["Control verified in the release; likelihood reduced after review.", "Quarterly review of the hazard log.", "Incident review outcome.", "Supplier release notes assessed."]) : null,
        requestId: requestId(),
      };
      const hash = entryHash(previous, entry);
      rows.push({ id: uuid(), organisationId: org, sequence, previousHash: previous, hash, entry, entityType, entityId, createdAt: at as never });
      previous = hash;
      if (rows.length === 10_000) {
        await copyRows(db, s.auditEntries, rows);
        rows = [];
      }
    }
    await copyRows(db, s.auditEntries, rows);
    if (head) await db.update(s.auditHeads).set({ sequence: last, hash: previous }).where(eq(s.auditHeads.organisationId, org));
    else await db.insert(s.auditHeads).values({ organisationId: org, sequence: last, hash: previous });
    written += perOrg[k];
  }
  counts.audit_entries = written;
  counts.audit_chains = chainOrgs.length;
  lap("audit chains");
  // As autovacuum leaves a loaded database: statistics, and the visibility map that lets the log
  // page's heatmap and owner indexes answer from the index alone.
  await db.execute(sql`vacuum analyze`);
  lap("vacuum analyze");
  // On disk before anything is timed: a checkpoint, then the operating system's dirty pages (the
  // load wrote hundreds of MB). Without it the HTTP metrics shared the machine with PostgreSQL's
  // checkpoint and the kernel's writeback of the estate for their first minute or two.
  await db.execute(sql`checkpoint`);
  execFileSync("sync");
  lap("checkpoint and sync");

  counts.organisations = orgs.length + newOrgs.length;
  counts.platforms = platformIds.length;
  counts.trusts = trusts.length;
  counts.deployments = deploymentOf.size;
  counts.hazard_logs = demoLogs.length + newLogs.length;
  return { seed, size, platformId: platformIds[0], supplierLogId: logs[0].supplier.id, sharedLogId: logs[0].shared.id, counts, timings };
}

/**
 * Bulk load with COPY … FROM (CSV): PGlite's `/dev/blob`, postgres.js's COPY stream. Columns are the
 * keys present in any row (a key missing from a row is NULL; a column in no row gets its default).
 */
export async function copyRows(db: Db, table: PgTable, rows: Record<string, unknown>[]) {
  if (rows.length === 0) return;
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  const quote = (x: string) => `"${x.replace(/"/g, '""')}"`;
  const cell = (v: unknown) =>
    v === null || v === undefined ? "" : typeof v === "string" ? quote(v) : typeof v === "number" || typeof v === "boolean" ? String(v) : v instanceof Date ? v.toISOString() : quote(JSON.stringify(v));
  const statement = `COPY "${getTableName(table)}" (${keys.map((k) => `"${snake(k)}"`).join(", ")}) FROM STDIN WITH (FORMAT csv)`;
  const client = (db as unknown as { $client: { query?: (q: string, p: unknown[], o: unknown) => Promise<unknown>; unsafe?: (q: string) => { writable: () => Promise<NodeJS.WritableStream> } } }).$client;
  const CHUNK = 5000;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const text = rows.slice(i, i + CHUNK).map((r) => keys.map((k) => cell(r[k])).join(",")).join("\n") + "\n";
    if (client.query) await client.query(statement.replace("FROM STDIN", "FROM '/dev/blob'"), [], { blob: new Blob([text]) });
    else {
      const stream = await client.unsafe!(statement).writable();
      await new Promise<void>((resolve, reject) => {
        stream.on("error", reject);
        stream.on("finish", () => resolve());
        stream.end(text);
      });
    }
  }
}

/** The demo shared log's hazards as upstreams for a new trust log (an inherited one reads its supplier row). */
async function buildDemoUpstreams(db: Db, rows: (typeof s.hazards.$inferSelect)[]): Promise<Upstream[]> {
  const supplier = new Map((await db.select().from(s.hazards).where(sql`${s.hazards.id} in (select upstream_hazard_id from hazards where hazard_log_id = ${rows[0].hazardLogId} and upstream_hazard_id is not null)`)).map((r) => [r.id, r]));
  const transferred = await db.select().from(s.controls).where(sql`${s.controls.transferred} and ${s.controls.transferredFromControlId} is null and ${s.controls.id} in (select control_id from hazard_controls)`);
  const links = await db.select().from(s.hazardControls);
  const ups = rows.sort((a, b) => a.refNumber - b.refNumber).map((r) => {
    const root = r.upstreamHazardId ? supplier.get(r.upstreamHazardId)! : r;
    const tc = transferred.filter((c) => links.some((k) => k.controlId === c.id && k.hazardId === root.id)).map((c) => ({ id: c.id, type: c.type, description: c.description }));
    return {
      id: r.id, title: root.title!, description: root.description!, causes: [...root.causes, ...(r.upstreamHazardId ? r.causes : [])],
      initialSeverity: r.initialSeverity, initialLikelihood: r.initialLikelihood, initialJustification: r.initialJustification,
      residualSeverity: r.residualSeverity, residualLikelihood: r.residualLikelihood, residualJustification: r.residualJustification,
      riskBenefitJustification: r.riskBenefitJustification, status: r.status, version: r.version, transferredControls: tc,
    };
  });
  return ups;
}

if (isMain(import.meta.url)) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const url = arg("url") ?? process.env.DATABASE_URL ?? "pglite://./data/bench-estate";
  const size = process.argv.includes("--quick") ? ESTATE_QUICK : ESTATE_FULL;
  const t0 = performance.now();
  const open = await openDb(url);
  try {
    const estate = await generateEstate(open.db, { seed: Number(arg("seed") ?? 9), size });
    console.log(JSON.stringify({ ...estate, url: url.replace(/\/\/[^@/]*@/, "//"), generate_ms: Math.round(performance.now() - t0) }, null, 2));
  } finally {
    await open.close();
  }
  process.exit(0);
}
