// A change to a hazard log releases every safety case in review on it: their baseline no longer
// describes the log, so the machine returns them to draft ("baseline changed: re-signature needed").
// Signatures already recorded stay, bound to the baseline they signed; they never carry over.
// Called from the one place every hazard change passes (writeVersion), inside its transaction and
// before the audit entry, so locks are always taken case row → audit head, as sign-off takes them.
import { and, eq, sql } from "drizzle-orm";
import { safetyCases, users } from "#db/schema/index.ts";
import { SAFETY_CASE_MACHINE_VERSION, safetyCaseApprovalMachine, whyNot } from "#workflows/safety-case-approval.machine.ts";
import { appendAudit } from "./audit.server.ts";
import { restore } from "./workflows.server.ts";
import type { Actor, Tx } from "./hazard-store.server.ts";

export async function releaseCasesInReview(tx: Tx, hazardLogId: string, actor: Actor) {
  const rows = await tx
    .select()
    .from(safetyCases)
    .where(and(eq(safetyCases.hazardLogId, hazardLogId), eq(safetyCases.state, "in_review")))
    .for("update");
  for (const row of rows) {
    const machine = restore(safetyCaseApprovalMachine, row, SAFETY_CASE_MACHINE_VERSION, { ownerOrganisationId: row.organisationId, requiredSignatories: [] });
    // The event is a fact the server reports, not anyone's decision: no role is needed for it.
    const event = { type: "INVALIDATE_BASELINE" as const, actor: { userId: actor.userId ?? "system", organisationId: actor.organisationId ?? row.organisationId, role: "viewer" as const } };
    if (whyNot(machine.getSnapshot(), event)) {
      machine.stop();
      continue;
    }
    machine.send(event);
    const persisted = machine.getPersistedSnapshot() as Record<string, unknown>;
    const state = String(machine.getSnapshot().value);
    machine.stop();
    await tx.update(safetyCases).set({ snapshot: persisted, state, version: row.version + 1, baselineId: null, updatedAt: sql`now()` }).where(eq(safetyCases.id, row.id));
    await appendAudit(tx, {
      organisationId: actor.organisationId ?? row.organisationId,
      actor: { userId: actor.userId, name: actor.userId ? ((await tx.select({ name: users.name }).from(users).where(eq(users.id, actor.userId)))[0]?.name ?? null) : null },
      action: "safety_case.baseline_changed",
      entityType: "safety_case",
      entityId: row.id,
      changes: { from: "in_review", to: state, version: row.version + 1 },
      reason: "The hazard log changed after the baseline was frozen: re-signature needed",
    });
  }
}
