// Demo data of contract §3: organisations, accounts, the Wessex Shared EPR platform and its hazard
// logs from seed-data/demo-hazards.json. Safe to re-run: an already seeded database is left alone.
import { eq } from "drizzle-orm";
import type { Db } from "./client.ts";
import * as s from "./schema/index.ts";
import { NHS_RISK_SCHEME } from "./seed-data/nhs-risk-scheme.ts";
import demo from "./seed-data/demo-hazards.json" with { type: "json" };
import { hashPassword } from "#app/password.server.ts";
import { HazardInput } from "#app/domain/hazard-fields.ts";
import { insertControls, insertHazard, insertInheritedHazard, loadHazardView, loadRiskScheme, assessmentColumns, type Actor, type Tx } from "#app/hazard-store.server.ts";
import type { HazardView } from "#app/domain/hazard-view.ts";

type DemoControl = { kind: "existing" | "additional"; type: string; description: string; owner: "supplier" | "icb" | "deployer"; state: string };
type DemoHazard = { key: string; title: string; description: string; causes: string[]; effect: string; hazard: string; harm: string; hazardType: string; source: string; controls: DemoControl[]; initial: { severity: string; likelihood: string; justification: string }; residual: { severity: string; likelihood: string; justification: string }; status: string };

export const DEMO_ORGANISATIONS = [
  { key: "icb", slug: "wessex-coast-icb", name: "NHS Wessex Coast ICB", kind: "icb" },
  { key: "supplier", slug: "acme-health", name: "Acme Health Systems Ltd", kind: "supplier" },
  { key: "harbourside", slug: "harbourside", name: "Harbourside Hospital NHS Foundation Trust", kind: "deployer" },
  { key: "northcliff", slug: "northcliff", name: "Northcliff Community Health NHS Trust", kind: "deployer" },
  { key: "othersupplier", slug: "other-supplier", name: "Other Supplier Ltd", kind: "supplier" },
] as const;
type OrgKey = (typeof DEMO_ORGANISATIONS)[number]["key"];

export const DEMO_ACCOUNTS: { email: string; name: string; org: OrgKey; role: s.Role }[] = [
  { email: "cso@icb.example", name: "Dr Amara Okafor", org: "icb", role: "cso" },
  { email: "approver@icb.example", name: "Helen Price", org: "icb", role: "approver" },
  { email: "auditor@icb.example", name: "Tom Reid", org: "icb", role: "viewer" },
  { email: "cso@supplier.example", name: "Dr James Whitfield", org: "supplier", role: "cso" },
  { email: "engineer@supplier.example", name: "Sofia Marques", org: "supplier", role: "contributor" },
  { email: "cso@harbourside.example", name: "Dr Rachel Green", org: "harbourside", role: "cso" },
  { email: "cso@northcliff.example", name: "Daniel Hughes", org: "northcliff", role: "cso" },
  { email: "cso@othersupplier.example", name: "Dr Leo Brandt", org: "othersupplier", role: "cso" },
  // An outsourced safety consultant who reviews for both trusts: shows the organisation switcher.
  { email: "consultant@wessex.example", name: "Dr Sam Patel", org: "harbourside", role: "viewer" },
  { email: "consultant@wessex.example", name: "Dr Sam Patel", org: "northcliff", role: "viewer" },
  // One member administrator per organisation (contract §3 names the `admin` role; see README).
  { email: "admin@icb.example", name: "ICB members administrator", org: "icb", role: "admin" },
  { email: "admin@supplier.example", name: "Acme members administrator", org: "supplier", role: "admin" },
  { email: "admin@harbourside.example", name: "Harbourside members administrator", org: "harbourside", role: "admin" },
  { email: "admin@northcliff.example", name: "Northcliff members administrator", org: "northcliff", role: "admin" },
  { email: "admin@othersupplier.example", name: "Other Supplier members administrator", org: "othersupplier", role: "admin" },
];

/** The demo file carries `risk` for checking only: the server computes it, so it is dropped here. */
function withoutRisk(a: { severity: string; likelihood: string; justification: string; risk?: number }) {
  return { severity: a.severity, likelihood: a.likelihood, justification: a.justification };
}

