import { adjacencyMapToArray, getAdjacencyMap, getShortestPaths, toDirectedGraph, type DirectedGraphNode } from "@xstate/graph";
import fc from "fast-check";
import { createActor, initialTransition, transition } from "xstate";
import { expect, test } from "vitest";
import {
  BASELINE_CHANGED_REASON,
  SAFETY_CASE_MACHINE_VERSION,
  SIGNATURE_MEANINGS,
  allowedEventTypes,
  missingSlots,
  safetyCaseApprovalMachine,
  whyNot,
  type SafetyCaseEvent,
  type SafetyCaseSnapshot,
  type SignatorySlot,
  type WorkflowActor,
} from "#workflows/safety-case-approval.machine.ts";

const SUPPLIER = "org-supplier";
const ICB = "org-icb";
const TRUST = "org-trust";
const supplierCso: WorkflowActor = { userId: "u-supplier-cso", organisationId: SUPPLIER, role: "cso" };
const supplierCso2: WorkflowActor = { userId: "u-supplier-cso-2", organisationId: SUPPLIER, role: "cso" };
const supplierApprover: WorkflowActor = { userId: "u-supplier-approver", organisationId: SUPPLIER, role: "approver" };
const supplierContributor: WorkflowActor = { userId: "u-supplier-contrib", organisationId: SUPPLIER, role: "contributor" };
const icbApprover: WorkflowActor = { userId: "u-icb-approver", organisationId: ICB, role: "approver" };
const icbApprover2: WorkflowActor = { userId: "u-icb-approver-2", organisationId: ICB, role: "approver" };
const icbCso: WorkflowActor = { userId: "u-icb-cso", organisationId: ICB, role: "cso" };
const icbContributor: WorkflowActor = { userId: "u-icb-contrib", organisationId: ICB, role: "contributor" };
const icbViewer: WorkflowActor = { userId: "u-icb-viewer", organisationId: ICB, role: "viewer" };
const icbAdmin: WorkflowActor = { userId: "u-icb-admin", organisationId: ICB, role: "admin" };
const trustCso: WorkflowActor = { userId: "u-trust-cso", organisationId: TRUST, role: "cso" };

const SLOTS: SignatorySlot[] = [
  { slotId: "supplier-cso", organisationId: SUPPLIER, role: "cso" },
  { slotId: "icb-approver", organisationId: ICB, role: "approver" },
];
const INPUT = { ownerOrganisationId: SUPPLIER, requiredSignatories: SLOTS };
const SHA_A = "a".repeat(64);
const SHA_B = "b".repeat(64);
const BASELINE = { hazardLogVersion: 3, sha256: SHA_A };

function submit(actor = supplierCso, baseline = BASELINE): SafetyCaseEvent {
  return { type: "SUBMIT", actor, baseline };
}
function sign(actor: WorkflowActor, slotId: string, extra: Partial<Extract<SafetyCaseEvent, { type: "SIGN" }>> = {}): SafetyCaseEvent {
  return { type: "SIGN", actor, slotId, meaning: "approved", baselineSha256: SHA_A, otherEligibleSignerCount: 0, ...extra };
}
function requestChanges(actor: WorkflowActor, comment = "H-004 needs a tested control"): SafetyCaseEvent {
  return { type: "REQUEST_CHANGES", actor, comment };
}
const invalidate: SafetyCaseEvent = { type: "INVALIDATE_BASELINE", actor: supplierContributor };

/** Pure replay: the snapshot after the events, without an actor. */
function run(events: SafetyCaseEvent[], input = INPUT): SafetyCaseSnapshot {
  const [initial] = initialTransition(safetyCaseApprovalMachine, input);
  return events.reduce((snapshot, event) => transition(safetyCaseApprovalMachine, snapshot, event)[0], initial);
}

const inReview = () => run([submit()]);

// The events a model-based walk may try in any state; refused ones simply leave the state unchanged.
const MODEL_EVENTS: SafetyCaseEvent[] = [
  { type: "EDIT_SIGNATORIES", actor: supplierCso, signatories: SLOTS.slice(0, 1) },
  { type: "EDIT_SIGNATORIES", actor: supplierCso, signatories: SLOTS },
  submit(),
  sign(supplierCso, "supplier-cso"),
  sign(icbApprover, "icb-approver"),
  requestChanges(icbApprover),
  invalidate,
];

