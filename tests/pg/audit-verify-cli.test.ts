// `npm run audit:verify` as a separate process against the server database (PostgreSQL only: an
// in-memory PGlite cannot be shared with another process): one line per organisation, exit code 1
// when a chain is broken.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { appendAudit } from "#app/audit.server.ts";
import { closeTestDb, currentTestDbUrl, openTestDb, type Db, actAsOwner } from "#tests/setup/test-db.ts";
import { organisationId } from "../integration/audit/helpers.ts";

let db: Db;
beforeAll(async () => {
  ({ db } = await openTestDb());
  const org = await organisationId(db, "harbourside");
  for (let i = 0; i < 3; i++) await db.transaction((tx) => appendAudit(tx, { organisationId: org, actor: { userId: null, name: "cli" }, action: "test.cli", entityType: "hazard_log" }));
});
afterAll(closeTestDb);

async function runVerify() {
  const env = { ...process.env, DATABASE_URL: currentTestDbUrl()! };
  try {
    const { stdout } = await promisify(execFile)("node_modules/.bin/tsx", ["scripts/audit-verify.ts"], { env });
    return { code: 0, lines: stdout.trim().split("\n") };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, lines: e.stdout.trim().split("\n") };
  }
}

test("prints one line per organisation and exits 0 when every chain is whole, 1 when one is broken", async () => {
  const whole = await runVerify();
  expect(whole.code).toBe(0);
  expect(whole.lines).toHaveLength(5);
  expect(whole.lines.find((l) => l.includes("Harbourside"))).toMatch(/^ok +Harbourside Hospital NHS Foundation Trust \([0-9a-f-]+\): 3 entries checked/);

  await db.transaction(async (tx) => {
    await actAsOwner(tx); // the app role may not disable triggers
    await tx.execute(sql`alter table audit_entries disable trigger user`);
    await tx.execute(sql`update audit_entries set entry = jsonb_set(entry, '{action}', '"test.rewritten"') where sequence = 3 and entity_type = 'hazard_log' and entry->>'action' = 'test.cli'`);
    await tx.execute(sql`alter table audit_entries enable trigger user`);
  });
  const broken = await runVerify();
  expect(broken.code).toBe(1);
  expect(broken.lines.find((l) => l.includes("Harbourside"))).toMatch(/^BROKEN .*first broken at entry 3: its hash does not match its content$/);
  expect(broken.lines.filter((l) => l.startsWith("ok"))).toHaveLength(4);
});
