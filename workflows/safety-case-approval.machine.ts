// Sign-off of a Clinical Safety Case (DCB0129 3.3.2/3.5.2, DCB0160; domain reference §6.3): a named
// person, in a named role, for a named organisation, approves one frozen baseline of the hazard log.
// Pure decision logic. The server restores the snapshot, sets every event's `actor` from the session,
// refuses what `snapshot.can(event)` refuses (XState drops it silently otherwise), then persists.
import { assign, setup, type SnapshotFrom } from "xstate";

/** Stored next to every snapshot; bump it (and migrate snapshots) when stored context stops fitting. */
export const SAFETY_CASE_MACHINE_VERSION = 1;

export type ActorRole = "cso" | "contributor" | "approver" | "viewer" | "admin";
/** Who sends an event. Always set by the server from the session, never taken from the request. */
export type WorkflowActor = { userId: string; organisationId: string; role: ActorRole };
export type SignatoryRole = "cso" | "approver";
export type SignatorySlot = { slotId: string; organisationId: string; role: SignatoryRole };
export const SIGNATURE_MEANINGS = ["approved", "reviewed", "accepted_on_behalf_of_organisation"] as const;
export type SignatureMeaning = (typeof SIGNATURE_MEANINGS)[number];
export type Baseline = { hazardLogVersion: number; sha256: string };
export type Signature = {
  slotId: string;
  userId: string;
  organisationId: string;
  role: SignatoryRole;
  meaning: SignatureMeaning;
  baselineSha256: string;
};

export type SafetyCaseInput = { ownerOrganisationId: string; requiredSignatories: SignatorySlot[] };

// JSON only: the snapshot lives in a jsonb column (stack notes §4).
export type SafetyCaseContext = {
  ownerOrganisationId: string;
  requiredSignatories: SignatorySlot[];
  baseline: Baseline | null;
  submittedBy: { userId: string; organisationId: string } | null;
  signatures: Signature[];
  /** Per signed slot, the server's count of other eligible signers at signing time: why a self-signature was allowed. */
  otherEligibleSigners: Record<string, number>;
  changeRequest: { comment: string; requestedBy: WorkflowActor } | null;
  returnReason: string | null;
};

export type SafetyCaseEvent =
  | { type: "EDIT_SIGNATORIES"; actor: WorkflowActor; signatories: SignatorySlot[] }
  | { type: "SUBMIT"; actor: WorkflowActor; baseline: Baseline }
  | {
      type: "SIGN";
      actor: WorkflowActor;
      slotId: string;
      meaning: SignatureMeaning;
      baselineSha256: string;
      /** Other active users (not the actor) eligible for this slot, counted by the server. */
      otherEligibleSignerCount: number;
    }
  | { type: "REQUEST_CHANGES"; actor: WorkflowActor; comment: string }
  | { type: "INVALIDATE_BASELINE"; actor: WorkflowActor };

export type SafetyCaseEventType = SafetyCaseEvent["type"];
export const BASELINE_CHANGED_REASON = "baseline changed: re-signature needed";
const SHA256_HEX = /^[0-9a-f]{64}$/;

function isOwnerCso(context: SafetyCaseContext, actor: WorkflowActor): boolean {
  return actor.role === "cso" && actor.organisationId === context.ownerOrganisationId;
}

function isValidBaseline(baseline: Baseline): boolean {
  return Number.isInteger(baseline.hazardLogVersion) && baseline.hazardLogVersion >= 1 && SHA256_HEX.test(baseline.sha256);
}

function checkSignatories(slots: SignatorySlot[]): string | null {
  const isWellFormed = (s: SignatorySlot) =>
    s.slotId.length > 0 && s.organisationId.length > 0 && (s.role === "cso" || s.role === "approver");
  if (!slots.every(isWellFormed)) return "Each signatory needs a slot id, an organisation and the role cso or approver";
  if (new Set(slots.map((s) => s.slotId)).size !== slots.length) return "Signatory slot ids must be unique";
  return null;
}

function checkSign(context: SafetyCaseContext, event: Extract<SafetyCaseEvent, { type: "SIGN" }>): string | null {
  const { actor } = event;
  // Contributors, viewers and admins never sign, whatever the slot says.
  if (actor.role !== "cso" && actor.role !== "approver") return "Only a CSO or an approver can sign";
  const slot = context.requiredSignatories.find((s) => s.slotId === event.slotId);
  if (!slot) return "There is no such signatory slot";
  if (slot.organisationId !== actor.organisationId) return "This slot belongs to another organisation";
  if (slot.role !== actor.role) return `This slot needs the role ${slot.role}`;
  if (!SIGNATURE_MEANINGS.includes(event.meaning)) return "Unknown signature meaning";
  if (context.signatures.some((s) => s.slotId === slot.slotId)) return "This slot has already been signed";
  // One person, one signature: two slots of one organisation and role need two people.
  if (context.signatures.some((s) => s.userId === actor.userId)) return "You have already signed this safety case";
  if (event.baselineSha256 !== context.baseline?.sha256) return "The baseline has changed since you read it";
  const count = event.otherEligibleSignerCount;
  if (!Number.isInteger(count) || count < 0) return "The number of other eligible signers is missing";
  // Separation of duties: whoever submitted the case should not also approve it for their own
  // organisation when someone else could. Small organisations often have a single CSO, who then
  // necessarily both submits and signs (contract §4: the demo data has one eligible person per slot),
  // so the rule only bites when the server counts at least one OTHER active eligible signer.
  const isSubmitter =
    context.submittedBy?.userId === actor.userId && context.submittedBy.organisationId === slot.organisationId;
  if (isSubmitter && count > 0) return "Another eligible person must sign for your organisation, as you submitted the case";
  return null;
}

