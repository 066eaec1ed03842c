// The hazard list of a log: the query parameters (one zod schema for the page and the API), the
// filters, the sort orders and keyset paging. The SQL pieces live in hazard-list-sql.server.ts,
// shared with the heatmap counts (hazard-heatmap.server.ts).
import { and, count, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { hazards, HAZARD_STATUSES, type HazardRow } from "#db/schema/index.ts";
import type { Db } from "#db/client.ts";
import type { SessionUser } from "./auth.server.ts";
import { getDb } from "./db.server.ts";
import { HAZARD_TYPES, LIMITS } from "./domain/hazard-fields.ts";
import type { HazardView } from "./domain/hazard-view.ts";
import { LIKELIHOODS, SEVERITIES } from "./domain/risk.ts";
import { jsonBytes } from "./api.server.ts";
import { AppError, fieldErrors } from "./errors.server.ts";
import { buildViews } from "./hazard-store.server.ts";
import { decodeCursor, encodeCursor, type Cursor } from "./hazard-list-cursor.server.ts";
import { afterKeys, filterCondition, needsUpstream, ownTextMatchIds, sortKeys, titleExpr, u1, u2, upstreamJoin1, upstreamJoin2 } from "./hazard-list-sql.server.ts";
import { readWithLog } from "./log-reads.server.ts";
import { requireLog } from "./permissions.server.ts";
import { rowsOf } from "./sql-values.server.ts";

/** `-x` is descending. Every order ends with the ref, so the order is total and paging exact. */
export const SORTS = ["ref", "-ref", "title", "-title", "-residualRisk", "residualRisk", "-initialRisk", "initialRisk", "reviewDue", "-reviewDue", "-updatedAt", "updatedAt"] as const;
export type Sort = (typeof SORTS)[number];
export type Cell = { likelihood: (typeof LIKELIHOODS)[number]; severity: (typeof SEVERITIES)[number] };

const text = (max: number) => z.string().trim().max(max, `must be ${max} characters or fewer`);
const bool = z.enum(["true", "false", "1", "0"], { error: "must be true or false" }).transform((v) => v === "true" || v === "1");
/** A comma list (the API's form) or repeated parameters (an HTML form's), joined before parsing. */
const list = <T extends readonly [string, ...string[]]>(values: T, error: string) =>
  z
    .string()
    .transform((s) => [...new Set(s.split(",").map((x) => x.trim()).filter(Boolean))])
    .pipe(z.array(z.enum(values, { error })));
const CELL = new RegExp(`^(${LIKELIHOODS.join("|")}):(${SEVERITIES.join("|")})$`);
const cell = z
  .string()
  .regex(CELL, "must be likelihood:severity, e.g. high:major")
  .transform((s): Cell => {
    const [likelihood, severity] = s.split(":") as [Cell["likelihood"], Cell["severity"]];
    return { likelihood, severity };
  });

/** Query of the log page and of GET /api/v1/hazard-logs/{id}/hazards. */
export const HazardListQuery = z.object({
  q: text(200).optional(),
  status: list(HAZARD_STATUSES, "must be open, transferred or closed").optional(),
  // "none" is the older spelling of "unassessed"; both mean no residual rating yet.
  residualRisk: list(["1", "2", "3", "4", "5", "unassessed", "none"], "must be 1–5 or unassessed")
    .transform((xs) => [...new Set(xs.map((x) => (x === "none" || x === "unassessed" ? "unassessed" : Number(x))))] as (number | "unassessed")[])
    .optional(),
  initialCell: cell.optional(),
  residualCell: cell.optional(),
  hazardType: list(HAZARD_TYPES, "must be a hazard-type code (domain reference §3.8)").optional(),
  owner: text(LIMITS.short).optional(),
  overdue: bool.optional(),
  includeDeprecated: bool.optional(),
  sort: z.enum(SORTS, { error: `must be one of ${SORTS.join(", ")}` }).default("ref"),
  limit: z
    .string()
    .regex(/^-?\d+$/, "must be a whole number from 1 to 100")
    .transform((s) => Math.min(100, Math.max(1, Number(s))))
    .optional(),
  cursor: z.string().max(1000).optional(),
});
export type HazardListQuery = z.input<typeof HazardListQuery>;
export type ParsedListQuery = z.output<typeof HazardListQuery>;

const LIST_PARAMS = new Set(["status", "residualRisk", "hazardType"]);

export function parseListQuery(params: URLSearchParams | Record<string, string | undefined>): ParsedListQuery {
  const raw: Record<string, string> = {};
  if (params instanceof URLSearchParams) {
    for (const k of new Set(params.keys())) raw[k] = LIST_PARAMS.has(k) ? params.getAll(k).join(",") : params.get(k)!;
  } else for (const [k, v] of Object.entries(params)) if (v !== undefined) raw[k] = v;
  for (const k of Object.keys(raw)) if (raw[k] === "" && k !== "q") delete raw[k];
  const parsed = HazardListQuery.safeParse(raw);
  // Name the parameter as the caller wrote it (status), not the list element (status.0).
  if (!parsed.success) throw new AppError("bad_request", "Some query parameters are not valid", { fields: fieldErrors(parsed.error.issues.map((i) => ({ ...i, path: i.path.slice(0, 1) }))) });
  return parsed.data;
}

/** `%q%` for ILIKE with q lower-cased and the LIKE wildcards escaped. */
export function likePattern(q: string) {
  return `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Today as the list's overdue filter and the page's "Overdue" mark both see it (one clock). */
export const todayIso = () => new Date().toISOString().slice(0, 10);

// ---------------------------------------------------------------------------------------------
// One page

export type ListRow<H = HazardRow> = { h: H; title: string; upstreamVersion: number | null };
export type RowPage<H = HazardRow> = { rows: ListRow<H>[]; total: number; start: number; nextCursor: string | null; prevCursor: string | null };

/** The columns the log page's table needs (queryRows reads whole rows, for the API's views). */
const SUMMARY_COLUMNS = {
  id: hazards.id, ref: hazards.ref, status: hazards.status, owner: hazards.owner, reviewDue: hazards.reviewDue, deprecatedAt: hazards.deprecatedAt,
  upstreamHazardId: hazards.upstreamHazardId, upstreamAcceptedVersion: hazards.upstreamAcceptedVersion, initialRisk: hazards.initialRisk, residualRisk: hazards.residualRisk,
};
export type SummaryRow = Pick<HazardRow, keyof typeof SUMMARY_COLUMNS>;

/**
 * Keyset paging: the cursor holds the sort keys of the row next to the page boundary, so a page
 * follows from the last one by `WHERE (keys) after (cursor keys)`, never by OFFSET. Rows inserted
 * or removed elsewhere in the order therefore never make a page repeat or skip a hazard. The
 * cursor also carries the position, only to say "Showing 51–100".
 */
/**
 * What the caller already knows: the total (when it has it or will: the heatmap query gives it),
 * whether the log has an upstream log, and the ids of a searched log's matching own hazards
 * (ownTextMatchIds).
 */
export type PageContext = { total?: number | Promise<number>; inherits?: boolean; matches?: readonly string[] };

export async function queryRows(db: Db, logId: string, qy: ParsedListQuery, today: string, known: PageContext = {}): Promise<RowPage> {
  return queryPage<HazardRow>(db, logId, qy, today, known, hazards);
}

/** queryRows with only the columns of SummaryRow. */
export async function querySummaryRows(db: Db, logId: string, qy: ParsedListQuery, today: string, known: PageContext = {}): Promise<RowPage<SummaryRow>> {
  return queryPage<SummaryRow>(db, logId, qy, today, known, SUMMARY_COLUMNS);
}

async function queryPage<H>(db: Db, logId: string, qy: ParsedListQuery, today: string, known: PageContext, columns: typeof hazards | typeof SUMMARY_COLUMNS): Promise<RowPage<H>> {
  const limit = qy.limit ?? 50;
  const cursor = decodeCursor(qy.cursor, qy.sort);
  const inherits = known.inherits ?? true;
  const keys = sortKeys(qy.sort, inherits);
  const backwards = cursor?.direction === "prev";
  const condition = filterCondition(logId, qy, today, undefined, inherits, known.matches);
  const pageCondition = cursor ? and(condition, afterKeys(keys, cursor.keys, backwards)) : condition;
  const keyColumns = Object.fromEntries(keys.map((k, i) => [`k${i}`, k.text]));

  if (cursor && (cursor.keys.length !== keys.length || !keys.every((k, i) => k.accepts(cursor.keys[i]))))
    throw new AppError("bad_request", "Some query parameters are not valid", { fields: { cursor: "is not a cursor this API gave out" } });

  // The joins to the upstream rows cost a hash of the whole table: only when a filter or the
  // order reads them. The page's ids (at most limit + 1) are chosen by a subquery; the outer
  // query reads those rows with their upstream by primary key and orders them again by the same
  // keys (evaluated on the same rows, so the same order): one round trip for the page.
  const joined = needsUpstream(qy, inherits);
  const counted = db.select({ n: count() }).from(hazards).$dynamic();
  const n = known.total ?? (joined ? counted.leftJoin(u1, upstreamJoin1).leftJoin(u2, upstreamJoin2) : counted).where(condition).then((r) => r[0].n);
  const ordered = db.select({ id: hazards.id }).from(hazards).$dynamic();
  const slice = (joined ? ordered.leftJoin(u1, upstreamJoin1).leftJoin(u2, upstreamJoin2) : ordered)
    .where(pageCondition)
    .orderBy(...keys.map((k) => k.order(backwards)))
    .limit(limit + 1)
    .as("page_ids");
  const fetchedQuery = db
    .select({ h: columns as typeof hazards, title: titleExpr, upstreamVersion: u1.version, ...keyColumns })
    .from(slice)
    .innerJoin(hazards, eq(hazards.id, slice.id))
    .leftJoin(u1, upstreamJoin1)
    .leftJoin(u2, upstreamJoin2)
    .orderBy(...keys.map((k) => k.order(backwards)));
  const [total, fetched] = await Promise.all([n, fetchedQuery]);
  const more = fetched.length > limit; // one row beyond the page says whether another page follows
  const page = fetched.slice(0, limit);
  if (backwards) page.reverse();
  const keysOf = (r: (typeof page)[number]) => keys.map((_, i) => (r as unknown as Record<string, string | null>)[`k${i}`]);

  const start = backwards ? (more ? cursor.position : 0) : (cursor?.position ?? 0);
  const hasNext = backwards ? true : more;
  const hasPrev = backwards ? more : !!cursor;
  const mk = (c: Omit<Cursor, "sort">) => encodeCursor({ ...c, sort: qy.sort });
  return {
    rows: page.map((r) => ({ h: r.h as H, title: r.title, upstreamVersion: r.upstreamVersion })),
    total: Number(total),
    start,
    nextCursor: hasNext && page.length ? mk({ direction: "next", keys: keysOf(page[page.length - 1]), position: start + page.length }) : null,
    prevCursor: hasPrev && page.length ? mk({ direction: "prev", keys: keysOf(page[0]), position: Math.max(0, start - limit) }) : null,
  };
}

export type HazardPage = { items: HazardView[]; total: number; nextCursor: string | null; prevCursor: string | null };

/**
 * GET /api/v1/hazard-logs/{id}/hazards: one page of full hazards (contract §4), as the JSON bytes
 * the API sends: kept so per content revision of the log (log-reads.server.ts), serialised once.
 */
export async function listHazardsJson(user: SessionUser, logId: string, query: HazardListQuery | URLSearchParams, today = todayIso()): Promise<Buffer<ArrayBuffer>> {
  const db = await getDb();
  const { result } = await readWithLog(
    logId,
    () => requireLog(db, user, logId, "read:log", { contentKey: true }),
    () => (query instanceof URLSearchParams ? parseListQuery(query) : parseListQuery(query as Record<string, string | undefined>)),
    async (inherits, qy) => {
      const matches = qy.q && !inherits ? await ownTextMatchIds(db, logId, qy.q) : undefined;
      const page = await queryRows(db, logId, qy, today, { inherits, matches });
      const items = await buildViews(db, page.rows.map((r) => r.h));
      const answer: HazardPage = { items, total: page.total, nextCursor: page.nextCursor, prevCursor: page.prevCursor };
      return jsonBytes(answer);
    },
    { db, kind: "hazard list", today },
  );
  return result;
}

/**
 * Owners named in the log, for the owner filter (case-insensitive duplicates shown once). A log of
 * 5,000 hazards names a few dozen owners: the query walks the (log, owner) index from one owner to
 * the next (a recursive "loose index scan"), a few dozen index probes instead of reading 5,000
 * index entries and de-duplicating them (issue 9).
 */
export async function distinctOwners(db: Db, logId: string): Promise<string[]> {
  const rows = rowsOf<{ owner: string }>(
    await db.execute(sql`with recursive o as (
        (select owner from hazards where hazard_log_id = ${logId} order by owner limit 1)
        union all
        select (select h.owner from hazards h where h.hazard_log_id = ${logId} and h.owner > o.owner order by h.owner limit 1) from o where o.owner is not null
      ) select owner from o where owner is not null`),
  );
  const byKey = new Map<string, string>();
  for (const { owner } of rows) if (owner?.trim() && !byKey.has(owner.toLowerCase())) byKey.set(owner.toLowerCase(), owner);
  return [...byKey.values()].sort((a, b) => a.localeCompare(b, "en-GB"));
}

