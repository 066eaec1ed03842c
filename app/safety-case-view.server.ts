// A Clinical Safety Case as the page and the API show it (contract §4 SafetyCase), and the lists of
// the home page. Reading only; every change goes through app/safety-cases.server.ts.
import { and, asc, eq, inArray, ne } from "drizzle-orm";
import { baselines, memberships, organisations, safetyCases, signatures, users, type SafetyCaseRow, type SignatureRow } from "#db/schema/index.ts";
import type { Db } from "#db/client.ts";
import {
  SAFETY_CASE_MACHINE_VERSION, allowedEventTypes, missingSlots, safetyCaseApprovalMachine,
  type SafetyCaseContext, type SafetyCaseSnapshot, type SignatorySlot, type WorkflowActor,
} from "#workflows/safety-case-approval.machine.ts";
import type { SessionUser } from "./auth.server.ts";
import { changedSince } from "./baselines.server.ts";
import { getDb } from "./db.server.ts";
import { isUuid } from "./domain/ids.ts";
import { notFound } from "./errors.server.ts";
import { loadLogsWithFacts, type LogWithFacts } from "./permissions.server.ts";
import { canReadLog } from "./domain/permissions.ts";
import { restore } from "./workflows.server.ts";

export type SignatureView = {
  user: { id: string; name: string };
  organisation: { id: string; name: string };
  role: string;
  meaning: string;
  signedAt: string;
  sha256: string;
  hazardLogVersion: number;
};

export type SafetyCaseView = {
  id: string;
  title: string;
  hazardLogId: string;
  hazardLog: { id: string; title: string; scope: string };
  organisation: { id: string; name: string };
  state: "draft" | "in_review" | "approved";
  version: number;
  baseline: { hazardLogVersion: number; sha256: string; frozenAt: string } | null;
  requiredSignatories: { slotId: string; organisationId: string; organisationName: string; role: string; signed: boolean }[];
  signatures: SignatureView[];
  /** Signatures of earlier rounds: still valid for the baseline they name, never for a later one. */
  supersededSignatures: SignatureView[];
  allowedEvents: string[];
  submittedBy: { id: string; name: string } | null;
  changeRequest: { comment: string; by: { id: string; name: string } } | null;
  returnReason: string | null;
  /** The log has changed since the baseline was frozen: a new baseline needs new signatures. */
  reSignatureNeeded: boolean;
  createdAt: string;
  updatedAt: string;
};

export function restoreCase(row: Pick<SafetyCaseRow, "snapshot" | "machineVersion" | "organisationId">) {
  return restore(safetyCaseApprovalMachine, row, SAFETY_CASE_MACHINE_VERSION, { ownerOrganisationId: row.organisationId, requiredSignatories: [] });
}

export function snapshotOfCase(row: Pick<SafetyCaseRow, "snapshot" | "machineVersion" | "organisationId">): SafetyCaseSnapshot {
  const actor = restoreCase(row);
  const snapshot = actor.getSnapshot();
  actor.stop();
  return snapshot;
}

/** The case and its log if the user may read the log; 404 otherwise (exactly as if absent). */
export async function requireCase(db: Db, user: SessionUser, id: string): Promise<{ row: SafetyCaseRow; log: LogWithFacts }> {
  if (!isUuid(id)) throw notFound("Safety case");
  const [row] = await db.select().from(safetyCases).where(eq(safetyCases.id, id));
  if (!row) throw notFound("Safety case");
  const [log] = await loadLogsWithFacts(db, [row.hazardLogId]);
  if (!log || !canReadLog(user.memberships, log.facts)) throw notFound("Safety case");
  return { row, log };
}

/** Each of the user's memberships as a workflow actor (the server, never the request, says who acts). */
export function actorsOf(user: SessionUser): WorkflowActor[] {
  const active = user.memberships.filter((m) => m.organisationId === user.activeOrganisationId);
  const rest = user.memberships.filter((m) => m.organisationId !== user.activeOrganisationId);
  return [...active, ...rest].map((m) => ({ userId: user.id, organisationId: m.organisationId, role: m.role }));
}

/** Per slot, how many OTHER active people could sign it (the separation-of-duties rule needs it). */
export async function otherEligibleSigners(db: Db, slots: SignatorySlot[], userId: string): Promise<Record<string, number>> {
  if (slots.length === 0) return {};
  const rows = await db
    .select({ organisationId: memberships.organisationId, role: memberships.role })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(inArray(memberships.organisationId, [...new Set(slots.map((s) => s.organisationId))]), eq(memberships.active, true), eq(users.active, true), ne(memberships.userId, userId)));
  return Object.fromEntries(slots.map((s) => [s.slotId, rows.filter((r) => r.organisationId === s.organisationId && r.role === s.role).length]));
}

