// "Everyone sees their own work" (issue 4): the safety cases awaiting my signature, those I
// submitted and where each stands, and those returned to me for changes, with the comment.
import { organisations } from "#db/schema/index.ts";
import type { SessionUser } from "./auth.server.ts";
import { getDb } from "./db.server.ts";
import { missingSlots, slotForActor } from "#workflows/safety-case-approval.machine.ts";
import { actorsOf, readableCases, snapshotOfCase } from "./safety-case-view.server.ts";

export type CaseSummary = {
  id: string;
  title: string;
  logTitle: string;
  state: string;
  signed: number;
  required: number;
  waitingFor: string[];
  comment: string | null;
};

export async function loadMyWork(user: SessionUser) {
  const db = await getDb();
  const cases = await readableCases(db, user);
  const actors = actorsOf(user);
  const awaiting: CaseSummary[] = [];
  const submitted: CaseSummary[] = [];
  const returned: CaseSummary[] = [];
  const orgNames = new Map((await db.select({ id: organisations.id, name: organisations.name }).from(organisations)).map((o) => [o.id, o.name]));
  for (const { row, log } of cases) {
    const ctx = snapshotOfCase(row).context;
    const missing = missingSlots(ctx);
    const summary: CaseSummary = {
      id: row.id, title: row.title, logTitle: log.title, state: row.state,
      signed: ctx.requiredSignatories.length - missing.length, required: ctx.requiredSignatories.length,
      waitingFor: missing.map((s) => `${orgNames.get(s.organisationId) ?? "another organisation"} (${s.role === "cso" ? "CSO" : "approver"})`),
      comment: ctx.changeRequest?.comment ?? ctx.returnReason,
    };
    if (row.state === "in_review" && actors.some((a) => (a.role === "cso" || a.role === "approver") && slotForActor(ctx, a))) awaiting.push(summary);
    if (ctx.submittedBy?.userId === user.id) submitted.push(summary);
    const ownerCso = actors.some((a) => a.organisationId === row.organisationId && a.role === "cso");
    if (row.state === "draft" && ownerCso && (ctx.changeRequest || ctx.returnReason)) returned.push(summary);
  }
  return { awaiting, submitted, returned };
}
