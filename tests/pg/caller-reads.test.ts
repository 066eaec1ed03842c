// PostgreSQL only: the reads a request issues together run in one transaction with the caller set
// (db/caller-reads.ts), one request's reads never share a transaction with another's, and one
// failing read fails only itself.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Db } from "#db/client.ts";
import { runInRequestScope, setCaller } from "#db/request-scope.ts";
import { closeTestDb, openTestDb, queryRows } from "#tests/setup/test-db.ts";

let db: Db;
beforeAll(async () => ({ db } = await openTestDb()));
afterAll(closeTestDb);

const ORG_A = "00000000-0000-4000-8000-00000000000a";
const ORG_B = "00000000-0000-4000-8000-00000000000b";
type Seen = { tx: string; caller: string; n: number };
const seen = (n: number) => queryRows<Seen>(db, sql`select txid_current()::text as tx, current_setting('cswf.caller_orgs') as caller, ${n}::int as n`);

test("a request's concurrent reads share one transaction with its caller; another request's reads do not", async () => {
  const request = (org: string) =>
    runInRequestScope(async () => {
      setCaller([org]);
      return Promise.all([seen(1), seen(2), seen(3)]);
    });
  const [a, b] = await Promise.all([request(ORG_A), request(ORG_B)]);
  for (const [reads, org] of [[a, ORG_A], [b, ORG_B]] as const) {
    expect(reads.map(([r]) => r.n)).toEqual([1, 2, 3]); // each read got its own answer
    expect(new Set(reads.map(([r]) => r.tx)).size).toBe(1);
    for (const [r] of reads) expect(r.caller).toBe(`{${org}}`);
  }
  expect(a[0][0].tx).not.toBe(b[0][0].tx);
});

test("reads issued one after another each run in their own transaction", async () => {
  const txs = await runInRequestScope(async () => {
    setCaller([ORG_A]);
    const first = await seen(1);
    const second = await seen(2);
    return [first[0].tx, second[0].tx];
  });
  expect(txs[0]).not.toBe(txs[1]);
});

test("a failing read fails alone: the reads before and after it still answer", async () => {
  const results = await runInRequestScope(async () => {
    setCaller([ORG_A]);
    return Promise.allSettled([seen(1), queryRows(db, sql`select 1 / ${0}::int as boom`), seen(3), seen(4)]);
  });
  expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled", "fulfilled"]);
  // Its own error (drizzle wraps the driver's): division by zero, not "transaction aborted".
  expect(((results[1] as PromiseRejectedResult).reason as { cause?: { code?: string } }).cause?.code).toBe("22012");
  expect(results.filter((r) => r.status === "fulfilled").map((r) => (r as PromiseFulfilledResult<Seen[]>).value[0].n)).toEqual([1, 3, 4]);
  // The connection went back to the pool clean: the next read works, still as the caller.
  const [after] = await runInRequestScope(async () => {
    setCaller([ORG_B]);
    return seen(5);
  });
  expect(after).toMatchObject({ caller: `{${ORG_B}}`, n: 5 });
});
