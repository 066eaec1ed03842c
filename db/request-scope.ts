// Who is asking the database: the caller of the current HTTP request, for PostgreSQL row-level
// security (the second line behind app/domain/permissions.ts; policies in db/schema/rls.ts).
//
// server/start.js enters a request scope for every HTTP request (runInRequestScope, exported by
// app/entry.server.tsx); requireUser / requireApiUser fill it with the signed-in user's
// organisations (setCaller). The store is a mutable object because they run deep inside the
// request: AsyncLocalStorage carries the object, not a value set later in a nested call.
//
// db/client.ts reads currentCaller() for every query made outside an explicit transaction and runs
// it with `cswf.caller_orgs` set, so the policies show only the rows those organisations may read.
// No caller (start-up, seed, CLI scripts, tests of services, explicit transactions, or work wrapped
// in asService) is the service itself: the policies let it see every row.
import { AsyncLocalStorage } from "node:async_hooks";

type Scope = { callerOrgs: readonly string[] | null };

const storage = new AsyncLocalStorage<Scope>();

/**
 * Runs one HTTP request. Until requireUser / requireApiUser says who is calling, the caller is
 * nobody (no organisations): an unauthenticated request reads no tenant rows even if a route forgot
 * to authenticate.
 */
export function runInRequestScope<T>(fn: () => T): T {
  return storage.run({ callerOrgs: [] }, fn);
}

/** The signed-in caller's organisations (every active membership). A no-op outside a request scope. */
export function setCaller(organisationIds: readonly string[]): void {
  const scope = storage.getStore();
  if (scope) scope.callerOrgs = [...organisationIds];
}

/** The organisations the current query runs for, or null for the service (no request scope). */
export function currentCaller(): readonly string[] | null {
  return storage.getStore()?.callerOrgs ?? null;
}

/** The current request's scope object (its identity groups the request's reads: db/caller-reads.ts), or null. */
export function currentScope(): object | null {
  return storage.getStore() ?? null;
}

/**
 * Runs `fn` as the service, past row-level security. Only for reads that deliberately reach beyond
 * the caller's logs after the application has checked access, where app/domain/permissions.ts
 * then decides what is shown (say so at the call site).
 */
export function asService<T>(fn: () => T): T {
  return storage.run({ callerOrgs: null }, fn);
}

/** The setting's text: a PostgreSQL uuid[] literal, `{}` for nobody. */
export function callerSetting(orgs: readonly string[]): string {
  return `{${orgs.join(",")}}`;
}