/** Why the rules refuse an event in the current context, or null. Which state accepts it is the machine's job. */
function checkEvent(context: SafetyCaseContext, event: SafetyCaseEvent): string | null {
  switch (event.type) {
    case "EDIT_SIGNATORIES":
      if (!isOwnerCso(context, event.actor)) return "Only the owning organisation's CSO can change the signatories";
      return checkSignatories(event.signatories);
    case "SUBMIT":
      if (!isOwnerCso(context, event.actor)) return "Only the owning organisation's CSO can submit the safety case";
      if (context.requiredSignatories.length === 0) return "Add at least one required signatory before submitting";
      if (!isValidBaseline(event.baseline)) return "The baseline needs a hazard log version and its SHA-256";
      return null;
    case "SIGN":
      return checkSign(context, event);
    case "REQUEST_CHANGES": {
      const { actor } = event;
      const isSigningOrg = context.requiredSignatories.some((s) => s.organisationId === actor.organisationId);
      if (!(actor.role === "cso" || actor.role === "approver") || !isSigningOrg)
        return "Only a CSO or an approver of a signing organisation can request changes";
      if (event.comment.trim() === "") return "Say what needs to change";
      return null;
    }
    case "INVALIDATE_BASELINE":
      return null; // a fact reported by the server after the log changed, not a user's decision
  }
}

/** Required slots still without a signature on the current baseline. */
export function missingSlots(context: SafetyCaseContext): SignatorySlot[] {
  const signed = new Set(
    context.signatures.filter((s) => s.baselineSha256 === context.baseline?.sha256).map((s) => s.slotId),
  );
  return context.requiredSignatories.filter((slot) => !signed.has(slot.slotId));
}

export const safetyCaseApprovalMachine = setup({
  types: {
    context: {} as SafetyCaseContext,
    events: {} as SafetyCaseEvent,
    input: {} as SafetyCaseInput,
  },
  guards: {
    mayEditSignatories: ({ context, event }) => event.type === "EDIT_SIGNATORIES" && checkEvent(context, event) === null,
    maySubmit: ({ context, event }) => event.type === "SUBMIT" && checkEvent(context, event) === null,
    maySign: ({ context, event }) => event.type === "SIGN" && checkEvent(context, event) === null,
    mayRequestChanges: ({ context, event }) => event.type === "REQUEST_CHANGES" && checkEvent(context, event) === null,
    // A case with no slots is never "all signed": SUBMIT needs one, this keeps the rule local.
    allSlotsSigned: ({ context }) =>
      context.baseline !== null && context.requiredSignatories.length > 0 && missingSlots(context).length === 0,
  },
  actions: {
    setSignatories: assign({
      requiredSignatories: ({ event }) => (event.type === "EDIT_SIGNATORIES" ? event.signatories.map((s) => ({ ...s })) : []),
    }),
    freezeBaseline: assign(({ event }) => {
      if (event.type !== "SUBMIT") return {};
      const { baseline, actor } = event;
      return {
        baseline: { hazardLogVersion: baseline.hazardLogVersion, sha256: baseline.sha256 },
        submittedBy: { userId: actor.userId, organisationId: actor.organisationId },
        signatures: [],
        otherEligibleSigners: {},
        changeRequest: null,
        returnReason: null,
      };
    }),
    recordSignature: assign(({ context, event }) => {
      if (event.type !== "SIGN") return {};
      const slot = context.requiredSignatories.find((s) => s.slotId === event.slotId);
      if (!slot) return {};
      const { userId, organisationId } = event.actor;
      const signature: Signature = {
        slotId: slot.slotId,
        userId,
        organisationId,
        role: slot.role,
        meaning: event.meaning,
        baselineSha256: event.baselineSha256,
      };
      return {
        signatures: [...context.signatures, signature],
        otherEligibleSigners: { ...context.otherEligibleSigners, [slot.slotId]: event.otherEligibleSignerCount },
      };
    }),
    // Both ways back to draft release the baseline: signatures bind to it, so none survive.
    releaseForChanges: assign(({ event }) => ({
      baseline: null,
      submittedBy: null,
      signatures: [],
      otherEligibleSigners: {},
      changeRequest: event.type === "REQUEST_CHANGES" ? { comment: event.comment.trim(), requestedBy: { ...event.actor } } : null,
      returnReason: "changes requested",
    })),
    releaseForChangedBaseline: assign({
      baseline: null,
      submittedBy: null,
      signatures: [],
      otherEligibleSigners: {},
      changeRequest: null,
      returnReason: BASELINE_CHANGED_REASON,
    }),
  },
}).createMachine({
  id: "safetyCaseApproval",
  version: String(SAFETY_CASE_MACHINE_VERSION),
  initial: "draft",
  context: ({ input }) => ({
    ownerOrganisationId: input.ownerOrganisationId,
    requiredSignatories: input.requiredSignatories.map((s) => ({ ...s })),
    baseline: null,
    submittedBy: null,
    signatures: [],
    otherEligibleSigners: {},
    changeRequest: null,
    returnReason: null,
  }),
  states: {
    draft: {
      on: {
        EDIT_SIGNATORIES: { guard: "mayEditSignatories", actions: "setSignatories" },
        SUBMIT: { guard: "maySubmit", target: "in_review", actions: "freezeBaseline" },
      },
    },
    in_review: {
      // Checked after every SIGN: the last required signature approves the case.
      always: { guard: "allSlotsSigned", target: "approved" },
      on: {
        SIGN: { guard: "maySign", actions: "recordSignature" },
        REQUEST_CHANGES: { guard: "mayRequestChanges", target: "draft", actions: "releaseForChanges" },
        INVALIDATE_BASELINE: { target: "draft", actions: "releaseForChangedBaseline" },
      },
    },
    approved: { type: "final" },
  },
});

