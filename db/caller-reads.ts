// The caller's reads on PostgreSQL (postgres.js), under row-level security (db/request-scope.ts).
//
// drizzle runs `sql.unsafe(text, params, opts)` and awaits it, or calls `.values()` on it
// (node_modules/drizzle-orm/postgres-js/session.js); `sql.begin` (explicit transactions: the
// services' writes, which run as the service) is left alone.
//
// A query made while a request has a caller runs in a transaction that first sets
// `cswf.caller_orgs` (transaction-local: on a pooled connection it never leaks into another
// request). The reads one request issues together (a loader's Promise.all: the heatmaps, the page
// of rows, the owners) are sent as ONE pipeline on one reserved connection: begin, set the caller,
// each query, commit, written at once and answered at once. On this 2-core server every round trip
// costs both processes a socket write and a wake-up; a page used to make one per read (issue 9).
// Reads issued in the same turn of the event loop (before setImmediate) by the same request
// scope, for the same caller, go together.
//
// Failures: PostgreSQL aborts the transaction at the first failing statement and the pipelined
// `commit` ends it as a rollback, so the connection goes back to the pool clean. The failing query
// gets its own error; the queries before it have their answers; each query after it (refused only
// because the transaction had failed) is run again on its own, so one bad read never fails another.
import postgres from "postgres";
import { callerSetting, currentCaller, currentScope } from "./request-scope";

export const SET_CALLER = "select set_config('cswf.caller_orgs', $1, true)";

type Read = {
  text: string; params?: postgres.ParameterOrJSON<never>[]; options?: postgres.UnsafeQueryOptions; values: boolean;
  resolve: (rows: unknown) => void; reject: (error: unknown) => void;
};
type Batch = { caller: readonly string[]; reads: Read[] };

/** Only reads sent after a failed statement see this: "current transaction is aborted". */
const IN_FAILED_TRANSACTION = "25P02";

export function withCallerPostgres(sql: postgres.Sql): postgres.Sql {
  // The batch being gathered for each request scope in this turn of the event loop.
  const gathering = new WeakMap<object, Batch>();

  /** One pipeline: begin, caller, the reads, commit. Settles every read's promise. */
  const send = async ({ caller, reads }: Batch) => {
    let conn: postgres.ReservedSql | null = null;
    try {
      conn = await sql.reserve();
      // Named (prepared) statements: an unnamed statement with parameters is described first and
      // only then bound, a wait in the middle of the pipeline; a statement this connection has
      // prepared before is bound and executed at once. execute() sends each statement now, in
      // this order, on this one connection.
      const head = [conn.unsafe("begin").execute(), conn.unsafe(SET_CALLER, [callerSetting(caller)], { prepare: true }).execute()];
      const answers = reads.map((r) => {
        const query = conn!.unsafe(r.text, r.params, { ...r.options, prepare: true });
        return (r.values ? query.values() : query).execute();
      });
      const settled = await Promise.allSettled([...head, ...answers, conn.unsafe("commit").execute()]);
      const headFailure = settled.slice(0, 2).find((s): s is PromiseRejectedResult => s.status === "rejected");
      conn.release();
      conn = null;
      const retry: Read[] = [];
      reads.forEach((read, i) => {
        const s = settled[2 + i];
        if (headFailure) read.reject(headFailure.reason);
        else if (s.status === "fulfilled") read.resolve(s.value);
        else if ((s.reason as { code?: string }).code === IN_FAILED_TRANSACTION && reads.length > 1) retry.push(read);
        else read.reject(s.reason);
      });
      for (const read of retry) void send({ caller, reads: [read] });
    } catch (error) {
      for (const read of reads) read.reject(error);
    } finally {
      conn?.release();
    }
  };

  const unsafe = (text: string, params?: postgres.ParameterOrJSON<never>[], options?: postgres.UnsafeQueryOptions) => {
    const caller = currentCaller();
    if (caller === null) return sql.unsafe(text, params, options);
    const scope = currentScope()!;
    let answer: Promise<unknown> | null = null;
    // Lazy, like a postgres.js query: nothing is sent until it is awaited or .values() is called.
    const start = (values: boolean) => {
      answer ??= new Promise((resolve, reject) => {
        const read: Read = { text, params, options, values, resolve, reject };
        const open = gathering.get(scope);
        if (open && open.caller === caller) {
          open.reads.push(read);
          return;
        }
        const batch: Batch = { caller, reads: [read] };
        gathering.set(scope, batch);
        setImmediate(() => {
          if (gathering.get(scope) === batch) gathering.delete(scope);
          void send(batch);
        });
      });
      return answer;
    };
    return { then: (ok: never, fail: never) => start(false).then(ok, fail), values: () => start(true) };
  };
  return new Proxy(sql, { get: (target, key) => (key === "unsafe" ? unsafe : (Reflect.get(target, key, target) as unknown)) });
}
