// Evidence as other services read it inside their transactions: the ids on each control of a
// hazard view, what a frozen baseline records, and the rule that a control is Verified only with
// accepted evidence. No permission checks here: callers have already authorised the hazard or log.
import { and, asc, eq, inArray, ne, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Db } from "#db/client.ts";
import { evidence } from "#db/schema/index.ts";
import { AppError } from "./errors.server.ts";

/** What a baseline records per control: each file it relies on, by hash, and its review state. */
export type BaselineEvidence = { id: string; sha256: string; state: "submitted" | "accepted" };

const STANDS = ne(evidence.state, "rejected");
const STANDING_ORDER = [asc(evidence.createdAt), asc(evidence.id)];

/** The ids of the evidence that stands for the control in `controlId`, in order, as a subquery (text[]). */
export function standingEvidenceIdsOf(controlId: AnyPgColumn): SQL<string[]> {
  return sql<string[]>`coalesce((select array_agg(${evidence.id}::text order by ${sql.join(STANDING_ORDER, sql`, `)}) from ${evidence} where ${evidence.controlId} = ${controlId} and ${STANDS}), '{}')`;
}

/**
 * Per control, the evidence that stands: submitted (awaiting review) and accepted items, oldest
 * first. Rejected items stay in the history (control page) but are not evidence of anything.
 */
export async function standingEvidenceByControl(tx: Db, controlIds: string[]): Promise<Map<string, BaselineEvidence[]>> {
  const out = new Map<string, BaselineEvidence[]>();
  if (controlIds.length === 0) return out;
  const rows = await tx
    .select({ id: evidence.id, controlId: evidence.controlId, sha256: evidence.sha256, state: evidence.state })
    .from(evidence)
    .where(and(inArray(evidence.controlId, controlIds), STANDS))
    .orderBy(...STANDING_ORDER);
  for (const r of rows) {
    const list = out.get(r.controlId) ?? [];
    list.push({ id: r.id, sha256: r.sha256, state: r.state as BaselineEvidence["state"] });
    out.set(r.controlId, list);
  }
  return out;
}

/**
 * The Verified rule: a control may be set to `verified` (by a form or the API) only once at least
 * one evidence item for it has been accepted. Controls already verified keep that state (seeded and
 * imported logs carry their evidence as references), and moving away from verified is always allowed.
 */
export async function requireAcceptedEvidenceForVerified(
  tx: Db,
  list: { id?: string | null; state?: string | null }[],
  previousState: Map<string, string>,
): Promise<void> {
  const fields: Record<string, string> = {};
  const candidates = list.map((c, i) => ({ ...c, i })).filter((c) => c.state === "verified" && (!c.id || previousState.get(c.id) !== "verified"));
  if (candidates.length === 0) return;
  const ids = candidates.map((c) => c.id).filter((x): x is string => !!x);
  const accepted = ids.length
    ? new Set((await tx.selectDistinct({ controlId: evidence.controlId }).from(evidence).where(and(inArray(evidence.controlId, ids), eq(evidence.state, "accepted")))).map((r) => r.controlId))
    : new Set<string>();
  for (const c of candidates) if (!c.id || !accepted.has(c.id)) fields[`controls.${c.i}.state`] = "can be Verified only once evidence for the control has been accepted";
  if (Object.keys(fields).length) throw new AppError("bad_request", "A control can be Verified only with accepted evidence", { fields });
}
