// Small helpers for raw SQL that both drivers run the same way.
import { sql } from "drizzle-orm";

/** Both drivers: postgres.js answers the rows, PGlite `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  return ((result as { rows?: T[] }).rows ?? (result as T[])) as T[];
}

/**
 * A uuid[] parameter: one bind parameter however many ids (drizzle would bind a list as one
 * parameter each, and every length would be another prepared statement).
 */
export const pgArray = (ids: readonly string[]) => sql`${`{${ids.join(",")}}`}::uuid[]`;
