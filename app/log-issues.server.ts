// Issuing a version of a hazard log (DCB0129 3.3.2): draft → in review → issued, with request
// changes back to draft. Issuing freezes a baseline (app/baselines.server.ts). The machine
// (workflows/hazard-log-issue.machine.ts) decides; this module restores it, asks, sends and saves
// with a version check and the audit entry in one transaction. Each issue cycle is one row; starting
// the next version after an issue opens a new row, so issued rows stay as the record.
import { and, desc, eq, isNull, ne, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import { baselines, hazards, logIssues, type LogIssueRow } from "#db/schema/index.ts";
import {
  HAZARD_LOG_ISSUE_MACHINE_VERSION, hazardLogIssueMachine, whyNot, type HazardLogIssueEvent, type HazardLogIssueSnapshot, type WorkflowActor,
} from "#workflows/hazard-log-issue.machine.ts";
import type { SessionUser } from "./auth.server.ts";
import { appendAudit } from "./audit.server.ts";
import { freezeBaseline } from "./baselines.server.ts";
import { getDb } from "./db.server.ts";
import { AppError, forbidden } from "./errors.server.ts";
import type { Tx } from "./hazard-store.server.ts";
import { requireLog, type LogWithFacts } from "./permissions.server.ts";
import { initialSnapshot, restore, step } from "./workflows.server.ts";
import { hasNoNul, NUL_MESSAGE } from "./domain/text-input.ts";

export const LogIssueEventInput = z.strictObject({
  type: z.enum(["SUBMIT_FOR_REVIEW", "ISSUE", "REQUEST_CHANGES", "START_NEW_VERSION"], { message: "type must be SUBMIT_FOR_REVIEW, ISSUE, REQUEST_CHANGES or START_NEW_VERSION" }),
  expectedVersion: z.number({ message: "expectedVersion must be the version you read" }).int().min(0),
  comment: z.string().trim().max(4000).refine(hasNoNul, NUL_MESSAGE).optional(),
});
export type LogIssueEventInput = z.infer<typeof LogIssueEventInput>;

export type LogIssueView = {
  hazardLogId: string;
  number: number;
  state: "draft" | "in_review" | "issued";
  version: number;
  allowedEvents: string[];
  changeRequest: { comment: string } | null;
  pendingUpstreamChanges: number;
  issued: { number: number; hazardLogVersion: number; sha256: string; issuedAt: string }[];
};

const EVENT_TYPES = ["SUBMIT_FOR_REVIEW", "ISSUE", "REQUEST_CHANGES", "START_NEW_VERSION"] as const;

function restoreIssue(row: Pick<LogIssueRow, "snapshot" | "machineVersion">, ownerOrganisationId: string) {
  return restore(hazardLogIssueMachine, row, HAZARD_LOG_ISSUE_MACHINE_VERSION, { ownerOrganisationId });
}

/** Inherited hazards whose upstream version this log has not accepted yet. */
export async function pendingUpstreamChanges(tx: Tx, hazardLogId: string): Promise<number> {
  const upstream = alias(hazards, "upstream");
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(hazards)
    .innerJoin(upstream, eq(upstream.id, hazards.upstreamHazardId))
    .where(and(eq(hazards.hazardLogId, hazardLogId), or(isNull(hazards.upstreamAcceptedVersion), ne(hazards.upstreamAcceptedVersion, upstream.version))));
  return row?.n ?? 0;
}

function actorFor(user: SessionUser, log: LogWithFacts): WorkflowActor | null {
  const m = user.memberships.find((x) => x.organisationId === log.organisationId);
  return m ? { userId: user.id, organisationId: m.organisationId, role: m.role } : null;
}

/** A representative event of each type, to ask the machine what this user may do now. */
function sample(type: (typeof EVENT_TYPES)[number], actor: WorkflowActor, pending: number, nextVersion: number): HazardLogIssueEvent {
  if (type === "SUBMIT_FOR_REVIEW") return { type, actor, pendingUpstreamChanges: pending };
  if (type === "ISSUE") return { type, actor, baseline: { version: nextVersion, sha256: "0".repeat(64) } };
  if (type === "REQUEST_CHANGES") return { type, actor, comment: "representative" };
  return { type, actor };
}

async function currentRow(tx: Tx, hazardLogId: string) {
  const [row] = await tx.select().from(logIssues).where(eq(logIssues.hazardLogId, hazardLogId)).orderBy(desc(logIssues.number)).limit(1);
  return row;
}

export async function getLogIssue(user: SessionUser, hazardLogId: string): Promise<LogIssueView> {
  const db = await getDb();
  const log = await requireLog(db, user, hazardLogId);
  return buildView(db, user, log, await currentRow(db, log.id));
}

async function buildView(tx: Tx, user: SessionUser, log: LogWithFacts, row: LogIssueRow | undefined): Promise<LogIssueView> {
  const snapshot: HazardLogIssueSnapshot = row ? snapshotOf(row, log.organisationId) : restoreInitial(log.organisationId);
  const pending = await pendingUpstreamChanges(tx, log.id);
  const actor = actorFor(user, log);
  const issuedRows = await tx
    .select({ number: logIssues.number, version: baselines.hazardLogVersion, sha256: baselines.sha256, at: logIssues.updatedAt })
    .from(logIssues)
    .innerJoin(baselines, eq(baselines.id, logIssues.baselineId))
    .where(and(eq(logIssues.hazardLogId, log.id), eq(logIssues.state, "issued")))
    .orderBy(desc(logIssues.number));
  const nextVersion = (snapshot.context.lastIssued?.version ?? 0) + 1;
  return {
    hazardLogId: log.id,
    number: row?.number ?? 1,
    state: String(snapshot.value) as LogIssueView["state"],
    version: row?.version ?? 0,
    allowedEvents: actor ? EVENT_TYPES.filter((t) => snapshot.can(sample(t, actor, pending, nextVersion))) : [],
    changeRequest: snapshot.context.changeRequest ? { comment: snapshot.context.changeRequest.comment } : null,
    pendingUpstreamChanges: pending,
    issued: issuedRows.map((r) => ({ number: r.number, hazardLogVersion: r.version, sha256: r.sha256, issuedAt: r.at.toISOString() })),
  };
}

function snapshotOf(row: LogIssueRow, owner: string) {
  const actor = restoreIssue(row, owner);
  const s = actor.getSnapshot();
  actor.stop();
  return s;
}

function restoreInitial(owner: string) {
  return snapshotOf({ snapshot: initialSnapshot(hazardLogIssueMachine, { ownerOrganisationId: owner }), machineVersion: HAZARD_LOG_ISSUE_MACHINE_VERSION } as LogIssueRow, owner);
}

export async function sendLogIssueEvent(user: SessionUser, hazardLogId: string, input: LogIssueEventInput, requestId: string | null): Promise<LogIssueView> {
  const db = await getDb();
  const log = await requireLog(db, user, hazardLogId);
  const actor = actorFor(user, log);
  const mayAct = actor && (actor.role === "cso" || (actor.role === "approver" && input.type === "REQUEST_CHANGES"));
  if (!actor || !mayAct) throw forbidden(input.type === "REQUEST_CHANGES" ? "Only the owning organisation's CSO or approver can request changes" : "Only the owning organisation's CSO can do that");
  if (input.type === "REQUEST_CHANGES" && !input.comment) throw new AppError("bad_request", "Say what needs to change", { fields: { comment: "Say what needs to change" } });
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`log-issue:${log.id}`}))`);
    let row = await currentRow(tx, log.id);
    if ((row?.version ?? 0) !== input.expectedVersion)
      throw new AppError("stale_version", `The log's issue has changed since you read it (you sent version ${input.expectedVersion}, it is now at version ${row?.version ?? 0})`);
    if (!row)
      [row] = await tx.insert(logIssues).values({ hazardLogId: log.id, number: 1, state: "draft", version: 0, machineVersion: HAZARD_LOG_ISSUE_MACHINE_VERSION, snapshot: initialSnapshot(hazardLogIssueMachine, { ownerOrganisationId: log.organisationId }), createdBy: user.id }).returning();
    const machine = restoreIssue(row, log.organisationId);
    const before = machine.getSnapshot();
    let baselineId = row.baselineId;
    let event: HazardLogIssueEvent;
    if (input.type === "SUBMIT_FOR_REVIEW") event = { type: input.type, actor, pendingUpstreamChanges: await pendingUpstreamChanges(tx, log.id) };
    else if (input.type === "ISSUE") {
      const baseline = await freezeBaseline(tx, log.id, user.id);
      baselineId = baseline.id;
      event = { type: "ISSUE", actor, baseline: { version: baseline.hazardLogVersion, sha256: baseline.sha256 } };
    } else if (input.type === "REQUEST_CHANGES") event = { type: input.type, actor, comment: input.comment! };
    else event = { type: input.type, actor };
    const { persisted, state } = step(machine, event, whyNot);
    if (input.type === "START_NEW_VERSION") {
      // The issued row stays as the record of that issue; the next version gets its own row.
      await tx.insert(logIssues).values({ hazardLogId: log.id, number: row.number + 1, state, version: row.version + 1, machineVersion: HAZARD_LOG_ISSUE_MACHINE_VERSION, snapshot: persisted, createdBy: user.id });
    } else {
      await tx.update(logIssues).set({ snapshot: persisted, state, version: row.version + 1, baselineId: state === "issued" ? baselineId : row.baselineId, updatedAt: sql`now()` }).where(and(eq(logIssues.id, row.id), eq(logIssues.version, row.version)));
    }
    await appendAudit(tx, {
      organisationId: log.organisationId,
      actor: { userId: user.id, name: user.name, role: actor.role },
      action: `hazard_log.${input.type.toLowerCase()}`,
      entityType: "hazard_log",
      entityId: log.id,
      changes: { from: String(before.value), to: state, issue: row.number, ...(event.type === "ISSUE" ? { baseline: event.baseline } : {}) },
      reason: input.comment ?? null,
      requestId,
    });
    return buildView(tx, user, log, await currentRow(tx, log.id));
  });
}