export type SafetyCaseSnapshot = SnapshotFrom<typeof safetyCaseApprovalMachine>;

/** The events a user may send; INVALIDATE_BASELINE is the server's own and never offered. */
export const USER_EVENT_TYPES = ["EDIT_SIGNATORIES", "SUBMIT", "SIGN", "REQUEST_CHANGES"] as const;
export type UserEventType = (typeof USER_EVENT_TYPES)[number];

/** The first unsigned slot this actor could fill (the API's SIGN names no slot; the server picks it). */
export function slotForActor(context: SafetyCaseContext, actor: WorkflowActor): SignatorySlot | null {
  const signed = new Set(context.signatures.map((s) => s.slotId));
  const fits = (s: SignatorySlot) =>
    !signed.has(s.slotId) && s.organisationId === actor.organisationId && s.role === actor.role;
  return context.requiredSignatories.find(fits) ?? null;
}

/**
 * The user events `snapshot.can` accepts for this actor, for the `allowedEvents` field. Each type is
 * tried with a representative, well-formed event. `otherEligibleSigners` (slot id → count) lets the
 * server apply the separation-of-duties rule here too; a slot left out counts as nobody else.
 */
export function allowedEventTypes(
  snapshot: SafetyCaseSnapshot,
  actor: WorkflowActor,
  otherEligibleSigners: Record<string, number> = {},
): UserEventType[] {
  const { context } = snapshot;
  const slot = slotForActor(context, actor);
  const candidates: Record<UserEventType, SafetyCaseEvent | null> = {
    EDIT_SIGNATORIES: { type: "EDIT_SIGNATORIES", actor, signatories: context.requiredSignatories },
    // Placeholder baseline: the server computes the real one when the event is sent.
    SUBMIT: { type: "SUBMIT", actor, baseline: { hazardLogVersion: 1, sha256: "0".repeat(64) } },
    SIGN: slot && {
      type: "SIGN",
      actor,
      slotId: slot.slotId,
      meaning: "approved",
      baselineSha256: context.baseline?.sha256 ?? "",
      otherEligibleSignerCount: otherEligibleSigners[slot.slotId] ?? 0,
    },
    REQUEST_CHANGES: { type: "REQUEST_CHANGES", actor, comment: "representative" },
  };
  return USER_EVENT_TYPES.filter((type) => {
    const event = candidates[type];
    return event !== null && snapshot.can(event);
  });
}

/** A sentence saying why `snapshot.can(event)` is false, or null when the event is accepted. */
export function whyNot(snapshot: SafetyCaseSnapshot, event: SafetyCaseEvent): string | null {
  if (snapshot.can(event)) return null;
  if (snapshot.status !== "active") return "The safety case is approved; nothing more can change";
  const acceptsType = snapshot.machine.states[snapshot.value]?.ownEvents.includes(event.type);
  if (!acceptsType) return `${event.type} is not possible while the safety case is ${snapshot.value.replace("_", " ")}`;
  return checkEvent(snapshot.context, event) ?? `${event.type} is not allowed now`;
}
