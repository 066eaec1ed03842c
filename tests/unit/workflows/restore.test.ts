// Stored workflow snapshots: a snapshot from an older machine version is migrated and keeps working;
// one that no longer fits the machine is refused with an error instead of crashing the process.
import { describe, expect, it } from "vitest";
import { SAFETY_CASE_MACHINE_VERSION, safetyCaseApprovalMachine } from "#workflows/safety-case-approval.machine.ts";
import { CorruptSnapshotError, initialSnapshot, restore } from "#app/workflows.server.ts";

const input = { ownerOrganisationId: "org-a", requiredSignatories: [{ slotId: "cso:org-a", organisationId: "org-a", role: "cso" as const }] };

describe("restore", () => {
  it("restores the current version's snapshot with its context", () => {
    const snapshot = initialSnapshot(safetyCaseApprovalMachine, input);
    const actor = restore(safetyCaseApprovalMachine, { snapshot, machineVersion: SAFETY_CASE_MACHINE_VERSION }, SAFETY_CASE_MACHINE_VERSION, input);
    expect(actor.getSnapshot().value).toBe("draft");
    expect(actor.getSnapshot().context.requiredSignatories).toHaveLength(1);
    actor.stop();
  });

  it("runs the migrations of an older snapshot, in order, before restoring", () => {
    const current = initialSnapshot(safetyCaseApprovalMachine, input) as { context: Record<string, unknown> };
    // Pretend version 0 stored the owner under another name.
    const { ownerOrganisationId, ...rest } = current.context;
    const old = { ...current, context: { ...rest, owner: ownerOrganisationId } };
    const migrations = { 0: (s: unknown) => {
      const snap = s as { context: Record<string, unknown> };
      const { owner, ...others } = snap.context;
      return { ...snap, context: { ...others, ownerOrganisationId: owner } };
    } };
    const actor = restore(safetyCaseApprovalMachine, { snapshot: old, machineVersion: 0 }, 1, input, migrations);
    expect(actor.getSnapshot().context.ownerOrganisationId).toBe("org-a");
    expect(actor.getSnapshot().can({ type: "SUBMIT", actor: { userId: "u", organisationId: "org-a", role: "cso" }, baseline: { hazardLogVersion: 1, sha256: "a".repeat(64) } })).toBe(true);
    actor.stop();
  });

  it("refuses a snapshot without a migration path, from a newer version, or naming an unknown state", () => {
    const snapshot = initialSnapshot(safetyCaseApprovalMachine, input);
    expect(() => restore(safetyCaseApprovalMachine, { snapshot, machineVersion: 0 }, 1, input)).toThrow(CorruptSnapshotError);
    expect(() => restore(safetyCaseApprovalMachine, { snapshot, machineVersion: 2 }, 1, input)).toThrow(CorruptSnapshotError);
    expect(() => restore(safetyCaseApprovalMachine, { snapshot: { ...snapshot, value: "vanished" }, machineVersion: 1 }, 1, input)).toThrow();
  });
});
