// Clinical Safety Cases: creating one, and every workflow event (submit, sign, request changes, edit
// signatories). The approval machine (workflows/safety-case-approval.machine.ts) is the only judge of
// what may happen next; this module restores it, asks `can()`, sends, and saves the new snapshot with
// a version check, the signature and the audit entry in ONE transaction.
import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { organisations, safetyCases, signatures, users } from "#db/schema/index.ts";
import {
  SAFETY_CASE_MACHINE_VERSION, SIGNATURE_MEANINGS, safetyCaseApprovalMachine, slotForActor, whyNot,
  type SafetyCaseEvent, type SafetyCaseSnapshot, type WorkflowActor,
} from "#workflows/safety-case-approval.machine.ts";
import type { SessionUser } from "./auth.server.ts";
import { authenticate } from "./auth.server.ts";
import { appendAudit } from "./audit.server.ts";
import { freezeBaseline } from "./baselines.server.ts";
import { getDb } from "./db.server.ts";
import { roleHas } from "./domain/permissions.ts";
import { defaultSignatories, slotsFrom } from "./domain/signatories.ts";
import { AppError, forbidden } from "./errors.server.ts";
import { requireLog } from "./permissions.server.ts";
import { actorsOf, buildCaseView, otherEligibleSigners, requireCase, restoreCase, type SafetyCaseView } from "./safety-case-view.server.ts";
import { initialSnapshot, step } from "./workflows.server.ts";
import { hasNoNul, NUL_MESSAGE } from "./domain/text-input.ts";

export const NewSafetyCase = z.strictObject({
  hazardLogId: z.string().trim().min(1, "Choose a hazard log"),
  title: z.string().trim().min(1, "Enter a title").max(200, "Title must be 200 characters or fewer"),
});

export async function createSafetyCase(user: SessionUser, input: z.infer<typeof NewSafetyCase>, requestId: string | null): Promise<SafetyCaseView> {
  const db = await getDb();
  const log = await requireLog(db, user, input.hazardLogId, "submit:case");
  const slots = defaultSignatories(log.scope, {
    ownerOrganisationId: log.organisationId,
    icbOrganisationId: log.facts.platform.icbOrganisationId,
    deployerOrganisationIds: log.facts.platform.deployerOrganisationIds,
  });
  const snapshot = initialSnapshot(safetyCaseApprovalMachine, { ownerOrganisationId: log.organisationId, requiredSignatories: slots });
  const row = await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(safetyCases)
      .values({ hazardLogId: log.id, organisationId: log.organisationId, title: input.title, state: "draft", machineVersion: SAFETY_CASE_MACHINE_VERSION, snapshot, createdBy: user.id })
      .returning();
    await appendAudit(tx, {
      organisationId: log.organisationId,
      actor: { userId: user.id, name: user.name, role: "cso" },
      action: "safety_case.created",
      entityType: "safety_case",
      entityId: created.id,
      changes: { title: input.title, hazardLogId: log.id, requiredSignatories: slots },
      requestId,
    });
    return created;
  });
  return buildCaseView(db, user, row, log);
}

const SignatoryPair = z.strictObject({ organisationId: z.string().uuid("Choose an organisation"), role: z.enum(["cso", "approver"]) });

export const CaseEventInput = z.strictObject({
  type: z.enum(["SUBMIT", "SIGN", "REQUEST_CHANGES", "EDIT_SIGNATORIES"], { message: "type must be SUBMIT, SIGN, REQUEST_CHANGES or EDIT_SIGNATORIES" }),
  expectedVersion: z.number({ message: "expectedVersion must be the case version you read" }).int().min(1),
  password: z.string().max(1000).optional(),
  meaning: z.enum(SIGNATURE_MEANINGS, { message: `meaning must be one of ${SIGNATURE_MEANINGS.join(", ")}` }).optional(),
  comment: z.string().trim().max(4000, "Comment must be 4000 characters or fewer").refine(hasNoNul, NUL_MESSAGE).optional(),
  signatories: z.array(SignatoryPair).min(1, "Add at least one signatory").max(50).optional(),
});
export type CaseEventInput = z.infer<typeof CaseEventInput>;