function machineEdges(node: DirectedGraphNode): string[] {
  const own = node.edges.map((e) => `${e.source.key} -${e.label.text}-> ${e.target.key}`);
  return [...own, ...node.children.flatMap(machineEdges)];
}

test("the machine declares its id and version", () => {
  expect(safetyCaseApprovalMachine.id).toBe("safetyCaseApproval");
  expect(safetyCaseApprovalMachine.version).toBe(String(SAFETY_CASE_MACHINE_VERSION));
  expect(SAFETY_CASE_MACHINE_VERSION).toBe(1);
});

test("shortest paths reach every state, and each replays on a real actor", () => {
  const paths = getShortestPaths(safetyCaseApprovalMachine, { input: INPUT, events: MODEL_EVENTS });
  const reached = new Set(paths.map((p) => p.state.value));
  expect([...reached].sort()).toEqual(["approved", "draft", "in_review"]);
  for (const path of paths) {
    const actor = createActor(safetyCaseApprovalMachine, { input: INPUT }).start();
    for (const step of path.steps) actor.send(step.event);
    expect(actor.getSnapshot().value).toBe(path.state.value);
    expect(actor.getSnapshot().context).toEqual(path.state.context);
    actor.stop();
  }
});

test("the model walk takes every transition the machine declares, and no other", () => {
  const adjacency = getAdjacencyMap(safetyCaseApprovalMachine, { input: INPUT, events: MODEL_EVENTS });
  const taken = new Set<string>();
  for (const { state, event, nextState } of adjacencyMapToArray(adjacency)) {
    const changed = JSON.stringify([state.value, state.context]) !== JSON.stringify([nextState.value, nextState.context]);
    if (changed) taken.add(`${state.value} -${event.type}-> ${nextState.value}`);
  }
  // The eventless in_review → approved transition fires inside the macrostep of the last SIGN.
  const declared = [...machineEdges(toDirectedGraph(safetyCaseApprovalMachine)), "in_review -SIGN-> approved"];
  expect([...taken].sort()).toEqual([...new Set(declared)].sort());
});

test("a full sign-off: submit, both organisations sign, approved", () => {
  const actor = createActor(safetyCaseApprovalMachine, { input: INPUT }).start();
  expect(allowedEventTypes(actor.getSnapshot(), supplierCso)).toEqual(["EDIT_SIGNATORIES", "SUBMIT"]);
  expect(allowedEventTypes(actor.getSnapshot(), icbApprover)).toEqual([]);
  actor.send(submit());
  expect(actor.getSnapshot().value).toBe("in_review");
  expect(actor.getSnapshot().context.baseline).toEqual(BASELINE);
  expect(allowedEventTypes(actor.getSnapshot(), icbApprover)).toEqual(["SIGN", "REQUEST_CHANGES"]);
  expect(allowedEventTypes(actor.getSnapshot(), icbContributor)).toEqual([]);
  actor.send(sign(supplierCso, "supplier-cso", { meaning: "accepted_on_behalf_of_organisation" }));
  expect(missingSlots(actor.getSnapshot().context).map((s) => s.slotId)).toEqual(["icb-approver"]);
  expect(allowedEventTypes(actor.getSnapshot(), supplierCso)).toEqual(["REQUEST_CHANGES"]);
  actor.send(sign(icbApprover, "icb-approver", { meaning: "reviewed" }));
  const done = actor.getSnapshot();
  expect(done.value).toBe("approved");
  expect(done.status).toBe("done");
  expect(missingSlots(done.context)).toEqual([]);
  expect(done.context.signatures.map((s) => [s.slotId, s.userId, s.meaning, s.baselineSha256])).toEqual([
    ["supplier-cso", supplierCso.userId, "accepted_on_behalf_of_organisation", SHA_A],
    ["icb-approver", icbApprover.userId, "reviewed", SHA_A],
  ]);
  expect(allowedEventTypes(done, supplierCso)).toEqual([]);
});

