import { adjacencyMapToArray, getAdjacencyMap, getShortestPaths, toDirectedGraph, type DirectedGraphNode } from "@xstate/graph";
import fc from "fast-check";
import { createActor, initialTransition, transition } from "xstate";
import { expect, test } from "vitest";
import {
  HAZARD_LOG_ISSUE_MACHINE_VERSION,
  hazardLogIssueMachine,
  whyNot,
  type HazardLogIssueEvent,
  type HazardLogIssueSnapshot,
  type WorkflowActor,
} from "#workflows/hazard-log-issue.machine.ts";

const OWNER = "org-supplier";
const cso: WorkflowActor = { userId: "u-cso", organisationId: OWNER, role: "cso" };
const approver: WorkflowActor = { userId: "u-approver", organisationId: OWNER, role: "approver" };
const contributor: WorkflowActor = { userId: "u-contrib", organisationId: OWNER, role: "contributor" };
const otherCso: WorkflowActor = { userId: "u-icb-cso", organisationId: "org-icb", role: "cso" };
const INPUT = { ownerOrganisationId: OWNER };
const sha = (c: string) => c.repeat(64);

function submit(actor = cso, pendingUpstreamChanges = 0): HazardLogIssueEvent {
  return { type: "SUBMIT_FOR_REVIEW", actor, pendingUpstreamChanges };
}
function issue(version: number, actor = cso): HazardLogIssueEvent {
  return { type: "ISSUE", actor, baseline: { version, sha256: sha(String(version % 10)) } };
}
function requestChanges(actor = approver, comment = "H-002 needs a residual rating"): HazardLogIssueEvent {
  return { type: "REQUEST_CHANGES", actor, comment };
}
const startNewVersion = (actor = cso): HazardLogIssueEvent => ({ type: "START_NEW_VERSION", actor });

function run(events: HazardLogIssueEvent[]): HazardLogIssueSnapshot {
  const [initial] = initialTransition(hazardLogIssueMachine, INPUT);
  return events.reduce((snapshot, event) => transition(hazardLogIssueMachine, snapshot, event)[0], initial);
}

const MODEL_EVENTS = [submit(), submit(cso, 2), issue(1), issue(2), requestChanges(), startNewVersion()];

function machineEdges(node: DirectedGraphNode): string[] {
  const own = node.edges.map((e) => `${e.source.key} -${e.label.text}-> ${e.target.key}`);
  return [...own, ...node.children.flatMap(machineEdges)];
}

test("the machine declares its id and version", () => {
  expect(hazardLogIssueMachine.id).toBe("hazardLogIssue");
  expect(hazardLogIssueMachine.version).toBe(String(HAZARD_LOG_ISSUE_MACHINE_VERSION));
});

test("shortest paths reach every state, and each replays on a real actor", () => {
  const paths = getShortestPaths(hazardLogIssueMachine, { input: INPUT, events: MODEL_EVENTS });
  expect([...new Set(paths.map((p) => p.state.value))].sort()).toEqual(["draft", "in_review", "issued"]);
  for (const path of paths) {
    const actor = createActor(hazardLogIssueMachine, { input: INPUT }).start();
    for (const step of path.steps) actor.send(step.event);
    expect(actor.getSnapshot().context).toEqual(path.state.context);
    expect(actor.getSnapshot().value).toBe(path.state.value);
    actor.stop();
  }
});

test("the model walk takes every transition the machine declares, and no other", () => {
  const adjacency = getAdjacencyMap(hazardLogIssueMachine, { input: INPUT, events: MODEL_EVENTS });
  const taken = new Set<string>();
  for (const { state, event, nextState } of adjacencyMapToArray(adjacency)) {
    const changed = JSON.stringify([state.value, state.context]) !== JSON.stringify([nextState.value, nextState.context]);
    if (changed) taken.add(`${state.value} -${event.type}-> ${nextState.value}`);
  }
  expect([...taken].sort()).toEqual([...new Set(machineEdges(toDirectedGraph(hazardLogIssueMachine)))].sort());
});

test("issue, then start the next version", () => {
  const issued = run([submit(), issue(1)]);
  expect(issued.value).toBe("issued");
  expect(issued.context.lastIssued).toEqual({ version: 1, sha256: sha("1") });
  const next = run([submit(), issue(1), startNewVersion()]);
  expect(next.value).toBe("draft");
  expect(next.context.lastIssued?.version).toBe(1);
});

test("pending upstream changes block the submission, with a reason people can act on", () => {
  expect(run([]).can(submit(cso, 3))).toBe(false);
  expect(whyNot(run([]), submit(cso, 3))).toBe("3 upstream changes have not been reviewed");
  expect(whyNot(run([]), submit(cso, 1))).toBe("1 upstream change has not been reviewed");
  expect(whyNot(run([]), submit(cso, Number.NaN))).toBe("The number of pending upstream changes is missing");
  expect(whyNot(run([]), submit(cso, 0))).toBeNull();
});

