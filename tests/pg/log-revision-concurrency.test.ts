// PostgreSQL only: edits at every level of the inheritance chain at once (the supplier's hazards,
// propagated down to the ICB's and the trusts' logs; the ICB's own; both trusts' own) each bump
// their logs' content revisions (migration 0011), which locks those log rows until commit. They must
// wait for each other, never deadlock, never fail: no 5xx, every edit saved, and the logs' kept
// answers equal to reading afresh afterwards.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { OpenDb } from "#db/client.ts";
import { forgetKeptReads } from "#app/log-reads.server.ts";
import { rowsOf } from "#app/sql-values.server.ts";
import { closeTestPool, openTestPool } from "./pool.ts";
import { getHazard, listHazards, patchHazard, tokenFor } from "../integration/hazards/helpers.ts";

let pool: OpenDb;

beforeAll(async () => {
  pool = await openTestPool();
});
afterAll(closeTestPool);

/** Own (not inherited) hazards of the logs of this organisation's `scope`, first `n` by ref. */
async function ownHazards(scope: string, email: string, n: number) {
  const rows = rowsOf<{ id: string; log: string }>(
    await pool.db.execute(sql`select h.id, h.hazard_log_id as log from hazards h join hazard_logs l on l.id = h.hazard_log_id
      join memberships m on m.organisation_id = l.organisation_id join users u on u.id = m.user_id
      where l.scope = ${scope} and u.email = ${email} and h.upstream_hazard_id is null order by h.ref limit ${n}`),
  );
  expect(rows.length, `${email} owns hazards in a ${scope} log`).toBe(n);
  return rows;
}

/** Read the hazard and edit it at that version; again on 409 (another edit, or a propagation, came first). */
async function editUntilSaved(token: string, id: string, owner: string) {
  for (let attempt = 0; attempt < 30; attempt++) {
    const { body } = await getHazard(token, id);
    const res = await patchHazard(token, id, { version: body.version, owner, reason: "Concurrent edit test" });
    if (res.status !== 409) return res.status;
  }
  return 409;
}

const revisions = async () =>
  new Map(rowsOf<{ id: string; r: string }>(await pool.db.execute(sql`select id, content_revision::text as r from hazard_logs`)).map((r) => [r.id, BigInt(r.r)]));

it("edits down the whole inheritance chain at once wait for each other and all succeed", async () => {
  const editors = [
    { email: "cso@supplier.example", hazards: await ownHazards("platform", "cso@supplier.example", 6) },
    { email: "cso@icb.example", hazards: await ownHazards("shared", "cso@icb.example", 6) },
    { email: "cso@harbourside.example", hazards: await ownHazards("local", "cso@harbourside.example", 3) },
    { email: "cso@northcliff.example", hazards: await ownHazards("local", "cso@northcliff.example", 3) },
  ];
  const token = await tokenFor(pool.db, "cso@icb.example");
  const icbLog = editors[1].hazards[0].log;
  const before = await revisions();
  let editing = true;
  const reading = (async () => {
    while (editing) expect((await listHazards(token, icbLog, { limit: "100" })).status).toBe(200);
  })();
  const statuses = await Promise.all(
    editors.flatMap(({ email, hazards }) => hazards.map(async (h, i) => editUntilSaved(await tokenFor(pool.db, email), h.id, `Concurrent owner ${i}`))),
  );
  editing = false;
  await reading;
  expect(statuses.filter((s) => s !== 200), "every edit saved (no deadlock, no 5xx)").toEqual([]);
  const after = await revisions();
  for (const { hazards } of editors) for (const h of hazards) expect(after.get(h.log)! > before.get(h.log)!).toBe(true);

  // The answer kept while the edits ran is followed: equal to a fresh read of the ICB's log (it inherits).
  const kept = await listHazards(token, icbLog, { limit: "100" });
  forgetKeptReads();
  expect(kept.body).toEqual((await listHazards(token, icbLog, { limit: "100" })).body);
}, 60_000);