test.each([
  ["a contributor", supplierContributor],
  ["another organisation's CSO", icbCso],
  ["the owner's approver", supplierApprover],
])("EDIT_SIGNATORIES by %s is refused", (_label, actor) => {
  const event: SafetyCaseEvent = { type: "EDIT_SIGNATORIES", actor, signatories: SLOTS.slice(0, 1) };
  expect(run([]).can(event)).toBe(false);
  expect(whyNot(run([]), event)).toBe("Only the owning organisation's CSO can change the signatories");
});

test("EDIT_SIGNATORIES refuses duplicate slot ids, and is not possible in review", () => {
  const duplicate: SafetyCaseEvent = { type: "EDIT_SIGNATORIES", actor: supplierCso, signatories: [SLOTS[0], SLOTS[0]] };
  expect(whyNot(run([]), duplicate)).toBe("Signatory slot ids must be unique");
  const edit: SafetyCaseEvent = { type: "EDIT_SIGNATORIES", actor: supplierCso, signatories: SLOTS.slice(0, 1) };
  expect(whyNot(run([]), edit)).toBeNull();
  expect(whyNot(inReview(), edit)).toBe("EDIT_SIGNATORIES is not possible while the safety case is in review");
});

test("SUBMIT needs the owner's CSO, at least one signatory and a real baseline", () => {
  expect(whyNot(run([]), submit(icbCso))).toBe("Only the owning organisation's CSO can submit the safety case");
  expect(whyNot(run([]), submit(supplierApprover))).toBe("Only the owning organisation's CSO can submit the safety case");
  const noSlots = run([], { ownerOrganisationId: SUPPLIER, requiredSignatories: [] });
  expect(whyNot(noSlots, submit())).toBe("Add at least one required signatory before submitting");
  expect(run([submit(supplierCso, { hazardLogVersion: 0, sha256: SHA_A })]).value).toBe("draft");
  expect(whyNot(run([]), submit(supplierCso, { hazardLogVersion: 1, sha256: "not-a-hash" }))).toMatch(/SHA-256/);
});

test.each([
  ["a contributor", sign(icbContributor, "icb-approver"), "Only a CSO or an approver can sign"],
  ["a viewer", sign(icbViewer, "icb-approver"), "Only a CSO or an approver can sign"],
  ["an admin", sign(icbAdmin, "icb-approver"), "Only a CSO or an approver can sign"],
  ["the wrong organisation", sign(supplierApprover, "icb-approver"), "This slot belongs to another organisation"],
  ["the wrong role", sign(icbCso, "icb-approver"), "This slot needs the role approver"],
  ["an unknown slot", sign(icbApprover, "no-such-slot"), "There is no such signatory slot"],
  ["a stale baseline", sign(icbApprover, "icb-approver", { baselineSha256: SHA_B }), "The baseline has changed since you read it"],
  ["an unknown meaning", { ...sign(icbApprover, "icb-approver"), meaning: "maybe" } as unknown as SafetyCaseEvent, "Unknown signature meaning"],
  ["no eligible-signer count", sign(icbApprover, "icb-approver", { otherEligibleSignerCount: -1 }), "The number of other eligible signers is missing"],
])("SIGN by %s is refused", (_label, event, reason) => {
  expect(inReview().can(event)).toBe(false);
  expect(whyNot(inReview(), event)).toBe(reason);
});

test("a slot is signed once: a second signature for it is refused", () => {
  const signed = run([submit(), sign(icbApprover, "icb-approver")]);
  const again = sign(icbApprover2, "icb-approver");
  expect(signed.can(again)).toBe(false);
  expect(whyNot(signed, again)).toBe("This slot has already been signed");
  expect(whyNot(signed, sign(icbApprover, "icb-approver"))).toBe("This slot has already been signed");
});

test("one person signs one slot, even when two slots fit them", () => {
  const twoApproverSlots = [...SLOTS, { slotId: "icb-approver-2", organisationId: ICB, role: "approver" as const }];
  const input = { ownerOrganisationId: SUPPLIER, requiredSignatories: twoApproverSlots };
  const signed = run([submit(), sign(icbApprover, "icb-approver")], input);
  expect(whyNot(signed, sign(icbApprover, "icb-approver-2"))).toBe("You have already signed this safety case");
  expect(whyNot(signed, sign(icbApprover2, "icb-approver-2"))).toBeNull();
});