export const DEMO_PLATFORM_NAME = "Wessex Shared EPR";
/** Left pending (never accepted) so both states of upstream acceptance show. */
const PENDING_AT_ICB = new Set(["SUP-23"]);
const PENDING_AT_TRUSTS = new Set(["ICB-02"]);

export async function isSeeded(db: Db): Promise<boolean> {
  const [row] = await db.select({ id: s.organisations.id }).from(s.organisations).where(eq(s.organisations.slug, "wessex-coast-icb"));
  return !!row;
}

export async function seedDemo(db: Db, opts: { password: string }): Promise<{ seeded: boolean }> {
  if (await isSeeded(db)) return { seeded: false };
  // Hash outside the transaction: PGlite serialises everything behind an open transaction.
  const passwordHash = await hashPassword(opts.password);
  await db.transaction(async (tx) => {
    if (await isSeeded(tx)) return;
    await seedInto(tx, passwordHash);
  });
  return { seeded: true };
}

async function seedInto(tx: Tx, passwordHash: string) {
  const org: Record<OrgKey, string> = {} as never;
  for (const o of DEMO_ORGANISATIONS) {
    const [row] = await tx.insert(s.organisations).values({ name: o.name, slug: o.slug, kind: o.kind }).returning();
    org[o.key] = row.id;
  }
  const userIds: Record<string, string> = {};
  for (const a of DEMO_ACCOUNTS) {
    userIds[a.email] ??= (await tx.insert(s.users).values({ email: a.email, name: a.name, passwordHash }).returning())[0].id;
    await tx.insert(s.memberships).values({ userId: userIds[a.email], organisationId: org[a.org], role: a.role });
  }
  const [schemeRow] = await tx.insert(s.riskSchemes).values(NHS_RISK_SCHEME).returning();
  const scheme = await loadRiskScheme(tx, schemeRow.id);
  const [platform] = await tx.insert(s.platforms).values({ name: DEMO_PLATFORM_NAME, supplierOrganisationId: org.supplier, icbOrganisationId: org.icb }).returning();
  const deployment: Record<"harbourside" | "northcliff", string> = {} as never;
  for (const t of ["harbourside", "northcliff"] as const) {
    const [d] = await tx.insert(s.deployments).values({ platformId: platform.id, organisationId: org[t] }).returning();
    deployment[t] = d.id;
  }

  const makeLog = async (v: { title: string; standard: "DCB0129" | "DCB0160"; scope: "platform" | "shared" | "local"; organisationId: string; deploymentId?: string; upstreamLogId?: string }) =>
    (await tx.insert(s.hazardLogs).values({ ...v, platformId: platform.id, riskSchemeId: scheme.id }).returning())[0];

  const supplierLog = await makeLog({ title: "Wessex Shared EPR — DCB0129 hazard log", standard: "DCB0129", scope: "platform", organisationId: org.supplier });
  const icbLog = await makeLog({ title: "Wessex Shared EPR — ICB shared DCB0160 hazard log", standard: "DCB0160", scope: "shared", organisationId: org.icb, upstreamLogId: supplierLog.id });
  const trustLogs = {
    harbourside: await makeLog({ title: "Wessex Shared EPR — Harbourside DCB0160 hazard log", standard: "DCB0160", scope: "local", organisationId: org.harbourside, deploymentId: deployment.harbourside, upstreamLogId: icbLog.id }),
    northcliff: await makeLog({ title: "Wessex Shared EPR — Northcliff DCB0160 hazard log", standard: "DCB0160", scope: "local", organisationId: org.northcliff, deploymentId: deployment.northcliff, upstreamLogId: icbLog.id }),
  };

  const actorFor = (email: string, o: OrgKey): Actor => ({ userId: userIds[email], organisationId: org[o] });
  const transferredKeys = new Set(demo.transferredControls.map((t) => `${t.hazardKey}#${t.controlIndex}`));
  const toInput = (h: DemoHazard, logOrg: string) =>
    HazardInput.parse({
      title: h.title, description: h.description, causes: h.causes, effect: h.effect, hazard: h.hazard, harm: h.harm,
      hazardType: h.hazardType, source: h.source, initial: withoutRisk(h.initial), residual: withoutRisk(h.residual), status: h.status,
      owner: null, reviewDue: null,
      riskBenefitJustification: (h.residual as { riskBenefit?: string }).riskBenefit ?? (["SUP-10", "ICB-01"].includes(h.key) ? h.residual.justification : null),
      controls: h.controls.map((c) => ({
        kind: c.kind, type: c.type, description: c.description, state: c.state,
        ownerOrganisationId: c.owner === "supplier" ? org.supplier : c.owner === "icb" ? org.icb : logOrg,
      })),
    });
  const markTransferred = async (view: HazardView, key: string) => {
    for (const [i, c] of view.controls.entries())
      if (transferredKeys.has(`${key}#${i}`)) await tx.update(s.controls).set({ transferred: true }).where(eq(s.controls.id, c.id));
  };

  // 1. The supplier's own hazards, in key order so refs are H-001 … H-030.
  const supplierByKey = new Map<string, HazardView>();
  for (const h of demo.supplierLog as DemoHazard[]) {
    const view = await insertHazard(tx, { log: supplierLog, scheme, input: toInput(h, org.supplier), actor: actorFor("cso@supplier.example", "supplier"), reason: "Demo data", downstream: "skip" });
    await markTransferred(view, h.key);
    supplierByKey.set(h.key, view);
  }
  // 2. The ICB's own hazards, then its inherited copy of every supplier hazard.
  const icbByKey = new Map<string, HazardView>();
  const icbActor = actorFor("cso@icb.example", "icb");
  for (const h of demo.icbSharedLog as DemoHazard[])
    icbByKey.set(h.key, await insertHazard(tx, { log: icbLog, scheme, input: toInput(h, org.icb), actor: icbActor, reason: "Demo data", downstream: "skip" }));
  for (const [key, up] of supplierByKey)
    icbByKey.set(key, await insertInheritedHazard(tx, { log: icbLog, scheme, upstream: await loadHazardView(tx, up.id), acceptedVersion: PENDING_AT_ICB.has(key) ? null : up.version, actor: icbActor, downstream: "skip" }));

  const byLog = { icb: icbByKey, harbourside: new Map<string, HazardView>(), northcliff: new Map<string, HazardView>() };
  // 3. Each trust: its local hazards, then every hazard of the ICB's shared log by reference.
  for (const trust of ["harbourside", "northcliff"] as const) {
    const log = trustLogs[trust];
    const actor = actorFor(`cso@${trust}.example`, trust);
    const byKey = byLog[trust];
    for (const h of demo.localLogs[trust] as DemoHazard[])
      byKey.set(h.key, await insertHazard(tx, { log, scheme, input: toInput(h, org[trust]), actor, reason: "Demo data", downstream: "skip" }));
    for (const [key, up] of icbByKey)
      byKey.set(key, await insertInheritedHazard(tx, { log, scheme, upstream: up, acceptedVersion: PENDING_AT_TRUSTS.has(key) ? null : up.version, actor, downstream: "skip" }));
    // Transferred supplier controls become this trust's obligations on its inherited copy.
    for (const t of demo.transferredControls) {
      const source = supplierByKey.get(t.hazardKey)!.controls[t.controlIndex];
      const local = byKey.get(t.hazardKey)!;
      await insertControls(tx, local.id, log.id, [{ kind: "additional", type: source.type, description: source.description, ownerOrganisationId: org[trust], state: "planned", evidenceRefs: [], transferred: true, transferredFromControlId: source.id }], org[trust], 100);
    }
    for (const o of demo.localOverrides.filter((x) => x.log === trust)) {
      const local = byKey.get(o.hazardKey)!;
      const cols = assessmentColumns(scheme, { initial: local.initial as never, residual: o.residual as never });
      await tx.update(s.hazards).set({ residualSeverity: cols.residualSeverity, residualLikelihood: cols.residualLikelihood, residualRisk: cols.residualRisk, residualJustification: cols.residualJustification }).where(eq(s.hazards.id, local.id));
    }
  }

  // 4. Incidents against the named log's own hazard or its inherited copy.
  for (const inc of demo.incidents) {
    const hazard = byLog[inc.log as "icb" | "harbourside" | "northcliff"].get(inc.hazardKey);
    if (!hazard) throw new Error(`Demo incident hazard ${inc.hazardKey} not found in ${inc.log}`);
    await tx.insert(s.incidents).values({ hazardId: hazard.id, organisationId: org[inc.log as OrgKey], kind: inc.kind as "near_miss" | "harm", occurredOn: inc.date, description: inc.description });
  }
}
