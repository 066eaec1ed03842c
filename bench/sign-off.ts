// Sign-off throughput: shared safety cases on the ICB log, each submitted and then signed by its four
// required signatories (ICB CSO, ICB approver, both trust CSOs), with 20 transitions in flight at a
// time and clients that re-read and retry on 409 as a browser would. Every SIGN re-verifies the
// signer's password (argon2id), by design the slowest part.
//   npx tsx bench/sign-off.ts                      # embedded PGlite (one connection)
//   DATABASE_URL=postgres://… npx tsx bench/sign-off.ts   # PostgreSQL, a fresh database is created
import { eq } from "drizzle-orm";
import postgres from "postgres";
import { openDb, type OpenDb } from "#db/client.ts";
import { hazardLogs, users } from "#db/schema/index.ts";
import { seedDemo } from "#db/seed.ts";
import { loadMemberships, type SessionUser } from "#app/auth.server.ts";
import { useDatabase } from "#app/db.server.ts";
import { AppError } from "#app/errors.server.ts";
import { getSafetyCase } from "#app/safety-case-view.server.ts";
import { createSafetyCase, sendCaseEvent } from "#app/safety-cases.server.ts";

const CASES = Number(process.env.BENCH_CASES ?? 40);
const CONCURRENCY = 20;

async function open(): Promise<{ db: OpenDb; label: string; drop?: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url?.startsWith("postgres")) return { db: await openDb("pglite://memory"), label: "PGlite (embedded)" };
  const name = `bench_signoff_${process.pid}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const db = await openDb(target.toString(), { max: CONCURRENCY });
  return { db, label: "PostgreSQL (20 connections)", drop: async () => { await db.close(); await admin.unsafe(`DROP DATABASE ${name} WITH (FORCE)`); await admin.end(); } };
}

async function sessionUser(db: OpenDb["db"], email: string): Promise<SessionUser> {
  const [u] = await db.select().from(users).where(eq(users.email, email));
  const memberships = await loadMemberships(db, u.id);
  return { id: u.id, email: u.email, name: u.name, memberships, activeOrganisationId: memberships[0].organisationId, sessionIdHash: null };
}

async function pool<T>(items: T[], run: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < items.length) await run(items[next++]);
  }));
}

const ctx = { requestId: "bench", clientIp: "127.0.0.1" };
let retries = 0;

async function signWithRetry(user: SessionUser, caseId: string) {
  for (;;) {
    const current = await getSafetyCase(user, caseId);
    try {
      await sendCaseEvent(user, caseId, { type: "SIGN", expectedVersion: current.version, password: "demo-password", meaning: "approved" }, ctx);
      return;
    } catch (error) {
      if (error instanceof AppError && error.status === 409) { retries++; continue; }
      throw error;
    }
  }
}

const { db: opened, label, drop } = await open();
useDatabase(opened);
await seedDemo(opened.db, { password: "demo-password" });
const [icbLog] = await opened.db.select().from(hazardLogs).where(eq(hazardLogs.scope, "shared"));
const owner = await sessionUser(opened.db, "cso@icb.example");
const signers = await Promise.all(["cso@icb.example", "approver@icb.example", "cso@harbourside.example", "cso@northcliff.example"].map((e) => sessionUser(opened.db, e)));

const ids: string[] = [];
for (let i = 0; i < CASES; i++) ids.push((await createSafetyCase(owner, { hazardLogId: icbLog.id, title: `Bench case ${i}` }, null)).id);

let t = performance.now();
await pool(ids, async (id) => { await sendCaseEvent(owner, id, { type: "SUBMIT", expectedVersion: 1 }, ctx); });
const submitMs = performance.now() - t;

const signings = ids.flatMap((id) => signers.map((user) => ({ id, user })));
t = performance.now();
await pool(signings, ({ id, user }) => signWithRetry(user, id));
const signMs = performance.now() - t;

const approved = (await Promise.all(ids.map((id) => getSafetyCase(owner, id)))).filter((c) => c.state === "approved").length;
console.log(`sign-off bench on ${label}: ${CASES} shared cases, ${CONCURRENCY} in flight`);
console.log(`  SUBMIT (freezes a 38-hazard baseline): ${CASES} in ${submitMs.toFixed(0)} ms = ${((CASES * 1000) / submitMs).toFixed(1)} transitions/s`);
console.log(`  SIGN (argon2id re-authentication + transition + signature + audit): ${signings.length} in ${signMs.toFixed(0)} ms = ${((signings.length * 1000) / signMs).toFixed(1)} transitions/s, ${retries} retries after 409`);
console.log(`  approved: ${approved} of ${CASES}`);
await (drop ? drop() : opened.close());
