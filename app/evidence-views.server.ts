// Evidence as pages and the API show it: a control's items, requests and what the reader may do;
// the home page's open requests and items awaiting review; the evidence a frozen baseline names.
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "#db/client.ts";
import { baselines, controls, evidence, evidenceRequests, hazardControls, hazardLogs, hazards, organisations, users, type EvidenceRequestRow, type EvidenceRow } from "#db/schema/index.ts";
import type { SessionUser } from "./auth.server.ts";
import { getDb } from "./db.server.ts";
import { canReadLog, controlReaderIds, evidenceRequesterFor, evidenceReviewerFor, evidenceUploaderFor } from "./domain/permissions.ts";
import { requireControl, type ControlWithFacts } from "./permissions.server.ts";
import { requireCase } from "./safety-case-view.server.ts";

export type EvidenceItemView = {
  id: string;
  controlId: string;
  requestId: string | null;
  filename: string;
  mediaType: string;
  size: number;
  sha256: string;
  state: EvidenceRow["state"];
  description: string;
  link: string | null;
  organisation: { id: string; name: string };
  uploadedBy: { id: string; name: string };
  uploadedAt: string;
  review: { by: { id: string; name: string }; at: string; reason: string | null } | null;
  integrityFailed: boolean;
};

export type EvidenceRequestView = {
  id: string;
  controlId: string;
  state: EvidenceRequestRow["state"];
  description: string;
  dueDate: string | null;
  requestedBy: { organisationId: string; organisationName: string; name: string };
  from: { id: string; name: string };
  createdAt: string;
};

