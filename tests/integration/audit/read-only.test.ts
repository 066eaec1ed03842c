// Audit entries, frozen baselines and signatures are evidence: the database itself refuses to
// change or remove them (migration 0002), whatever the application does.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { auditEntries, baselines, hazardLogs, safetyCases, signatures } from "#db/schema/index.ts";
import { appendAudit } from "#app/audit.server.ts";
import { closeTestDb, openTestDb, queryRows, type Db, actAsOwner } from "#tests/setup/test-db.ts";
import { userId } from "#tests/support/requests.ts";
import { organisationId, refusal } from "./helpers.ts";

let db: Db;
const ids: Record<"audit_entries" | "baselines" | "signatures", string> = { audit_entries: "", baselines: "", signatures: "" };

beforeAll(async () => {
  ({ db } = await openTestDb());
  const org = await organisationId(db, "acme-health");
  const user = await userId(db, "cso@supplier.example");
  const [log] = await db.select().from(hazardLogs).where(eq(hazardLogs.organisationId, org));
  await db.transaction((tx) => appendAudit(tx, { organisationId: org, actor: { userId: user, name: "Dr Test" }, action: "test.written", entityType: "hazard_log", entityId: log.id }));
  const [entry] = await db.select().from(auditEntries).where(eq(auditEntries.organisationId, org));
  const [baseline] = await db.insert(baselines).values({ hazardLogId: log.id, hazardLogVersion: 1, sha256: "a".repeat(64), content: "{}", hazardCount: 0, createdBy: user }).returning();
  const [sc] = await db.insert(safetyCases).values({ hazardLogId: log.id, organisationId: org, title: "Case", state: "in_review", machineVersion: 1, snapshot: {}, baselineId: baseline.id, createdBy: user }).returning();
  const [signature] = await db
    .insert(signatures)
    .values({ safetyCaseId: sc.id, submission: 1, baselineId: baseline.id, slotId: "supplier-cso", userId: user, printedName: "Dr Test", organisationId: org, organisationName: "Acme", role: "cso", meaning: "approved", sha256: "a".repeat(64) })
    .returning();
  Object.assign(ids, { audit_entries: entry.id, baselines: baseline.id, signatures: signature.id });
});
afterAll(closeTestDb);

const TABLES = ["audit_entries", "baselines", "signatures"] as const;
const table = (name: string) => sql.raw(name);
const stillThere = async (name: (typeof TABLES)[number]) =>
  (await queryRows(db, sql`select id from ${table(name)} where id = ${ids[name]}`)).length;

test.each(TABLES)("UPDATE on %s is refused by the database", async (name) => {
  expect(await refusal(() => db.execute(sql`update ${table(name)} set id = id where id = ${ids[name]}`))).toBe(`${name} is read-only: UPDATE refused`);
});

test.each(TABLES)("DELETE on %s is refused by the database", async (name) => {
  expect(await refusal(() => db.execute(sql`delete from ${table(name)} where id = ${ids[name]}`))).toBe(`${name} is read-only: DELETE refused`);
  expect(await stillThere(name)).toBe(1);
});

test.each(TABLES)("TRUNCATE on %s is refused by the database", async (name) => {
  // CASCADE, so the refusal comes from the trigger rather than from the foreign keys pointing at baselines.
  // As the tables' owner: the app role may not truncate at all (tests/integration/db/row-level-security.test.ts).
  const truncate = () => db.transaction(async (tx) => {
    await actAsOwner(tx);
    await tx.execute(sql`truncate ${table(name)} cascade`);
  });
  expect(await refusal(truncate)).toMatch(/is read-only: TRUNCATE refused$/);
  expect(await stillThere(name)).toBe(1);
});

test("inserting (appending) is still allowed", async () => {
  const org = await organisationId(db, "acme-health");
  await db.transaction((tx) => appendAudit(tx, { organisationId: org, actor: { userId: null, name: null }, action: "test.again", entityType: "hazard_log" }));
  expect((await db.select().from(auditEntries).where(eq(auditEntries.organisationId, org))).length).toBe(2);
});
