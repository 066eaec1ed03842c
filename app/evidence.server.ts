// Supplier evidence (issue 6): a CSO requests evidence for a control from an organisation; that
// organisation's contributor or CSO uploads files against the request or the control; the
// requesting CSO accepts or rejects each item with a reason. Every step is audited in the same
// transaction; nothing is ever deleted. Who may do what is decided in app/domain/permissions.ts.
import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "#db/client.ts";
import { evidence, evidenceRequests, type EvidenceRequestRow, type EvidenceRow } from "#db/schema/index.ts";
import { appendAudit } from "./audit.server.ts";
import type { SessionUser } from "./auth.server.ts";
import { getDb } from "./db.server.ts";
import { ALLOWED_EXTENSIONS_TEXT, checkLink, extensionOf, isAllowedExtension, sanitiseFilename } from "./domain/evidence-files.ts";
import { isUuid } from "./domain/ids.ts";
import { nulFields } from "./domain/text-input.ts";
import { controlReaderIds, evidenceRequesterFor, evidenceReviewerFor, evidenceUploaderFor, type ControlFacts } from "./domain/permissions.ts";
import { getEnv } from "./env.server.ts";
import { AppError, fieldErrors, forbidden, notFound } from "./errors.server.ts";
import { inspectEvidenceFile } from "./evidence-inspect.server.ts";
import { discard, receiveUpload, type ReceivedFile } from "./evidence-upload.server.ts";
import { requireControl } from "./permissions.server.ts";
import { takeUploadSlot } from "./throttle.server.ts";
import { getEvidenceStore } from "./storage/index.server.ts";

export type EvidenceSummary = { id: string; filename: string; mediaType: string; size: number; sha256: string; state: EvidenceRow["state"] };

export function summaryOf(row: EvidenceRow): EvidenceSummary {
  return { id: row.id, filename: row.filename, mediaType: row.mediaType, size: row.size, sha256: row.sha256, state: row.state };
}

function actor(user: SessionUser, organisationId: string) {
  return { userId: user.id, name: user.name, role: user.memberships.find((m) => m.organisationId === organisationId)?.role ?? null };
}

const optionalText = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`).optional().transform((v) => v || undefined);

// ---------------------------------------------------------------------------------------------
// Requests

/** 2026-02-30 parses in JavaScript (it rolls over to March): a round trip catches it. */
function isRealDate(d: string) {
  const parsed = new Date(`${d}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === d;
}

export const EvidenceRequestInput = z
  .object({
    fromOrganisationId: z.string().uuid("choose an organisation"),
    description: z.string().trim().min(1, "say what evidence is needed").max(2000, "must be at most 2000 characters"),
    dueDate: optionalText(10).pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date (YYYY-MM-DD)").refine(isRealDate, "must be a real date").optional()),
  })
  .strict();

export async function createEvidenceRequest(user: SessionUser, controlId: string, raw: unknown, requestId: string | null = null): Promise<EvidenceRequestRow> {
  const nul = nulFields(raw);
  if (Object.keys(nul).length) throw new AppError("bad_request", "Check the request", { fields: nul });
  const parsed = EvidenceRequestInput.safeParse(raw);
  if (!parsed.success) throw new AppError("bad_request", "Check the request", { fields: fieldErrors(parsed.error.issues) });
  const db = await getDb();
  const { facts } = await requireControl(db, user, controlId);
  const requester = evidenceRequesterFor(user.memberships, facts, user.activeOrganisationId);
  if (!requester) throw forbidden("Only the clinical safety officer of an organisation whose log holds this control may request evidence");
  if (!controlReaderIds(facts).has(parsed.data.fromOrganisationId))
    throw new AppError("bad_request", "Check the request", { fields: { fromOrganisationId: "must be an organisation that can see this control" } });
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(evidenceRequests)
      .values({ controlId, requestedByOrganisationId: requester, requestedByUserId: user.id, fromOrganisationId: parsed.data.fromOrganisationId, description: parsed.data.description, dueDate: parsed.data.dueDate ?? null })
      .returning();
    await appendAudit(tx, {
      organisationId: requester, actor: actor(user, requester), action: "evidence.requested", entityType: "evidence_request", entityId: row.id,
      changes: { controlId, fromOrganisationId: row.fromOrganisationId, description: row.description, dueDate: row.dueDate }, requestId,
    });
    return row;
  });
}

