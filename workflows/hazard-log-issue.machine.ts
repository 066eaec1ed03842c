// Issuing a version of a hazard log: the owning organisation's CSO approves each version
// (DCB0129 3.3.2; domain reference §6.3). Pure decision logic; the server sets each event's actor
// from the session and refuses whatever `snapshot.can(event)` refuses.
import { assign, setup, type SnapshotFrom } from "xstate";

/** Stored next to every snapshot; bump it (and migrate snapshots) when stored context stops fitting. */
export const HAZARD_LOG_ISSUE_MACHINE_VERSION = 1;

export type ActorRole = "cso" | "contributor" | "approver" | "viewer" | "admin";
/** Who sends an event. Always set by the server from the session, never taken from the request. */
export type WorkflowActor = { userId: string; organisationId: string; role: ActorRole };
export type IssuedVersion = { version: number; sha256: string };

export type HazardLogIssueInput = { ownerOrganisationId: string; lastIssued?: IssuedVersion | null };

// JSON only: the snapshot lives in a jsonb column (stack notes §4).
export type HazardLogIssueContext = {
  ownerOrganisationId: string;
  /** The latest issued version; kept through START_NEW_VERSION so version numbers only rise. */
  lastIssued: IssuedVersion | null;
  changeRequest: { comment: string; requestedBy: WorkflowActor } | null;
};

export type HazardLogIssueEvent =
  | {
      type: "SUBMIT_FOR_REVIEW";
      actor: WorkflowActor;
      /** Inherited hazards whose upstream version this organisation has not accepted, counted by the server. */
      pendingUpstreamChanges: number;
    }
  | { type: "ISSUE"; actor: WorkflowActor; baseline: IssuedVersion }
  | { type: "REQUEST_CHANGES"; actor: WorkflowActor; comment: string }
  | { type: "START_NEW_VERSION"; actor: WorkflowActor };

const SHA256_HEX = /^[0-9a-f]{64}$/;

function isOwner(context: HazardLogIssueContext, actor: WorkflowActor, roles: ActorRole[]): boolean {
  return actor.organisationId === context.ownerOrganisationId && roles.includes(actor.role);
}

/** Why the rules refuse an event in the current context, or null. Which state accepts it is the machine's job. */
function checkEvent(context: HazardLogIssueContext, event: HazardLogIssueEvent): string | null {
  switch (event.type) {
    case "SUBMIT_FOR_REVIEW": {
      if (!isOwner(context, event.actor, ["cso"])) return "Only the owning organisation's CSO can submit the log for review";
      const pending = event.pendingUpstreamChanges;
      if (!Number.isInteger(pending) || pending < 0) return "The number of pending upstream changes is missing";
      // An issued log must not silently disagree with the hazards it inherits.
      if (pending === 1) return "1 upstream change has not been reviewed";
      if (pending > 1) return `${pending} upstream changes have not been reviewed`;
      return null;
    }
    case "ISSUE": {
      if (!isOwner(context, event.actor, ["cso"])) return "Only the owning organisation's CSO can issue the log";
      const { version, sha256 } = event.baseline;
      if (!Number.isInteger(version) || version < 1 || !SHA256_HEX.test(sha256))
        return "The issued version needs a version number and its SHA-256";
      if (context.lastIssued && version <= context.lastIssued.version)
        return `Version ${context.lastIssued.version} has already been issued; issue a later version`;
      return null;
    }
    case "REQUEST_CHANGES":
      if (!isOwner(context, event.actor, ["cso", "approver"]))
        return "Only a CSO or an approver of the owning organisation can request changes";
      if (event.comment.trim() === "") return "Say what needs to change";
      return null;
    case "START_NEW_VERSION":
      if (!isOwner(context, event.actor, ["cso"])) return "Only the owning organisation's CSO can start a new version";
      return null;
  }
}

export const hazardLogIssueMachine = setup({
  types: {
    context: {} as HazardLogIssueContext,
    events: {} as HazardLogIssueEvent,
    input: {} as HazardLogIssueInput,
  },
  guards: {
    maySubmitForReview: ({ context, event }) => event.type === "SUBMIT_FOR_REVIEW" && checkEvent(context, event) === null,
    mayIssue: ({ context, event }) => event.type === "ISSUE" && checkEvent(context, event) === null,
    mayRequestChanges: ({ context, event }) => event.type === "REQUEST_CHANGES" && checkEvent(context, event) === null,
    mayStartNewVersion: ({ context, event }) => event.type === "START_NEW_VERSION" && checkEvent(context, event) === null,
  },
  actions: {
    clearChangeRequest: assign({ changeRequest: null }),
    recordIssue: assign({
      lastIssued: ({ context, event }) =>
        event.type === "ISSUE" ? { version: event.baseline.version, sha256: event.baseline.sha256 } : context.lastIssued,
    }),
    recordChangeRequest: assign({
      changeRequest: ({ event }) =>
        event.type === "REQUEST_CHANGES" ? { comment: event.comment.trim(), requestedBy: { ...event.actor } } : null,
    }),
  },
}).createMachine({
  id: "hazardLogIssue",
  version: String(HAZARD_LOG_ISSUE_MACHINE_VERSION),
  initial: "draft",
  context: ({ input }) => ({
    ownerOrganisationId: input.ownerOrganisationId,
    lastIssued: input.lastIssued ? { ...input.lastIssued } : null,
    changeRequest: null,
  }),
  states: {
    draft: {
      on: {
        SUBMIT_FOR_REVIEW: { guard: "maySubmitForReview", target: "in_review", actions: "clearChangeRequest" },
      },
    },
    in_review: {
      on: {
        ISSUE: { guard: "mayIssue", target: "issued", actions: "recordIssue" },
        REQUEST_CHANGES: { guard: "mayRequestChanges", target: "draft", actions: "recordChangeRequest" },
      },
    },
    // Not `final`: an issued version stays issued, and the next version starts from here.
    issued: {
      on: { START_NEW_VERSION: { guard: "mayStartNewVersion", target: "draft" } },
    },
  },
});

export type HazardLogIssueSnapshot = SnapshotFrom<typeof hazardLogIssueMachine>;

/** A sentence saying why `snapshot.can(event)` is false (for the 422 message), or null when it is accepted. */
export function whyNot(snapshot: HazardLogIssueSnapshot, event: HazardLogIssueEvent): string | null {
  if (snapshot.can(event)) return null;
  const acceptsType = snapshot.machine.states[snapshot.value]?.ownEvents.includes(event.type);
  if (!acceptsType) return `${event.type} is not possible while the log is ${snapshot.value.replace("_", " ")}`;
  return checkEvent(snapshot.context, event) ?? `${event.type} is not allowed now`;
}
