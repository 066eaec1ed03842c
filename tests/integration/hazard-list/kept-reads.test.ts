// Kept answers follow every change (app/log-reads.server.ts, migration 0011): after any write to what
// a log's list shows (its hazards, its upstream log's hazards, links to controls, controls, their
// evidence), the log page and GET …/hazards answer exactly what reading afresh answers. The writes
// are plain SQL as the service, not the app's services: the database's triggers must catch every
// write path, including ones the app does not know about.
import fc from "fast-check";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "#db/client.ts";
import { forgetKeptReads } from "#app/log-reads.server.ts";
import { rowsOf } from "#app/sql-values.server.ts";
import { closeTestDb, openTestDb } from "#tests/setup/test-db.ts";
import { ICB_LOG, listHazards, logIdByTitle, SUPPLIER_LOG, tokenFor } from "../hazards/helpers.ts";
import { loadLogPage } from "./fixture.ts";

let db: Db;
let icbLog: string;
let supplierLog: string;
let token: string;

beforeAll(async () => {
  ({ db } = await openTestDb());
  icbLog = await logIdByTitle(db, ICB_LOG);
  supplierLog = await logIdByTitle(db, SUPPLIER_LOG);
  token = await tokenFor(db, "cso@icb.example");
});
afterAll(closeTestDb);

/** What the ICB's CSO is shown of the ICB's shared log (it inherits the supplier's log). */
async function shown(query = "") {
  const res = await loadLogPage(db, "cso@icb.example", icbLog, query);
  expect(res.status).toBe(200);
  const page = await res.json();
  const api = await listHazards(token, icbLog, { limit: "100" });
  expect(api.status).toBe(200);
  return { rows: page.page.rows, total: page.page.total, heatmaps: page.heatmaps, owners: page.options.owners, api: api.body };
}

const one = async (query: ReturnType<typeof sql>) => rowsOf<{ id: string }>(await db.execute(query))[0]?.id;
const revisionOf = async (logId: string) => Number(rowsOf<{ r: string }>(await db.execute(sql`select content_revision::text as r from hazard_logs where id = ${logId}`))[0].r);

/** Writes, each one thing the list shows; `n` picks which row. Each returns whether it changed anything. */
const writes = {
  ownTitle: (n: number) => sql`update hazards set title = title || ' (' || ${n} || ')' where id = (select id from hazards where hazard_log_id = ${icbLog} and upstream_hazard_id is null order by ref offset ${n % 5} limit 1)`,
  upstreamTitle: (n: number) => sql`update hazards set title = 'Renamed upstream ' || ${n} where id = (select id from hazards where hazard_log_id = ${supplierLog} order by ref offset ${n % 20} limit 1)`,
  owner: (n: number) => sql`update hazards set owner = ${`Owner ${n % 3}`} where id = (select id from hazards where hazard_log_id = ${icbLog} order by ref offset ${n % 30} limit 1)`,
  controlState: (n: number) => sql`update controls set state = ${["planned", "implemented", "verified"][n % 3]} where id = (select hc.control_id from hazard_controls hc join hazards h on h.id = hc.hazard_id where h.hazard_log_id in (${icbLog}, ${supplierLog}) order by hc.control_id offset ${n % 10} limit 1)`,
  unlink: (n: number) => sql`delete from hazard_controls where (hazard_id, control_id) = (select hc.hazard_id, hc.control_id from hazard_controls hc join hazards h on h.id = hc.hazard_id where h.hazard_log_id = ${icbLog} order by hc.control_id offset ${n % 3} limit 1)`,
  rejectEvidence: (n: number) => sql`update evidence set state = 'rejected', rejection_reason = 'Test ' || ${n} where id = (select e.id from evidence e where e.state <> 'rejected' order by e.id offset ${n % 3} limit 1)`,
};
type Write = keyof typeof writes;

describe("kept answers of a log's list", () => {
  it("each kind of write gives the log a new content revision, the upstream log's writes its own", async () => {
    for (const [write, logs] of [["ownTitle", [icbLog]], ["upstreamTitle", [supplierLog]], ["owner", [icbLog]], ["unlink", [icbLog]]] as [Write, string[]][]) {
      const before = await Promise.all([icbLog, supplierLog].map(revisionOf));
      await db.execute(writes[write](7));
      const after = await Promise.all([icbLog, supplierLog].map(revisionOf));
      [icbLog, supplierLog].forEach((log, i) => {
        if (logs.includes(log)) expect(after[i], `${write} bumps its log`).toBeGreaterThan(before[i]);
        else expect(after[i], `${write} leaves the other log`).toBe(before[i]);
      });
    }
  });

  it("evidence and controls bump the log of every hazard linked to the control", async () => {
    const control = await one(sql`select hc.control_id as id from hazard_controls hc join hazards h on h.id = hc.hazard_id where h.hazard_log_id = ${icbLog} limit 1`);
    const before = await revisionOf(icbLog);
    await db.execute(sql`update controls set description = description || '.' where id = ${control}`);
    expect(await revisionOf(icbLog)).toBeGreaterThan(before);
  });

  it("answer exactly as reading afresh after any sequence of writes (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...(Object.keys(writes) as Write[])), fc.nat(100)), { minLength: 1, maxLength: 3 }), async (sequence) => {
        await shown(); // kept now
        for (const [write, n] of sequence) {
          await db.execute(writes[write](n));
          const kept = await shown();
          forgetKeptReads();
          expect(kept, `after ${write}(${n})`).toEqual(await shown());
        }
      }),
      { numRuns: 6 },
    );
  });

  it("keeps one answer per query: a search, a filter and a page are kept apart", async () => {
    const all = await shown();
    const searched = await shown("?q=capybara-nothing-matches");
    expect(searched.total).toBe(0);
    expect((await shown()).total).toBe(all.total);
    expect((await shown("?status=closed")).rows.every((r: { status: string }) => r.status === "closed")).toBe(true);
  });
});