test("separation of duties: the submitter signs their own organisation's slot only when nobody else can", () => {
  const submitted = inReview();
  const selfSign = sign(supplierCso, "supplier-cso", { otherEligibleSignerCount: 1 });
  expect(submitted.can(selfSign)).toBe(false);
  expect(whyNot(submitted, selfSign)).toBe("Another eligible person must sign for your organisation, as you submitted the case");
  expect(allowedEventTypes(submitted, supplierCso, { "supplier-cso": 1 })).toEqual(["REQUEST_CHANGES"]);
  // The only eligible person (contract §4 demo data) may sign; so may another CSO of the organisation.
  expect(submitted.can(sign(supplierCso, "supplier-cso", { otherEligibleSignerCount: 0 }))).toBe(true);
  expect(submitted.can(sign(supplierCso2, "supplier-cso", { otherEligibleSignerCount: 1 }))).toBe(true);
  const signed = run([submit(), sign(supplierCso, "supplier-cso")]);
  expect(signed.context.otherEligibleSigners).toEqual({ "supplier-cso": 0 });
});

test("REQUEST_CHANGES releases the baseline, clears signatures and keeps the comment", () => {
  const returned = run([submit(), sign(supplierCso, "supplier-cso"), requestChanges(icbApprover, "  Add H-009  ")]);
  expect(returned.value).toBe("draft");
  expect(returned.context).toMatchObject({
    baseline: null,
    submittedBy: null,
    signatures: [],
    changeRequest: { comment: "Add H-009", requestedBy: icbApprover },
  });
  // Resubmitting starts a fresh round on the new baseline.
  const resubmitted = transition(safetyCaseApprovalMachine, returned, submit(supplierCso, { hazardLogVersion: 4, sha256: SHA_B }))[0];
  expect(resubmitted.context).toMatchObject({ baseline: { hazardLogVersion: 4, sha256: SHA_B }, changeRequest: null });
  expect(resubmitted.can(sign(icbApprover, "icb-approver"))).toBe(false);
  expect(resubmitted.can(sign(icbApprover, "icb-approver", { baselineSha256: SHA_B }))).toBe(true);
});

test.each([
  ["an empty comment", requestChanges(icbApprover, "   "), "Say what needs to change"],
  ["a contributor", requestChanges(icbContributor), "Only a CSO or an approver of a signing organisation can request changes"],
  ["an organisation without a slot", requestChanges(trustCso), "Only a CSO or an approver of a signing organisation can request changes"],
])("REQUEST_CHANGES with %s is refused", (_label, event, reason) => {
  expect(inReview().can(event)).toBe(false);
  expect(whyNot(inReview(), event)).toBe(reason);
});

test("INVALIDATE_BASELINE sends the case back to draft for re-signature", () => {
  const invalidated = run([submit(), sign(supplierCso, "supplier-cso"), invalidate]);
  expect(invalidated.value).toBe("draft");
  expect(invalidated.context).toMatchObject({ baseline: null, signatures: [], returnReason: BASELINE_CHANGED_REASON });
  expect(run([]).can(invalidate)).toBe(false);
  expect(allowedEventTypes(inReview(), supplierCso)).not.toContain("INVALIDATE_BASELINE");
});

test("an approved case accepts nothing more", () => {
  const approved = run([submit(), sign(supplierCso, "supplier-cso"), sign(icbApprover, "icb-approver")]);
  expect(approved.value).toBe("approved");
  expect(approved.can(invalidate)).toBe(false);
  expect(whyNot(approved, requestChanges(icbApprover))).toBe("The safety case is approved; nothing more can change");
});

test("a snapshot survives a JSON round trip and the restored actor carries on", () => {
  const first = createActor(safetyCaseApprovalMachine, { input: INPUT }).start();
  first.send(submit());
  first.send(sign(supplierCso, "supplier-cso"));
  const stored = JSON.parse(JSON.stringify(first.getPersistedSnapshot()));
  first.stop();

  const restored = createActor(safetyCaseApprovalMachine, { snapshot: stored, input: INPUT });
  const errors: unknown[] = [];
  restored.subscribe({ error: (error) => errors.push(error) });
  restored.start();
  expect(restored.getSnapshot().value).toBe("in_review");
  expect(restored.getSnapshot().can(sign(supplierCso, "supplier-cso"))).toBe(false);
  restored.send(sign(icbApprover, "icb-approver"));
  expect(restored.getSnapshot().value).toBe("approved");
  expect(JSON.parse(JSON.stringify(restored.getPersistedSnapshot())).context).toEqual(restored.getSnapshot().context);
  expect(errors).toEqual([]);
  restored.stop();
});