async function loadRequest(db: Db, id: string | undefined, controlId: string): Promise<EvidenceRequestRow | null> {
  if (!id) return null;
  const [row] = isUuid(id) ? await db.select().from(evidenceRequests).where(and(eq(evidenceRequests.id, id), eq(evidenceRequests.controlId, controlId))) : [];
  if (!row) throw new AppError("bad_request", "Check the upload", { fields: { requestId: "is not a request for this control" } });
  if (row.state !== "open") throw new AppError("not_allowed", "That request has already been fulfilled", { fields: { requestId: "has already been fulfilled" } });
  return row;
}

// ---------------------------------------------------------------------------------------------
// Upload

const UploadFields = z.object({
  description: z.string().trim().min(1, "describe what the file shows").max(4000, "must be at most 4000 characters"),
  link: optionalText(2000),
  requestId: optionalText(100),
});

/** May this user send evidence for the control at all (as its owner, or as the target of an open request)? */
async function mayUploadSomewhere(db: Db, user: SessionUser, controlId: string, facts: ControlFacts) {
  if (evidenceUploaderFor(user.memberships, facts)) return true;
  const open = await db.select().from(evidenceRequests).where(and(eq(evidenceRequests.controlId, controlId), eq(evidenceRequests.state, "open")));
  return open.some((r) => evidenceUploaderFor(user.memberships, facts, r));
}

/**
 * Streams the multipart upload to a temp file (size checked while streaming), checks the fields,
 * the name and the bytes, then stores the file under a random key and records it. On any refusal
 * or failure nothing is kept: not the temp file, not the stored object, not a row.
 */
/** A form upload's CSRF and idempotency checks (app/form-post.server.ts `MultipartGuard`). */
export type UploadGuard = { checkFields: (fields: Record<string, string>) => void; claim: (fields: Record<string, string>, file?: { sha256: string }) => Promise<void> };

export async function uploadEvidence(user: SessionUser, controlId: string, request: Request, requestId: string | null = null, guard?: UploadGuard): Promise<EvidenceSummary> {
  const db = await getDb();
  const { facts } = await requireControl(db, user, controlId);
  // Authorise before reading a byte of the body.
  if (!(await mayUploadSomewhere(db, user, controlId, facts))) throw forbidden("Only a contributor or CSO of the organisation asked for this evidence may upload it");
  await takeUploadSlot(db, "evidence", user.id); // 429 before the body is read
  const env = getEnv();
  const upload = await receiveUpload(request, { maxBytes: env.evidence.maxBytes, tmpDir: env.evidence.tmpDir, beforeFile: guard?.checkFields });
  const file = upload.file;
  try {
    const nul = nulFields(upload.fields);
    if (Object.keys(nul).length) throw new AppError("bad_request", "Check the upload", { fields: nul });
    const fields = UploadFields.safeParse(upload.fields);
    if (!fields.success) throw new AppError("bad_request", "Check the upload", { fields: fieldErrors(fields.error.issues) });
    const link = fields.data.link ? checkLink(fields.data.link) : null;
    if (link && !link.ok) throw new AppError("bad_request", "Check the upload", { fields: { link: link.message } });
    const checked = await checkFile(file);
    const evidenceRequest = await loadRequest(db, fields.data.requestId, controlId);
    const organisationId = evidenceUploaderFor(user.memberships, facts, evidenceRequest);
    if (!organisationId) throw forbidden("Only a contributor or CSO of the organisation asked for this evidence may upload it");
    await guard?.claim(upload.fields, checked.file); // a repeat of the same form stops here
    return await store(db, { user, controlId, file: checked.file, filename: checked.filename, mediaType: checked.mediaType, organisationId, evidenceRequest, description: fields.data.description, link: link?.ok ? link.url : null, requestId });
  } finally {
    await discard(file?.tmpPath); // gone already when stored; removed here on every refusal
  }
}

async function checkFile(file: ReceivedFile | null) {
  if (!file) throw new AppError("bad_request", "Choose a file to upload", { fields: { file: "choose a file to upload" } });
  if (file.size === 0) throw new AppError("bad_request", "The file is empty", { fields: { file: "is empty" } });
  const filename = sanitiseFilename(file.originalName);
  const ext = extensionOf(filename);
  if (!isAllowedExtension(ext)) throw new AppError("unsupported_type", `Only ${ALLOWED_EXTENSIONS_TEXT} files are accepted`, { fields: { file: `must be a ${ALLOWED_EXTENSIONS_TEXT} file` } });
  const mediaType = await inspectEvidenceFile(file.tmpPath, ext);
  return { file, filename, mediaType };
}