/** Which of the user's memberships acts for this event: the one that could ever do it here. */
function chooseActor(user: SessionUser, snapshot: SafetyCaseSnapshot, type: CaseEventInput["type"]): WorkflowActor | null {
  const ctx = snapshot.context;
  const candidates = actorsOf(user);
  const signingOrgs = new Set(ctx.requiredSignatories.map((s) => s.organisationId));
  const fits = (a: WorkflowActor) => {
    if (type === "SUBMIT" || type === "EDIT_SIGNATORIES") return a.organisationId === ctx.ownerOrganisationId && roleHas(a.role, "submit:case");
    if (!roleHas(a.role, "sign:case") || !signingOrgs.has(a.organisationId)) return false;
    return type !== "SIGN" || ctx.requiredSignatories.some((s) => s.organisationId === a.organisationId && s.role === a.role);
  };
  const able = candidates.filter(fits);
  if (type === "SIGN") return able.find((a) => slotForActor(ctx, a)) ?? able[0] ?? null;
  return able[0] ?? null;
}

function requireFields(input: CaseEventInput) {
  const fields: Record<string, string> = {};
  if (input.type === "SIGN" && !input.password) fields.password = "Enter your password to sign";
  if (input.type === "SIGN" && !input.meaning) fields.meaning = "Choose what your signature means";
  if (input.type === "REQUEST_CHANGES" && !input.comment) fields.comment = "Say what needs to change";
  if (input.type === "EDIT_SIGNATORIES" && !input.signatories) fields.signatories = "Choose the signatories";
  if (Object.keys(fields).length) throw new AppError("bad_request", "Some answers are missing", { fields });
}

/** Signing asks for the password again (re-authentication), throttled like sign-in. */
async function reauthenticate(user: SessionUser, password: string, clientIp: string) {
  try {
    await authenticate(await getDb(), user.email, password, clientIp);
  } catch (error) {
    if (error instanceof AppError && error.code === "unauthorised")
      throw new AppError("unauthorised", "Your password was not accepted. Nothing was signed.", { fields: { password: "Enter your correct password" } });
    throw error;
  }
}