function signatureView(s: SignatureRow, hazardLogVersion: number): SignatureView {
  return {
    user: { id: s.userId, name: s.printedName },
    organisation: { id: s.organisationId, name: s.organisationName },
    role: s.role,
    meaning: s.meaning,
    signedAt: s.signedAt.toISOString(),
    sha256: s.sha256,
    hazardLogVersion,
  };
}

export async function buildCaseView(db: Db, user: SessionUser, row: SafetyCaseRow, log: LogWithFacts): Promise<SafetyCaseView> {
  const snapshot = snapshotOfCase(row);
  const context: SafetyCaseContext = snapshot.context;
  const slots = context.requiredSignatories;
  const orgIds = [...new Set([row.organisationId, ...slots.map((s) => s.organisationId)])];
  const orgRows = await db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, orgIds));
  const orgName = new Map(orgRows.map((o) => [o.id, o.name]));
  const sigRows = await db
    .select({ s: signatures, version: baselines.hazardLogVersion })
    .from(signatures)
    .innerJoin(baselines, eq(baselines.id, signatures.baselineId))
    .where(eq(signatures.safetyCaseId, row.id))
    .orderBy(asc(signatures.signedAt));
  const current = sigRows.filter((r) => r.s.submission === row.submission && context.baseline?.sha256 === r.s.sha256);
  const superseded = sigRows.filter((r) => !current.includes(r));
  const [baseline] = row.baselineId ? await db.select().from(baselines).where(eq(baselines.id, row.baselineId)) : [];
  const others = await otherEligibleSigners(db, slots, user.id);
  const allowed = new Set(actorsOf(user).flatMap((a) => allowedEventTypes(snapshot, a, others)));
  const missing = new Set(missingSlots(context).map((s) => s.slotId));
  const peopleIds = [context.submittedBy?.userId, context.changeRequest?.requestedBy.userId].filter((x): x is string => !!x);
  const people = peopleIds.length ? await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, peopleIds)) : [];
  const person = (id: string) => ({ id, name: people.find((p) => p.id === id)?.name ?? "Unknown person" });
  return {
    id: row.id,
    title: row.title,
    hazardLogId: row.hazardLogId,
    hazardLog: { id: log.id, title: log.title, scope: log.scope },
    organisation: { id: row.organisationId, name: orgName.get(row.organisationId) ?? "" },
    state: row.state as SafetyCaseView["state"],
    version: row.version,
    baseline: context.baseline && baseline ? { ...context.baseline, frozenAt: baseline.createdAt.toISOString() } : null,
    requiredSignatories: slots.map((s) => ({ ...s, organisationName: orgName.get(s.organisationId) ?? "", signed: context.baseline !== null && !missing.has(s.slotId) })),
    signatures: current.map((r) => signatureView(r.s, r.version)),
    supersededSignatures: superseded.map((r) => signatureView(r.s, r.version)),
    allowedEvents: [...allowed],
    submittedBy: context.submittedBy ? person(context.submittedBy.userId) : null,
    changeRequest: context.changeRequest ? { comment: context.changeRequest.comment, by: person(context.changeRequest.requestedBy.userId) } : null,
    returnReason: context.returnReason,
    reSignatureNeeded: baseline ? await changedSince(db, baseline) : false,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function getSafetyCase(user: SessionUser, id: string): Promise<SafetyCaseView> {
  const db = await getDb();
  const { row, log } = await requireCase(db, user, id);
  return buildCaseView(db, user, row, log);
}

/** Every case on logs the user can read, newest first, with the log facts. */
export async function readableCases(db: Db, user: SessionUser) {
  const rows = await db.select().from(safetyCases).orderBy(asc(safetyCases.createdAt));
  const logs = await loadLogsWithFacts(db, [...new Set(rows.map((r) => r.hazardLogId))]);
  const readable = new Map(logs.filter((l) => canReadLog(user.memberships, l.facts)).map((l) => [l.id, l]));
  return rows.filter((r) => readable.has(r.hazardLogId)).map((row) => ({ row, log: readable.get(row.hazardLogId)! }));
}

/** The cases of one log, newest first, for its safety-cases page. */
export async function casesOfLog(db: Db, hazardLogId: string) {
  const rows = await db.select().from(safetyCases).where(eq(safetyCases.hazardLogId, hazardLogId));
  return rows
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
    .map((r) => {
      const ctx = snapshotOfCase(r).context;
      return { id: r.id, title: r.title, state: r.state, signed: ctx.requiredSignatories.length - missingSlots(ctx).length, required: ctx.requiredSignatories.length, updatedAt: r.updatedAt.toISOString() };
    });
}
