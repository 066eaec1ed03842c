// Serving an evidence file: only to those who may read its control (others 404), only after its
// stored bytes are proven to match the SHA-256 taken at upload (a mismatch is recorded, audited and
// answered 422, never served), always as an attachment that no browser will render or sniff.
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { eq } from "drizzle-orm";
import { evidence, type EvidenceRow } from "#db/schema/index.ts";
import type { Db } from "#db/client.ts";
import { appendAudit } from "./audit.server.ts";
import type { SessionUser } from "./auth.server.ts";
import { getDb } from "./db.server.ts";
import { contentDisposition } from "./domain/evidence-files.ts";
import { canReadLog, type ControlFacts } from "./domain/permissions.ts";
import { AppError } from "./errors.server.ts";
import { requireEvidence } from "./evidence.server.ts";
import { getEvidenceStore } from "./storage/index.server.ts";

export const INTEGRITY_MESSAGE = "Integrity check failed: the stored file no longer matches the SHA-256 recorded at upload, so it is not served";

/** The organisation in whose name the user reads (active one first): the audit chain it goes on. */
function readingOrganisation(user: SessionUser, facts: ControlFacts): string {
  const readers = user.memberships.filter((m) => facts.logs.some((l) => canReadLog([m], l)));
  return (readers.find((m) => m.organisationId === user.activeOrganisationId) ?? readers[0]).organisationId;
}

/** SHA-256 and size of the stored object, or null when it cannot be read at all. */
async function hashStored(key: string): Promise<{ sha256: string; size: number } | null> {
  try {
    const stream = await getEvidenceStore().read(key);
    const hash = createHash("sha256");
    let size = 0;
    for await (const chunk of stream) {
      size += (chunk as Buffer).length;
      hash.update(chunk as Buffer);
    }
    return { sha256: hash.digest("hex"), size };
  } catch {
    return null;
  }
}

async function flagIntegrity(db: Db, user: SessionUser, row: EvidenceRow, organisationId: string, requestId: string | null) {
  await db.transaction(async (tx) => {
    await tx.update(evidence).set({ integrityFailedAt: new Date() }).where(eq(evidence.id, row.id));
    await appendAudit(tx, {
      organisationId, actor: { userId: user.id, name: user.name }, action: "evidence.integrity_failed", entityType: "evidence", entityId: row.id,
      changes: { sha256: row.sha256, size: row.size }, requestId,
    });
  });
}

export async function downloadEvidence(user: SessionUser, evidenceId: string, requestId: string | null = null): Promise<Response> {
  const db = await getDb();
  const { row, facts } = await requireEvidence(db, user, evidenceId);
  const organisationId = readingOrganisation(user, facts);
  if (row.integrityFailedAt) throw new AppError("integrity_failed", INTEGRITY_MESSAGE);
  // Hash first, then serve a second read: bytes that fail the check never leave the server.
  const stored = await hashStored(row.storageKey);
  if (!stored || stored.sha256 !== row.sha256 || stored.size !== row.size) {
    await flagIntegrity(db, user, row, organisationId, requestId);
    throw new AppError("integrity_failed", INTEGRITY_MESSAGE);
  }
  await db.transaction((tx) =>
    appendAudit(tx, {
      organisationId, actor: { userId: user.id, name: user.name }, action: "evidence.downloaded", entityType: "evidence", entityId: row.id,
      changes: { sha256: row.sha256, filename: row.filename }, requestId,
    }),
  );
  const stream = await getEvidenceStore().read(row.storageKey);
  return new Response(Readable.toWeb(stream) as unknown as ReadableStream, {
    status: 200,
    headers: {
      "Content-Type": row.mediaType,
      "Content-Length": String(row.size),
      "Content-Disposition": contentDisposition(row.filename),
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "sandbox",
      "Cache-Control": "private, no-store",
      "Cross-Origin-Resource-Policy": "same-origin",
      Digest: `sha-256=${Buffer.from(row.sha256, "hex").toString("base64")}`,
    },
  });
}
