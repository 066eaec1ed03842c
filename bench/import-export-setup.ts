// The set-up shared by bench/import-export.ts and bench/import-export-profile.ts: a database seeded
// with the demo data, the supplier CSO as the acting user, empty logs shaped like the supplier's
// DCB0129 log, and a log filled with generated hazards written straight through the store.
import { eq } from "drizzle-orm";
import { openDb, type Db } from "#db/client.ts";
import { hazardLogs, users } from "#db/schema/index.ts";
import { seedDemo } from "#db/seed.ts";
import { loadMemberships, type SessionUser } from "#app/auth.server.ts";
import { useDatabase } from "#app/db.server.ts";
import { insertHazards, loadRiskScheme } from "#app/hazard-store.server.ts";
import { loadLogsWithFacts } from "#app/permissions.server.ts";
import { generatedHazard } from "#tests/fixtures/generated-log.ts";

export async function openImportExportBench(url = "pglite://memory") {
  const open = await openDb(url);
  useDatabase(open);
  const { db } = open;
  await seedDemo(db, { password: "demo-password" });
  const [u] = await db.select().from(users).where(eq(users.email, "cso@supplier.example"));
  const memberships = await loadMemberships(db, u.id);
  const user: SessionUser = { id: u.id, email: u.email, name: u.name, memberships, activeOrganisationId: memberships[0].organisationId, sessionIdHash: null };
  const [model] = await db.select().from(hazardLogs).where(eq(hazardLogs.title, "Wessex Shared EPR — DCB0129 hazard log"));
  /** An empty log on the supplier's platform, as the supplier's. */
  const newLog = async (title: string) => (await db.insert(hazardLogs).values({ title, standard: model.standard, scope: model.scope, organisationId: model.organisationId, platformId: model.platformId, riskSchemeId: model.riskSchemeId }).returning())[0].id;
  return { open, db, user, newLog };
}

/** `n` generated hazards (controls owned across the platform's organisations) into the log, in one transaction. */
export async function fillLog(db: Db, logId: string, n: number): Promise<void> {
  const [log] = await loadLogsWithFacts(db, [logId]);
  const owners = [log.facts.platform.supplierOrganisationId, log.facts.platform.icbOrganisationId, ...log.facts.platform.deployerOrganisationIds];
  await db.transaction(async (tx) => {
    const scheme = await loadRiskScheme(tx, log.riskSchemeId);
    await insertHazards(tx, { log, scheme, inputs: Array.from({ length: n }, (_, i) => generatedHazard(i, owners)), actor: { userId: null, organisationId: log.organisationId } });
  });
}