async function namesOf(db: Db, table: typeof organisations | typeof users, ids: (string | null)[]) {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  if (!wanted.length) return new Map<string, string>();
  const rows = await db.select({ id: table.id, name: table.name }).from(table).where(inArray(table.id, wanted));
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function itemViews(db: Db, rows: EvidenceRow[]): Promise<EvidenceItemView[]> {
  const orgs = await namesOf(db, organisations, rows.map((r) => r.organisationId));
  const people = await namesOf(db, users, rows.flatMap((r) => [r.uploadedByUserId, r.reviewedByUserId]));
  return rows.map((r) => ({
    id: r.id, controlId: r.controlId, requestId: r.requestId, filename: r.filename, mediaType: r.mediaType, size: r.size, sha256: r.sha256,
    state: r.state, description: r.description, link: r.link,
    organisation: { id: r.organisationId, name: orgs.get(r.organisationId) ?? "" },
    uploadedBy: { id: r.uploadedByUserId, name: people.get(r.uploadedByUserId) ?? "" },
    uploadedAt: r.createdAt.toISOString(),
    review: r.reviewedByUserId && r.reviewedAt ? { by: { id: r.reviewedByUserId, name: people.get(r.reviewedByUserId) ?? "" }, at: r.reviewedAt.toISOString(), reason: r.rejectionReason } : null,
    integrityFailed: !!r.integrityFailedAt,
  }));
}

async function requestViews(db: Db, rows: EvidenceRequestRow[]): Promise<EvidenceRequestView[]> {
  const orgs = await namesOf(db, organisations, rows.flatMap((r) => [r.requestedByOrganisationId, r.fromOrganisationId]));
  const people = await namesOf(db, users, rows.map((r) => r.requestedByUserId));
  return rows.map((r) => ({
    id: r.id, controlId: r.controlId, state: r.state, description: r.description, dueDate: r.dueDate,
    requestedBy: { organisationId: r.requestedByOrganisationId, organisationName: orgs.get(r.requestedByOrganisationId) ?? "", name: people.get(r.requestedByUserId) ?? "" },
    from: { id: r.fromOrganisationId, name: orgs.get(r.fromOrganisationId) ?? "" },
    createdAt: r.createdAt.toISOString(),
  }));
}

/** Every item of a control, newest first (rejected ones too: the history is kept). */
export async function listControlEvidence(user: SessionUser, controlId: string): Promise<{ items: EvidenceItemView[] }> {
  const db = await getDb();
  await requireControl(db, user, controlId);
  const rows = await db.select().from(evidence).where(eq(evidence.controlId, controlId)).orderBy(desc(evidence.createdAt));
  return { items: await itemViews(db, rows) };
}

/** The hazards showing the control that this reader may read (its own and inheriting ones). */
async function readableHazards(db: Db, user: SessionUser, found: ControlWithFacts) {
  const linked = await db
    .select({ id: hazards.id, ref: hazards.ref, title: hazards.title, logId: hazards.hazardLogId, upstreamHazardId: hazards.upstreamHazardId })
    .from(hazardControls)
    .innerJoin(hazards, eq(hazards.id, hazardControls.hazardId))
    .where(eq(hazardControls.controlId, found.control.id));
  const readable = new Set(found.logs.filter((l) => canReadLog(user.memberships, l.facts)).map((l) => l.id));
  const titles = new Map(found.logs.map((l) => [l.id, l.title]));
  return linked.filter((h) => readable.has(h.logId)).map((h) => ({ id: h.id, ref: h.ref, title: h.title ?? "", logTitle: titles.get(h.logId) ?? "" }));
}

/** Everything the control page shows, and what this reader may do there. */
export async function loadControlPage(user: SessionUser, controlId: string) {
  const db = await getDb();
  const found = await requireControl(db, user, controlId);
  const { control, facts } = found;
  const items = await itemViews(db, await db.select().from(evidence).where(eq(evidence.controlId, controlId)).orderBy(desc(evidence.createdAt)));
  const requestRows = await db.select().from(evidenceRequests).where(eq(evidenceRequests.controlId, controlId)).orderBy(asc(evidenceRequests.createdAt));
  const requests = await requestViews(db, requestRows);
  const [log] = await db.select({ id: hazardLogs.id, title: hazardLogs.title }).from(hazardLogs).where(eq(hazardLogs.id, control.hazardLogId));
  const readerIds = [...controlReaderIds(facts)];
  const orgNames = await namesOf(db, organisations, [...readerIds, control.ownerOrganisationId]);
  const uploadTargets = requestRows.filter((r) => r.state === "open" && evidenceUploaderFor(user.memberships, facts, r)).map((r) => r.id);
  const reviewable = items.filter((i) => i.state === "submitted" && evidenceReviewerFor(user.memberships, facts, requestRows.find((r) => r.id === i.requestId) ?? null)).map((i) => i.id);
  return {
    control: { id: control.id, description: control.description, type: control.type, state: control.state, evidenceRefs: control.evidenceRefs, owner: { id: control.ownerOrganisationId, name: orgNames.get(control.ownerOrganisationId) ?? "" }, transferred: control.transferred },
    log: log ?? null,
    hazards: await readableHazards(db, user, found),
    items,
    requests,
    organisations: readerIds.map((id) => ({ id, name: orgNames.get(id) ?? "" })).sort((a, b) => a.name.localeCompare(b.name)),
    may: {
      request: !!evidenceRequesterFor(user.memberships, facts, user.activeOrganisationId),
      uploadDirect: !!evidenceUploaderFor(user.memberships, facts),
      uploadForRequests: uploadTargets,
      review: reviewable,
    },
  };
}

/** Home page: open requests addressed to the active organisation, and items awaiting the user's review. */
export async function loadEvidenceWork(user: SessionUser) {
  const db = await getDb();
  const active = user.activeOrganisationId;
  if (!active) return { requests: [], toReview: [] };
  const openRows = await db.select().from(evidenceRequests).where(and(eq(evidenceRequests.fromOrganisationId, active), eq(evidenceRequests.state, "open"))).orderBy(asc(evidenceRequests.dueDate));
  const controlRows = openRows.length ? await db.select({ id: controls.id, description: controls.description }).from(controls).where(inArray(controls.id, openRows.map((r) => r.controlId))) : [];
  const latest = openRows.length ? await db.select().from(evidence).where(inArray(evidence.requestId, openRows.map((r) => r.id))).orderBy(desc(evidence.createdAt)) : [];
  const requests = (await requestViews(db, openRows)).map((r) => {
    const last = latest.find((e) => e.requestId === r.id);
    return { ...r, control: controlRows.find((c) => c.id === r.controlId)?.description ?? "", latest: last ? { state: last.state, reason: last.rejectionReason } : null };
  });
  const isCso = user.memberships.some((m) => m.organisationId === active && m.role === "cso");
  const pending = isCso ? await db.select({ e: evidence, r: evidenceRequests }).from(evidence).innerJoin(evidenceRequests, eq(evidenceRequests.id, evidence.requestId)).where(and(eq(evidence.state, "submitted"), eq(evidenceRequests.requestedByOrganisationId, active))) : [];
  const toReview = (await itemViews(db, pending.map((p) => p.e))).map((i) => ({ id: i.id, controlId: i.controlId, filename: i.filename, organisation: i.organisation.name, uploadedAt: i.uploadedAt }));
  return { requests, toReview };
}

/** The evidence a frozen baseline names (by id and SHA-256 as recorded then), with today's filenames. */
export async function baselineEvidenceList(db: Db, content: string): Promise<{ id: string; sha256: string; state: string; filename: string; hazardRef: string }[]> {
  let parsed: { hazards?: { ref?: string; controls?: { evidence?: { id: string; sha256: string; state: string }[] }[] }[] };
  try {
    parsed = JSON.parse(content);
  } catch {
    return [];
  }
  const listed = (parsed.hazards ?? []).flatMap((h) => (h.controls ?? []).flatMap((c) => (c.evidence ?? []).map((e) => ({ ...e, hazardRef: h.ref ?? "" }))));
  const unique = [...new Map(listed.map((e) => [e.id, e])).values()];
  if (!unique.length) return [];
  const names = new Map((await db.select({ id: evidence.id, filename: evidence.filename }).from(evidence).where(inArray(evidence.id, unique.map((e) => e.id)))).map((r) => [r.id, r.filename]));
  return unique.map((e) => ({ ...e, filename: names.get(e.id) ?? "" }));
}


/** For the safety case page: the evidence its frozen baseline relies on (none before submission). */
export async function loadCaseEvidence(user: SessionUser, caseId: string) {
  const db = await getDb();
  const { row } = await requireCase(db, user, caseId);
  if (!row.baselineId) return [];
  const [baseline] = await db.select({ content: baselines.content }).from(baselines).where(eq(baselines.id, row.baselineId));
  return baseline ? baselineEvidenceList(db, baseline.content) : [];
}
