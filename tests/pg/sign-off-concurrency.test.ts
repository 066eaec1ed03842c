// PostgreSQL only: 200 concurrent SIGN attempts on one shared safety case over 20 connections — every
// required signer (each many times over), stale versions and people who may not sign. The case must
// end with exactly one signature per slot, exactly one transition to approved, no 5xx, and audit
// chains that verify.
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { OpenDb } from "#db/client.ts";
import { auditEntries, organisations, signatures } from "#db/schema/index.ts";
import { verifyChain } from "#app/audit.server.ts";
import { closeTestPool, openTestPool } from "./pool.ts";
import { ICB_LOG, logIdByTitle, tokenFor } from "../integration/hazards/helpers.ts";
import { createCase, getCase, sendEvent, type Answer } from "../integration/safety-cases/helpers.ts";

let pool: OpenDb;

beforeAll(async () => {
  pool = await openTestPool();
});
afterAll(closeTestPool);

/** A real client: read the case, sign at that version, retry on 409 until signed or refused. */
async function signUntilDone(token: string, id: string, ip: string): Promise<number[]> {
  const statuses: number[] = [];
  for (let attempt = 0; attempt < 60; attempt++) {
    const current = await getCase(token, id);
    const res: Answer = await sendEvent(token, id, { type: "SIGN", expectedVersion: current.body.version, password: "demo-password", meaning: "approved" }, ip);
    statuses.push(res.status);
    if (res.status !== 409) break;
  }
  return statuses;
}

it("200 concurrent SIGN attempts end with one signature per slot and one approval", async () => {
  const db = pool.db;
  const icbLog = await logIdByTitle(db, ICB_LOG);
  const t: Record<string, string> = {};
  for (const [k, email] of Object.entries({
    icbCso: "cso@icb.example", icbApprover: "approver@icb.example", harbour: "cso@harbourside.example", northcliff: "cso@northcliff.example",
    auditor: "auditor@icb.example", engineer: "engineer@supplier.example", other: "cso@othersupplier.example", admin: "admin@icb.example",
  }))
    t[k] = await tokenFor(db, email);
  const created = await createCase(t.icbCso, icbLog, "Concurrent sign-off");
  const id = created.body.id;
  const submitted = await sendEvent(t.icbCso, id, { type: "SUBMIT", expectedVersion: 1 });
  expect(submitted.status).toBe(200);

  const signers = ["icbCso", "icbApprover", "harbour", "northcliff"];
  const attempts: Promise<number[]>[] = [];
  for (let i = 0; i < 200; i++) {
    const ip = `10.1.${i % 250}.${i % 7}`;
    if (i % 5 === 3) attempts.push(sendEvent(t[signers[i % 4]], id, { type: "SIGN", expectedVersion: 1, password: "demo-password", meaning: "approved" }, ip).then((r) => [r.status]));
    else if (i % 5 === 4) attempts.push(sendEvent(t[["auditor", "engineer", "other", "admin"][i % 4]], id, { type: "SIGN", expectedVersion: 2, password: "demo-password", meaning: "approved" }, ip).then((r) => [r.status]));
    else attempts.push(signUntilDone(t[signers[i % 4]], id, ip));
  }
  const statuses = (await Promise.all(attempts)).flat();
  expect(statuses.filter((s) => s >= 500)).toEqual([]);
  for (const s of statuses) expect([200, 403, 404, 409, 422]).toContain(s);
  expect(statuses.filter((s) => s === 200)).toHaveLength(4);

  const final = await getCase(t.icbCso, id);
  expect(final.body.state).toBe("approved");
  const rows = await db.select().from(signatures).where(eq(signatures.safetyCaseId, id));
  expect(rows.map((r) => r.slotId).sort()).toEqual(final.body.requiredSignatories.map((s: { slotId: string }) => s.slotId).sort());
  const approvals = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(auditEntries)
    .where(and(eq(auditEntries.entityId, id), sql`${auditEntries.entry}->'changes'->>'to' = 'approved'`));
  expect(approvals[0].n).toBe(1);
  for (const org of await db.select().from(organisations)) expect((await verifyChain(db, org.id)).ok).toBe(true);
}, 120_000);
