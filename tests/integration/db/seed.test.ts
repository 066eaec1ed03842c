// The demo seed (contract §3): idempotent, the expected logs and hazard counts, and every stored
// risk equals the NHS matrix lookup (domain reference §4.3, written out here, not imported).
import { asc, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "#db/client.ts";
import * as s from "#db/schema/index.ts";
import { seedDemo } from "#db/seed.ts";
import { closeTestDb, openEmptyDb, openTestDb, TEST_DEMO_PASSWORD } from "#tests/setup/test-db.ts";

// Domain reference §4.3: likelihood rows × severity columns → risk rating.
const SEVERITY = ["minor", "significant", "considerable", "major", "catastrophic"];
const NHS_MATRIX: Record<string, number[]> = {
  very_high: [3, 4, 4, 5, 5],
  high: [2, 3, 3, 4, 5],
  medium: [2, 2, 3, 3, 4],
  low: [1, 2, 2, 3, 4],
  very_low: [1, 1, 2, 2, 3],
};
function expectedRisk(likelihood: string, severity: string): number {
  const row = NHS_MATRIX[likelihood];
  const col = SEVERITY.indexOf(severity);
  if (!row || col < 0) throw new Error(`not an NHS code: ${likelihood} / ${severity}`);
  return row[col];
}

const EXPECTED_ORGANISATIONS = [
  ["NHS Wessex Coast ICB", "icb"],
  ["Acme Health Systems Ltd", "supplier"],
  ["Harbourside Hospital NHS Foundation Trust", "deployer"],
  ["Northcliff Community Health NHS Trust", "deployer"],
  ["Other Supplier Ltd", "supplier"],
] as const;

const CONTRACT_ACCOUNTS = [
  ["cso@icb.example", "NHS Wessex Coast ICB", "cso"],
  ["approver@icb.example", "NHS Wessex Coast ICB", "approver"],
  ["auditor@icb.example", "NHS Wessex Coast ICB", "viewer"],
  ["cso@supplier.example", "Acme Health Systems Ltd", "cso"],
  ["engineer@supplier.example", "Acme Health Systems Ltd", "contributor"],
  ["cso@harbourside.example", "Harbourside Hospital NHS Foundation Trust", "cso"],
  ["cso@northcliff.example", "Northcliff Community Health NHS Trust", "cso"],
  ["cso@othersupplier.example", "Other Supplier Ltd", "cso"],
] as const;

async function tableCounts(db: Db) {
  const tables = {
    organisations: s.organisations, users: s.users, memberships: s.memberships, platforms: s.platforms,
    deployments: s.deployments, riskSchemes: s.riskSchemes, hazardLogs: s.hazardLogs, hazards: s.hazards,
    hazardVersions: s.hazardVersions, controls: s.controls, hazardControls: s.hazardControls, incidents: s.incidents,
  };
  const out: Record<string, number> = {};
  for (const [name, table] of Object.entries(tables)) out[name] = (await db.select({ n: count() }).from(table))[0].n;
  return out;
}

/** Per log: own hazards (no upstream) and inherited ones, keyed by "<organisation kind>/<scope>/<organisation>". */
async function hazardsPerLog(db: Db) {
  const logs = await db
    .select({ id: s.hazardLogs.id, title: s.hazardLogs.title, standard: s.hazardLogs.standard, scope: s.hazardLogs.scope, organisation: s.organisations.name })
    .from(s.hazardLogs)
    .innerJoin(s.organisations, eq(s.organisations.id, s.hazardLogs.organisationId))
    .orderBy(asc(s.hazardLogs.title));
  const rows = await db.select({ logId: s.hazards.hazardLogId, upstream: s.hazards.upstreamHazardId }).from(s.hazards);
  return logs.map((log) => {
    const mine = rows.filter((r) => r.logId === log.id);
    return { ...log, own: mine.filter((r) => !r.upstream).length, inherited: mine.filter((r) => r.upstream).length, total: mine.length };
  });
}

describe("demo seed into an empty database", () => {
  let db: Db;
  beforeAll(async () => {
    ({ db } = await openEmptyDb());
  });
  afterAll(closeTestDb);

  it("seeds once, then a second run seeds nothing and changes no counts", async () => {
    expect(await tableCounts(db)).toMatchObject({ organisations: 0, hazards: 0 });
    expect(await seedDemo(db, { password: TEST_DEMO_PASSWORD })).toEqual({ seeded: true });
    const first = await tableCounts(db);
    expect(first.hazards).toBeGreaterThan(0);
    expect(await seedDemo(db, { password: TEST_DEMO_PASSWORD })).toEqual({ seeded: false });
    expect(await tableCounts(db)).toEqual(first);
  });
});

describe("demo data (the seeded test template)", () => {
  let db: Db;
  beforeAll(async () => {
    ({ db } = await openTestDb());
  });
  afterAll(closeTestDb);

  it("is already seeded: seeding again does nothing", async () => {
    const before = await tableCounts(db);
    expect(await seedDemo(db, { password: TEST_DEMO_PASSWORD })).toEqual({ seeded: false });
    expect(await tableCounts(db)).toEqual(before);
  });

  it("has the five organisations and the contract's accounts with their roles", async () => {
    const orgs = await db.select({ name: s.organisations.name, kind: s.organisations.kind }).from(s.organisations);
    expect(orgs.map((o) => [o.name, o.kind]).sort()).toEqual(EXPECTED_ORGANISATIONS.map((o) => [...o]).sort());
    const members = await db
      .select({ email: s.users.email, organisation: s.organisations.name, role: s.memberships.role })
      .from(s.memberships)
      .innerJoin(s.users, eq(s.users.id, s.memberships.userId))
      .innerJoin(s.organisations, eq(s.organisations.id, s.memberships.organisationId));
    for (const [email, organisation, role] of CONTRACT_ACCOUNTS) expect(members).toContainEqual({ email, organisation, role });
    expect(members.every((m) => m.email.endsWith(".example"))).toBe(true);
  });

  it("has the four logs of Wessex Shared EPR with 30 / 8+30 / 5+38 / 5+38 hazards", async () => {
    const logs = await hazardsPerLog(db);
    expect(logs).toHaveLength(4);
    const by = (scope: string, organisation: string) => logs.find((l) => l.scope === scope && l.organisation === organisation);
    expect(by("platform", "Acme Health Systems Ltd")).toMatchObject({ title: "Wessex Shared EPR — DCB0129 hazard log", standard: "DCB0129", own: 30, inherited: 0, total: 30 });
    expect(by("shared", "NHS Wessex Coast ICB")).toMatchObject({ standard: "DCB0160", own: 8, inherited: 30, total: 38 });
    for (const trust of ["Harbourside Hospital NHS Foundation Trust", "Northcliff Community Health NHS Trust"])
      expect(by("local", trust), trust).toMatchObject({ standard: "DCB0160", own: 5, inherited: 38, total: 43 });
    const [platform] = await db.select({ name: s.platforms.name }).from(s.platforms);
    expect(platform.name).toBe("Wessex Shared EPR");
  });

  it("stores every initial and residual risk as the NHS matrix lookup of its severity and likelihood", async () => {
    const rows = await db.select().from(s.hazards);
    let checked = 0;
    for (const h of rows) {
      for (const [phase, severity, likelihood, risk] of [
        ["initial", h.initialSeverity, h.initialLikelihood, h.initialRisk],
        ["residual", h.residualSeverity, h.residualLikelihood, h.residualRisk],
      ] as const) {
        const label = `${h.ref} ${phase} (${likelihood} × ${severity})`;
        if (severity == null || likelihood == null) {
          expect(risk, `${label}: a risk without both inputs`).toBeNull();
          continue;
        }
        expect(risk, label).toBe(expectedRisk(likelihood, severity));
        checked++;
      }
    }
    // Every demo hazard is assessed, initial and residual.
    expect(checked).toBe(rows.length * 2);
  });

  it("stores the scheme's matrix as the NHS one", async () => {
    const [scheme] = await db.select().from(s.riskSchemes);
    const likelihoods = scheme.likelihoods.map((l) => l.code);
    const severities = scheme.severities.map((l) => l.code);
    expect(severities).toEqual(SEVERITY);
    likelihoods.forEach((l, i) => severities.forEach((sv, j) => expect(scheme.matrix[i][j], `${l} × ${sv}`).toBe(expectedRisk(l, sv))));
  });
});
