// Row-level security: the second line behind app/domain/permissions.ts (contract §3).
//
// The app connects as cswf_app, a role that owns no table and cannot bypass row-level security
// (db/client.ts). Every tenant table has one policy for cswf_app, built here; the rule itself (which
// hazard logs the caller's organisations may read: readerOrganisationIds in
// app/domain/permissions.ts, in SQL) is the function cswf_readable_log_ids() created by migration
// 0005_row_level_security.sql. tests/integration/db/row-level-security.test.ts keeps the two equal
// for every demo account.
//
// The caller is `cswf.caller_orgs`, a transaction-local setting holding a uuid[] literal that
// db/client.ts sets for the queries of a signed-in request (db/request-scope.ts). Unset (start-up,
// seed, CLI scripts, the services' explicit transactions) means the service itself: every row.
//
// Both functions are called as `(select fn())`: PostgreSQL evaluates such an uncorrelated subquery
// once per query (an InitPlan), not once per row, so a policy costs one array lookup per row.
import { sql, type SQL } from "drizzle-orm";
import { pgPolicy, pgRole, type AnyPgColumn } from "drizzle-orm/pg-core";

export const APP_ROLE = "cswf_app";

/** Created (idempotently: roles are cluster-wide) by migration 0005, not by drizzle-kit. */
export const appRole = pgRole(APP_ROLE).existing();

/** True for the service (no caller set), so its work sees every row. */
const isService = sql`(select cswf_caller_orgs()) is null`;

/** The caller's organisations include this one. */
export const callerIsOrganisation = (column: AnyPgColumn): SQL => sql`${column} = any ((select cswf_caller_orgs())::uuid[])`;

/** The row belongs to a hazard log the caller may read. */
export const inReadableLog = (logIdColumn: AnyPgColumn): SQL => sql`${logIdColumn} = any ((select cswf_readable_log_ids())::uuid[])`;

/** A row of another tenant table the caller may see (its own policy decides), by primary key. */
export const visibleRow = (table: "hazards" | "controls" | "safety_cases", idColumn: AnyPgColumn): SQL =>
  sql`exists (select 1 from ${sql.raw(table)} v where v.id = ${idColumn})`;

/**
 * The one policy of a tenant table: the service sees and writes everything; a caller sees the rows
 * `rule` allows and may write only rows it could then see (WITH CHECK defaults to USING). Which
 * writes a caller may make at all is the application's decision (permissions.ts).
 */
export const tenantPolicy = (table: string, rule: SQL) =>
  pgPolicy(`${table}_tenant`, { as: "permissive", for: "all", to: appRole, using: sql`${isService} or ${rule}` });
