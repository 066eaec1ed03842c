// Sign-off throughput: shared safety cases on the ICB log, each submitted and then signed by its four
// required signatories (ICB CSO, ICB approver, both trust CSOs), with 20 transitions in flight at a
// time and clients that re-read and retry on 409 as a browser would. Every SIGN re-verifies the
// signer's password (argon2id), by design the slowest part. At the end every case is checked:
// `signoff_lost` counts required slots left unsigned plus duplicate signatures (must be 0).
//   npx tsx bench/sign-off.ts                      # embedded PGlite (one connection)
//   DATABASE_URL=postgres://… npx tsx bench/sign-off.ts   # PostgreSQL, a fresh database is created
import { eq } from "drizzle-orm";
import { openDb, type OpenDb } from "#db/client.ts";
import { hazardLogs, users } from "#db/schema/index.ts";
import { seedDemo } from "#db/seed.ts";
import { loadMemberships, type SessionUser } from "#app/auth.server.ts";
import { useDatabase } from "#app/db.server.ts";
import { AppError } from "#app/errors.server.ts";
import { getSafetyCase } from "#app/safety-case-view.server.ts";
import { createSafetyCase, sendCaseEvent } from "#app/safety-cases.server.ts";
import { isMain, postgresConfigured, round1, scratchDatabase, type BenchMetric, type Engine } from "./common.ts";

const CONCURRENCY = 20;

async function open(kind: Engine): Promise<{ db: OpenDb; label: string; drop: () => Promise<void> }> {
  if (kind === "pglite") {
    const db = await openDb("pglite://memory");
    return { db, label: "PGlite (embedded)", drop: () => db.close() };
  }
  const scratch = await scratchDatabase(`bench_signoff_${process.pid}`);
  const db = await openDb(scratch.url, { max: CONCURRENCY });
  return { db, label: "PostgreSQL (20 connections)", drop: async () => { await db.close(); await scratch.drop(); } };
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

/** Submits and signs `cases` shared safety cases; returns signoff_tps, signoff_lost and the SUBMIT rate. */
export async function benchSignOff(kind: Engine, opts: { cases?: number; log?: (line: string) => void } = {}): Promise<BenchMetric[]> {
  const cases = opts.cases ?? 50;
  const log = opts.log ?? ((line: string) => console.log(line));
  let retries = 0;
  const signWithRetry = async (user: SessionUser, caseId: string) => {
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
  };

  const { db: opened, label, drop } = await open(kind);
  try {
    useDatabase(opened);
    await seedDemo(opened.db, { password: "demo-password" });
    const [icbLog] = await opened.db.select().from(hazardLogs).where(eq(hazardLogs.scope, "shared"));
    const owner = await sessionUser(opened.db, "cso@icb.example");
    const signers = await Promise.all(["cso@icb.example", "approver@icb.example", "cso@harbourside.example", "cso@northcliff.example"].map((e) => sessionUser(opened.db, e)));

    const ids: string[] = [];
    for (let i = 0; i < cases; i++) ids.push((await createSafetyCase(owner, { hazardLogId: icbLog.id, title: `Bench case ${i}` }, null)).id);

    let t = performance.now();
    await pool(ids, async (id) => { await sendCaseEvent(owner, id, { type: "SUBMIT", expectedVersion: 1 }, ctx); });
    const submitMs = performance.now() - t;

    const signings = ids.flatMap((id) => signers.map((user) => ({ id, user })));
    t = performance.now();
    await pool(signings, ({ id, user }) => signWithRetry(user, id));
    const signMs = performance.now() - t;

    const views = await Promise.all(ids.map((id) => getSafetyCase(owner, id)));
    const approved = views.filter((c) => c.state === "approved").length;
    const unsigned = views.reduce((n, c) => n + c.requiredSignatories.filter((s) => !s.signed).length, 0);
    const duplicates = views.reduce((n, c) => n + c.signatures.length - new Set(c.signatures.map((s) => `${s.organisation.id}|${s.role}`)).size, 0);
    log(`sign-off bench on ${label}: ${cases} shared cases, ${CONCURRENCY} in flight`);
    log(`  SUBMIT (freezes a baseline): ${cases} in ${submitMs.toFixed(0)} ms = ${((cases * 1000) / submitMs).toFixed(1)} transitions/s`);
    log(`  SIGN (argon2id re-authentication + transition + signature + audit): ${signings.length} in ${signMs.toFixed(0)} ms = ${((signings.length * 1000) / signMs).toFixed(1)} transitions/s, ${retries} retries after 409`);
    log(`  approved: ${approved} of ${cases}; unsigned required slots ${unsigned}, duplicate signatures ${duplicates}`);
    return [
      { metric: "signoff_tps", value: round1((signings.length * 1000) / signMs), unit: "signatures/s", db: kind, cases, signatures: signings.length, concurrency: CONCURRENCY, retries_after_409: retries },
      { metric: "signoff_lost", value: unsigned + duplicates, unit: "signatures", db: kind, unsigned, duplicates, approved, cases },
      { metric: "submit_tps", value: round1((cases * 1000) / submitMs), unit: "transitions/s", db: kind, cases },
    ];
  } finally {
    await drop();
  }
}

if (isMain(import.meta.url)) {
  const cases = Number(process.env.BENCH_CASES ?? 50);
  await benchSignOff("pglite", { cases });
  if (postgresConfigured()) await benchSignOff("postgres", { cases });
}