async function store(
  db: Db,
  a: { user: SessionUser; controlId: string; file: ReceivedFile; filename: string; mediaType: string; organisationId: string; evidenceRequest: EvidenceRequestRow | null; description: string; link: string | null; requestId: string | null },
): Promise<EvidenceSummary> {
  const storage = getEvidenceStore();
  const storageKey = randomBytes(16).toString("hex");
  try {
    // Inside the try: a store may fail after the bytes are written (e.g. setting permissions, or an
    // S3 answer lost on the way back), and that object must not stay behind either.
    await storage.putFile(storageKey, a.file.tmpPath, { size: a.file.size, sha256: a.file.sha256, mediaType: a.mediaType });
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(evidence)
        .values({
          controlId: a.controlId, requestId: a.evidenceRequest?.id ?? null, organisationId: a.organisationId, uploadedByUserId: a.user.id,
          filename: a.filename, mediaType: a.mediaType, size: a.file.size, sha256: a.file.sha256, storageKey, description: a.description, link: a.link,
        })
        .returning();
      await appendAudit(tx, {
        organisationId: a.organisationId, actor: actor(a.user, a.organisationId), action: "evidence.uploaded", entityType: "evidence", entityId: row.id,
        changes: { controlId: a.controlId, requestId: row.requestId, ...summaryOf(row), link: row.link }, requestId: a.requestId,
      });
      return summaryOf(row);
    });
  } catch (error) {
    await storage.remove(storageKey).catch(() => undefined); // never part of the record
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Review

export const ReviewInput = z.discriminatedUnion("decision", [
  z.object({ decision: z.literal("accept"), reason: optionalText(2000) }).strict(),
  z.object({ decision: z.literal("reject"), reason: z.string().trim().min(1, "say why the evidence is rejected").max(2000, "must be at most 2000 characters") }).strict(),
]);

/** The requesting CSO accepts, or rejects with a reason, an item awaiting review (once: 422 after). */
export async function reviewEvidence(user: SessionUser, evidenceId: string, raw: unknown, requestId: string | null = null): Promise<EvidenceSummary> {
  const nul = nulFields(raw);
  if (Object.keys(nul).length) throw new AppError("bad_request", "Check the review", { fields: nul });
  const parsed = ReviewInput.safeParse(raw);
  if (!parsed.success) throw new AppError("bad_request", "Check the review", { fields: fieldErrors(parsed.error.issues) });
  const db = await getDb();
  const { row, facts } = await requireEvidence(db, user, evidenceId);
  const request = row.requestId ? (await db.select().from(evidenceRequests).where(eq(evidenceRequests.id, row.requestId)))[0] : null;
  const reviewer = evidenceReviewerFor(user.memberships, facts, request);
  if (!reviewer) throw forbidden("Only the clinical safety officer who asked for this evidence may review it");
  const decision = parsed.data.decision === "accept" ? "accepted" : "rejected";
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(evidence)
      .set({ state: decision, reviewedByUserId: user.id, reviewedByOrganisationId: reviewer, reviewedAt: new Date(), rejectionReason: decision === "rejected" ? parsed.data.reason! : null })
      .where(and(eq(evidence.id, row.id), eq(evidence.state, "submitted")))
      .returning();
    if (!updated) throw new AppError("not_allowed", "This evidence has already been reviewed");
    if (decision === "accepted" && request) await tx.update(evidenceRequests).set({ state: "fulfilled", updatedAt: new Date() }).where(eq(evidenceRequests.id, request.id));
    await appendAudit(tx, {
      organisationId: reviewer, actor: actor(user, reviewer), action: `evidence.${decision}`, entityType: "evidence", entityId: row.id,
      changes: { controlId: row.controlId, sha256: row.sha256, state: decision }, reason: parsed.data.reason ?? null, requestId,
    });
    return summaryOf(updated);
  });
}

/** The evidence row and its control's facts, if the user may read the control; 404 otherwise. */
export async function requireEvidence(db: Db, user: SessionUser, evidenceId: string) {
  if (!isUuid(evidenceId)) throw notFound("Evidence");
  const [row] = await db.select().from(evidence).where(eq(evidence.id, evidenceId));
  if (!row) throw notFound("Evidence");
  const found = await requireControl(db, user, row.controlId).catch(() => {
    throw notFound("Evidence"); // an unreadable control hides its evidence exactly as if absent
  });
  return { row, facts: found.facts, control: found.control };
}
