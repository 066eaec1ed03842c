// Queries a request makes every time (the session or token lookup, the log's access facts), built
// once per database handle as drizzle prepared queries with placeholders: drizzle otherwise builds
// each one's SQL text again on every request (~9% of an API call's server CPU, issue 9).
import type { Db } from "#db/client.ts";

const byDatabase = new WeakMap<Db, Map<string, unknown>>();

/** The query `name`, built by `build` the first time this database handle needs it. */
export function prepared<Q>(db: Db, name: string, build: (db: Db) => Q): Q {
  let queries = byDatabase.get(db);
  if (!queries) byDatabase.set(db, (queries = new Map()));
  let query = queries.get(name) as Q | undefined;
  if (!query) queries.set(name, (query = build(db)));
  return query;
}