// Random histories from a pool of actors, slots, baselines and meanings, including refused events.
// Weighted towards people who may act, so that approvals happen often enough to mean something.
const POOL_SLOTS: SignatorySlot[] = [...SLOTS, { slotId: "trust-cso", organisationId: TRUST, role: "cso" }];
const POOL_ACTORS = [
  supplierCso, supplierCso2, supplierApprover, supplierContributor, icbApprover, icbApprover2, icbCso, icbViewer, icbAdmin, trustCso,
];
const anyActorArb = fc.constantFrom(...POOL_ACTORS);
const ownerCsoArb = fc.oneof({ arbitrary: fc.constantFrom(supplierCso, supplierCso2), weight: 3 }, anyActorArb);
const shaArb = fc.oneof({ arbitrary: fc.constant(SHA_A), weight: 3 }, { arbitrary: fc.constant(SHA_B), weight: 1 });
const signArb = fc.constantFrom(...POOL_SLOTS).chain((slot) => {
  const fitting = POOL_ACTORS.filter((a) => a.organisationId === slot.organisationId && a.role === slot.role);
  return fc.record({
    type: fc.constant("SIGN" as const),
    actor: fc.oneof({ arbitrary: fc.constantFrom(...fitting), weight: 3 }, anyActorArb),
    slotId: fc.constant(slot.slotId),
    meaning: fc.constantFrom(...SIGNATURE_MEANINGS),
    baselineSha256: shaArb,
    otherEligibleSignerCount: fc.integer({ min: 0, max: 2 }),
  });
});
const eventArb: fc.Arbitrary<SafetyCaseEvent> = fc.oneof(
  { arbitrary: fc.record({ type: fc.constant("EDIT_SIGNATORIES" as const), actor: ownerCsoArb, signatories: fc.subarray(POOL_SLOTS) }), weight: 1 },
  {
    arbitrary: fc.record({
      type: fc.constant("SUBMIT" as const),
      actor: ownerCsoArb,
      baseline: fc.record({ hazardLogVersion: fc.integer({ min: 1, max: 3 }), sha256: shaArb }),
    }),
    weight: 2,
  },
  { arbitrary: signArb, weight: 8 },
  { arbitrary: fc.record({ type: fc.constant("REQUEST_CHANGES" as const), actor: anyActorArb, comment: fc.constantFrom("", " ", "fix H-1") }), weight: 1 },
  { arbitrary: fc.record({ type: fc.constant("INVALIDATE_BASELINE" as const), actor: anyActorArb }), weight: 1 },
);

test("property: no history reaches approved without every required slot signed on one baseline", () => {
  let approvals = 0;
  fc.assert(
    fc.property(fc.array(eventArb, { maxLength: 40, size: "max" }), (events) => {
      let snapshot = run([]);
      for (const event of events) {
        snapshot = transition(safetyCaseApprovalMachine, snapshot, event)[0];
        const { baseline, signatures, requiredSignatories } = snapshot.context;
        // Every signature binds to the frozen baseline, each slot at most once, each person at most once.
        expect(signatures.every((s) => s.baselineSha256 === baseline?.sha256)).toBe(true);
        expect(new Set(signatures.map((s) => s.slotId)).size).toBe(signatures.length);
        expect(new Set(signatures.map((s) => s.userId)).size).toBe(signatures.length);
        if (snapshot.value !== "approved") continue;
        expect(baseline).not.toBeNull();
        expect(requiredSignatories.length).toBeGreaterThan(0);
        for (const slot of requiredSignatories) {
          const signature = signatures.filter((s) => s.slotId === slot.slotId);
          expect(signature).toHaveLength(1);
          expect(signature[0]).toMatchObject({ organisationId: slot.organisationId, role: slot.role, baselineSha256: baseline?.sha256 });
        }
      }
      if (snapshot.value === "approved") approvals++; // final: once approved, always approved
    }),
    { numRuns: 1000 },
  );
  expect(approvals).toBeGreaterThan(50); // the property is not vacuous
});