test.each([
  ["SUBMIT_FOR_REVIEW by an approver", [], submit(approver), "Only the owning organisation's CSO can submit the log for review"],
  ["SUBMIT_FOR_REVIEW by another organisation's CSO", [], submit(otherCso), "Only the owning organisation's CSO can submit the log for review"],
  ["ISSUE by a contributor", [submit()], issue(1, contributor), "Only the owning organisation's CSO can issue the log"],
  ["ISSUE with a bad hash", [submit()], { type: "ISSUE", actor: cso, baseline: { version: 1, sha256: "x" } }, "The issued version needs a version number and its SHA-256"],
  ["ISSUE of an old version", [submit(), issue(2), startNewVersion(), submit()], issue(2), "Version 2 has already been issued; issue a later version"],
  ["REQUEST_CHANGES without a comment", [submit()], requestChanges(approver, " "), "Say what needs to change"],
  ["REQUEST_CHANGES by a contributor", [submit()], requestChanges(contributor), "Only a CSO or an approver of the owning organisation can request changes"],
  ["START_NEW_VERSION by an approver", [submit(), issue(1)], startNewVersion(approver), "Only the owning organisation's CSO can start a new version"],
  ["ISSUE from draft", [], issue(1), "ISSUE is not possible while the log is draft"],
  ["SUBMIT_FOR_REVIEW when issued", [submit(), issue(1)], submit(), "SUBMIT_FOR_REVIEW is not possible while the log is issued"],
] as [string, HazardLogIssueEvent[], HazardLogIssueEvent, string][])("%s is refused", (_label, history, event, reason) => {
  const snapshot = run(history);
  expect(snapshot.can(event)).toBe(false);
  expect(whyNot(snapshot, event)).toBe(reason);
});

test("REQUEST_CHANGES returns the log to draft with the comment", () => {
  const returned = run([submit(), requestChanges(approver, "  Add H-010 ")]);
  expect(returned.value).toBe("draft");
  expect(returned.context.changeRequest).toEqual({ comment: "Add H-010", requestedBy: approver });
  expect(run([submit(), requestChanges(), submit()]).context.changeRequest).toBeNull();
});

test("a snapshot survives a JSON round trip and the restored actor carries on", () => {
  const first = createActor(hazardLogIssueMachine, { input: INPUT }).start();
  first.send(submit());
  const stored = JSON.parse(JSON.stringify(first.getPersistedSnapshot()));
  first.stop();
  const restored = createActor(hazardLogIssueMachine, { snapshot: stored, input: INPUT });
  const errors: unknown[] = [];
  restored.subscribe({ error: (error) => errors.push(error) });
  restored.start();
  restored.send(issue(1));
  expect(restored.getSnapshot().value).toBe("issued");
  expect(errors).toEqual([]);
  restored.stop();
});

const actorArb = fc.constantFrom(cso, cso, approver, contributor, otherCso);
const eventArb: fc.Arbitrary<HazardLogIssueEvent> = fc.oneof(
  fc.record({ type: fc.constant("SUBMIT_FOR_REVIEW" as const), actor: actorArb, pendingUpstreamChanges: fc.integer({ min: 0, max: 2 }) }),
  fc.record({
    type: fc.constant("ISSUE" as const),
    actor: actorArb,
    baseline: fc.record({ version: fc.integer({ min: 1, max: 6 }), sha256: fc.constantFrom(sha("a"), sha("b")) }),
  }),
  fc.record({ type: fc.constant("REQUEST_CHANGES" as const), actor: actorArb, comment: fc.constantFrom("", "fix") }),
  fc.record({ type: fc.constant("START_NEW_VERSION" as const), actor: actorArb }),
);

test("property: issued versions only rise, and only the owner's CSO issues, from review", () => {
  fc.assert(
    fc.property(fc.array(eventArb, { maxLength: 30, size: "max" }), (events) => {
      let snapshot = run([]);
      for (const event of events) {
        const [next] = transition(hazardLogIssueMachine, snapshot, event);
        if (next.context.lastIssued !== snapshot.context.lastIssued) {
          expect(snapshot.value).toBe("in_review");
          expect(event).toMatchObject({ type: "ISSUE", actor: { organisationId: OWNER, role: "cso" } });
          expect(next.context.lastIssued!.version).toBeGreaterThan(snapshot.context.lastIssued?.version ?? 0);
        }
        if (next.value === "in_review" && snapshot.value === "draft") expect(event).toMatchObject({ pendingUpstreamChanges: 0 });
        snapshot = next;
      }
    }),
    { numRuns: 500 },
  );
});
