// SQL pieces of the hazard list, shared by the page of rows and the heatmap counts so that both
// always mean the same filter. Queries join the row's upstream (u1) and the upstream's upstream
// (u2): an inherited hazard keeps its title, description, causes and type there (inheritance is
// at most two levels deep: trust → ICB → supplier).
import { and, eq, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import { alias, type AnyPgColumn } from "drizzle-orm/pg-core";
import type { Db } from "#db/client.ts";
import { hazards } from "#db/schema/index.ts";
import type { ParsedListQuery, Sort } from "./hazard-list.server.ts";
import { likePattern } from "./hazard-list.server.ts";
import { pgArray, rowsOf } from "./sql-values.server.ts";

export const u1 = alias(hazards, "u1");
export const u2 = alias(hazards, "u2");
export const upstreamJoin1 = eq(u1.id, hazards.upstreamHazardId);
export const upstreamJoin2 = eq(u2.id, u1.upstreamHazardId);

export const titleExpr = sql<string>`coalesce(${hazards.title}, ${u1.title}, ${u2.title}, '')`;
export const typeExpr = sql<string | null>`coalesce(${hazards.hazardType}, ${u1.hazardType}, ${u2.hazardType})`;

const causesOf = (causes: AnyPgColumn) =>
  sql`(case when jsonb_array_length(${causes}) > 0 then (select lower(string_agg(c, ' ')) from jsonb_array_elements_text(${causes}) as c) end)`;
/**
 * What free text is matched against: the title, description and causes the hazard shows, read
 * live through its upstreams. An own row's `search_text` is kept in step with its title,
 * description and causes on every write, so it is used as it is. An inherited row's is not: it is
 * a copy of the upstream text taken when the row was created, stale (missing new upstream words,
 * still holding removed ones) as soon as the upstream hazard is edited. For those the document is
 * the row's local causes plus the upstream's own text, one level further up when the upstream
 * itself inherits (trust → ICB → supplier).
 *
 * The document is lower case throughout (`search_text` is written lower-cased, the causes are
 * lowered here) and so is the pattern, so it is matched with LIKE: ILIKE would lower-case every
 * document again on every search, about three times the cost of the match itself.
 */
const searchDocument = sql`(case when ${hazards.upstreamHazardId} is null then ${hazards.searchText}
  else concat_ws(' ', ${causesOf(hazards.causes)},
    case when ${u1.upstreamHazardId} is null then ${u1.searchText} else concat_ws(' ', ${causesOf(u1.causes)}, ${u2.searchText}) end) end)`;

/**
 * Free text in a log of own hazards only: `search_text like pattern`, answered by the database
 * function cswf_log_search (migration 0009), which can use the log's trigram index where the same
 * condition written here could not (row-level security evaluates LIKE only after its policy, row by
 * row). Same rows, ~1 ms instead of ~6 ms for 5,000 hazards (issue 9). A page asks it once
 * (ownTextMatchIds) and gives the ids to each of its queries (heatmaps, count, rows): each of them
 * calling the function again cost ~1.3 ms of database time per query.
 */
export async function ownTextMatchIds(db: Db, logId: string, q: string): Promise<string[]> {
  // As text, which both drivers answer alike (a uuid[] comes back parsed from one, as text from the other).
  const [row] = rowsOf<{ ids: string }>(await db.execute(sql`select array_to_string(cswf_log_search(${logId}, ${likePattern(q)}), ',') as ids`));
  return row.ids ? row.ids.split(",") : [];
}

const ownTextMatches = (logId: string, q: string, matches: readonly string[] | undefined) =>
  matches ? sql`${hazards.id} = any (${pgArray(matches)})` : sql`${hazards.id} = any ((select cswf_log_search(${logId}, ${likePattern(q)}))::uuid[])`;

/**
 * Whether the query reads the upstream rows (inherited title, type, text) and so must join them.
 * `inherits`: the log has an upstream log. A log without one (a supplier's DCB0129 log) holds only
 * its own hazards, so nothing is joined and its own columns are read directly: joining two aliases
 * of a 300,000-row table for nothing cost PostgreSQL a parallel plan and ~8 ms of planning per
 * search (issue 9).
 */
export function needsUpstream(qy: ParsedListQuery, inherits = true): boolean {
  return inherits && (!!qy.q || !!qy.hazardType?.length || qy.sort.replace(/^-/, "") === "title");
}

/** Overdue: a review date before today on a hazard that is not closed (as isReviewOverdue says). */
export const overdueExpr = (today: string) => sql`(${hazards.reviewDue} is not null and ${hazards.reviewDue} < ${today}::date and ${hazards.status} <> 'closed')`;

type CellFilter = "initialCell" | "residualCell";

/** The hazards in one heatmap cell (always true when no cell is given). */
export function cellCondition(which: "initial" | "residual", cell: ParsedListQuery["initialCell"]): SQL {
  if (!cell) return sql`true`;
  const [l, s] = which === "initial" ? [hazards.initialLikelihood, hazards.initialSeverity] : [hazards.residualLikelihood, hazards.residualSeverity];
  return and(eq(l, cell.likelihood), eq(s, cell.severity))!;
}

/**
 * Every filter of the query; `except` leaves heatmap cells out (a heatmap's own counts).
 * `matches`: in a log of own hazards (`inherits` false), the ids ownTextMatchIds found for `qy.q`.
 */
export function filterCondition(logId: string, qy: ParsedListQuery, today: string, except?: CellFilter | "bothCells", inherits = true, matches?: readonly string[]): SQL {
  const where: (SQL | undefined)[] = [eq(hazards.hazardLogId, logId)];
  if (!qy.includeDeprecated) where.push(isNull(hazards.deprecatedAt));
  if (qy.q) where.push(inherits ? sql`${searchDocument} like ${likePattern(qy.q)}` : ownTextMatches(logId, qy.q, matches));
  if (qy.status?.length) where.push(inArray(hazards.status, qy.status));
  if (qy.residualRisk?.length) {
    const ratings = qy.residualRisk.filter((r): r is number => r !== "unassessed");
    where.push(or(ratings.length ? inArray(hazards.residualRisk, ratings) : undefined, qy.residualRisk.includes("unassessed") ? isNull(hazards.residualRisk) : undefined));
  }
  if (qy.initialCell && except !== "initialCell" && except !== "bothCells") where.push(cellCondition("initial", qy.initialCell));
  if (qy.residualCell && except !== "residualCell" && except !== "bothCells") where.push(cellCondition("residual", qy.residualCell));
  if (qy.hazardType?.length) where.push(sql`${inherits ? typeExpr : hazards.hazardType} in ${qy.hazardType}`);
  if (qy.owner) where.push(sql`lower(${hazards.owner}) = ${qy.owner.toLowerCase()}`);
  if (qy.overdue !== undefined) where.push(qy.overdue ? overdueExpr(today) : sql`not ${overdueExpr(today)}`);
  return and(...where)!;
}

// ---------------------------------------------------------------------------------------------
// Sorting and keyset paging

export type SortKey = {
  /** The key as text for the cursor (exact: numbers, dates and epoch seconds round-trip). */
  text: SQL;
  order: (backwards: boolean) => SQL;
  /** `key` after (or, backwards, before) the cursor's value in this key's order. */
  after: (value: string | null, backwards: boolean) => SQL;
  same: (value: string | null) => SQL;
  /** Whether a cursor's value can be this key's (a hand-made cursor must give 400, not an SQL error). */
  accepts: (value: string | null) => boolean;
};

const VALUE_PATTERNS: Record<string, RegExp> = { int: /^-?\d{1,9}$/, date: /^\d{4}-\d{2}-\d{2}$/, numeric: /^\d{1,12}(\.\d{1,9})?$/, text: /^[\s\S]*$/ };

/** A key in `dir` order with nulls (unassessed, no date) last in either direction. */
function key(expr: SQL, cast: string, dir: "asc" | "desc", nullable: boolean): SortKey {
  const value = (v: string) => sql`${v}::${sql.raw(cast)}`;
  return {
    text: sql<string | null>`(${expr})::text`,
    order: (back) => {
      const d = (dir === "asc") !== back ? "asc" : "desc";
      return nullable ? sql`${expr} ${sql.raw(d)} nulls ${sql.raw(back ? "first" : "last")}` : sql`${expr} ${sql.raw(d)}`;
    },
    after: (v, back) => {
      if (v === null) return back ? sql`${expr} is not null` : sql`false`;
      const beyond = (dir === "asc") !== back ? sql`${expr} > ${value(v)}` : sql`${expr} < ${value(v)}`;
      if (!nullable) return beyond;
      return back ? beyond : sql`(${beyond} or ${expr} is null)`;
    },
    same: (v) => (v === null ? sql`${expr} is null` : sql`${expr} = ${value(v)}`),
    accepts: (v) => (v === null ? nullable : VALUE_PATTERNS[cast].test(v) && (cast !== "date" || !Number.isNaN(Date.parse(v)))),
  };
}

const REF = key(sql`${hazards.refNumber}`, "int", "asc", false);
const FIRST_KEY: Record<string, (dir: "asc" | "desc", inherits: boolean) => SortKey> = {
  ref: (d) => key(sql`${hazards.refNumber}`, "int", d, false),
  title: (d, inherits) => key(sql`lower(${inherits ? titleExpr : sql`coalesce(${hazards.title}, '')`})`, "text", d, false),
  residualRisk: (d) => key(sql`${hazards.residualRisk}`, "int", d, true),
  initialRisk: (d) => key(sql`${hazards.initialRisk}`, "int", d, true),
  reviewDue: (d) => key(sql`${hazards.reviewDue}`, "date", d, true),
  // Epoch seconds keep the microseconds that a JavaScript Date would drop.
  updatedAt: (d) => key(sql`extract(epoch from ${hazards.updatedAt})`, "numeric", d, false),
};

/** The sort's keys: its own, then the ref (unique in a log), so the order is total. */
export function sortKeys(sort: Sort, inherits = true): SortKey[] {
  const dir = sort.startsWith("-") ? "desc" : "asc";
  const name = sort.replace(/^-/, "");
  return name === "ref" ? [FIRST_KEY.ref(dir, inherits)] : [FIRST_KEY[name](dir, inherits), REF];
}

/** Rows strictly after the cursor's row in the order (before it when paging backwards). */
export function afterKeys(keys: SortKey[], values: (string | null)[], backwards: boolean): SQL {
  if (values.length !== keys.length) return sql`false`;
  const branches = keys.map((k, i) => and(...keys.slice(0, i).map((p, j) => p.same(values[j])), k.after(values[i], backwards))!);
  return sql`(${or(...branches)})`;
}