export async function sendCaseEvent(
  user: SessionUser,
  id: string,
  input: CaseEventInput,
  ctx: { requestId: string | null; clientIp: string },
): Promise<SafetyCaseView> {
  const db = await getDb();
  const { row, log } = await requireCase(db, user, id);
  requireFields(input);
  const actor = chooseActor(user, restoreAndSnapshot(row), input.type);
  if (!actor) throw forbidden(input.type === "SIGN" || input.type === "REQUEST_CHANGES" ? "Your role in your organisation does not sign this safety case" : "Only the owning organisation's CSO can do that");
  // A stale version is refused before the (deliberately slow) password check; checked again under lock.
  if (row.version !== input.expectedVersion) throw staleVersion(input.expectedVersion, row.version, await buildCaseView(db, user, row, log));
  if (input.type === "SIGN") await reauthenticate(user, input.password!, ctx.clientIp);

  const saved = await db.transaction(async (tx) => {
    const [locked] = await tx.select().from(safetyCases).where(eq(safetyCases.id, id)).for("update");
    if (locked.version !== input.expectedVersion) throw staleVersion(input.expectedVersion, locked.version, await buildCaseView(tx, user, locked, log));
    const machine = restoreCase(locked);
    const before = machine.getSnapshot();
    let baselineId = locked.baselineId;
    let submission = locked.submission;
    let event: SafetyCaseEvent;
    switch (input.type) {
      case "SUBMIT": {
        const baseline = await freezeBaseline(tx, locked.hazardLogId, user.id);
        baselineId = baseline.id;
        submission += 1;
        event = { type: "SUBMIT", actor, baseline: { hazardLogVersion: baseline.hazardLogVersion, sha256: baseline.sha256 } };
        break;
      }
      case "SIGN": {
        const slot = slotForActor(before.context, actor);
        const others = slot ? await otherEligibleSigners(tx, [slot], user.id) : {};
        event = {
          type: "SIGN", actor, slotId: slot?.slotId ?? "", meaning: input.meaning!,
          baselineSha256: before.context.baseline?.sha256 ?? "", otherEligibleSignerCount: slot ? (others[slot.slotId] ?? 0) : 0,
        };
        break;
      }
      case "REQUEST_CHANGES":
        event = { type: "REQUEST_CHANGES", actor, comment: input.comment! };
        break;
      case "EDIT_SIGNATORIES":
        await requireKnownOrganisations(tx, input.signatories!.map((s) => s.organisationId));
        event = { type: "EDIT_SIGNATORIES", actor, signatories: slotsFrom(input.signatories!) };
        break;
    }
    const { after, persisted, state } = step(machine, event, whyNot);
    if (event.type === "SIGN") await recordSignature(tx, { caseId: id, submission, baselineId: baselineId!, event, user });
    const [updated] = await tx
      .update(safetyCases)
      .set({ snapshot: persisted, state, version: locked.version + 1, submission, baselineId: state === "draft" ? null : baselineId, updatedAt: sql`now()` })
      .where(and(eq(safetyCases.id, id), eq(safetyCases.version, input.expectedVersion)))
      .returning();
    if (!updated) throw new AppError("stale_version", "The safety case has changed since you read it");
    await appendAudit(tx, {
      organisationId: actor.organisationId,
      actor: { userId: user.id, name: user.name, role: actor.role },
      action: `safety_case.${input.type.toLowerCase()}`,
      entityType: "safety_case",
      entityId: id,
      changes: {
        from: String(before.value), to: state, version: updated.version, baseline: after.context.baseline ?? before.context.baseline,
        ...(event.type === "SIGN" ? { slotId: event.slotId, meaning: event.meaning } : {}),
        ...(event.type === "EDIT_SIGNATORIES" ? { signatories: event.signatories } : {}),
      },
      reason: input.comment ?? null,
      requestId: ctx.requestId,
    });
    return updated;
  });
  return buildCaseView(db, user, saved, log);
}

function staleVersion(sent: number, now: number, current: SafetyCaseView) {
  return new AppError("stale_version", `The safety case has changed since you read it (you sent version ${sent}, it is now at version ${now})`, { current });
}

function restoreAndSnapshot(row: Parameters<typeof restoreCase>[0]) {
  const actor = restoreCase(row);
  const snapshot = actor.getSnapshot();
  actor.stop();
  return snapshot;
}

async function requireKnownOrganisations(tx: Awaited<ReturnType<typeof getDb>>, ids: string[]) {
  const found = await tx.select({ id: organisations.id }).from(organisations).where(inArray(organisations.id, [...new Set(ids)]));
  if (found.length !== new Set(ids).size) throw new AppError("bad_request", "A signatory names an unknown organisation", { fields: { signatories: "Choose organisations that exist" } });
}

/** The signature row: printed name, organisation and role copied now, so later renames change nothing signed. */
async function recordSignature(
  tx: Awaited<ReturnType<typeof getDb>>,
  a: { caseId: string; submission: number; baselineId: string; event: Extract<SafetyCaseEvent, { type: "SIGN" }>; user: SessionUser },
) {
  const [person] = await tx.select({ name: users.name }).from(users).where(eq(users.id, a.user.id));
  const [org] = await tx.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, a.event.actor.organisationId));
  await tx.insert(signatures).values({
    safetyCaseId: a.caseId, submission: a.submission, baselineId: a.baselineId, slotId: a.event.slotId, userId: a.user.id,
    printedName: person.name, organisationId: a.event.actor.organisationId, organisationName: org.name,
    role: a.event.actor.role, meaning: a.event.meaning, sha256: a.event.baselineSha256,
  });
}
