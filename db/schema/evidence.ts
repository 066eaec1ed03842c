// Supplier evidence for controls: requests for it, the uploaded items and their review.
// Rows are never deleted (a trigger in migration 0003 refuses DELETE): the history is the record.
import { sql } from "drizzle-orm";
import { bigint, check, date, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { controls } from "./hazard-logs";
import { organisations, users } from "./organisations";
import { callerIsOrganisation, tenantPolicy, visibleRow } from "./rls";

export const EVIDENCE_REQUEST_STATES = ["open", "fulfilled"] as const;
export const EVIDENCE_STATES = ["submitted", "accepted", "rejected"] as const;

/**
 * A CSO asks an organisation (the supplier, or a trust for a transferred control) for evidence
 * that a control is implemented and effective. `fulfilled` once an item sent for it is accepted.
 */
export const evidenceRequests = pgTable(
  "evidence_requests",
  {
    id: uuid().primaryKey().defaultRandom(),
    controlId: uuid().notNull().references(() => controls.id, { onDelete: "restrict" }),
    requestedByOrganisationId: uuid().notNull().references(() => organisations.id, { onDelete: "restrict" }),
    requestedByUserId: uuid().notNull().references(() => users.id, { onDelete: "restrict" }),
    fromOrganisationId: uuid().notNull().references(() => organisations.id, { onDelete: "restrict" }),
    description: text().notNull(),
    dueDate: date({ mode: "string" }),
    state: text({ enum: EVIDENCE_REQUEST_STATES }).notNull().default("open"),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("evidence_requests_control_idx").on(t.controlId),
    index("evidence_requests_from_state_idx").on(t.fromOrganisationId, t.state),
    check("evidence_requests_state_check", sql`${t.state} in ('open','fulfilled')`),
    // About a control the caller may see, or asked by or of the caller's organisation.
    tenantPolicy(
      "evidence_requests",
      sql`(${visibleRow("controls", t.controlId)} or ${callerIsOrganisation(t.requestedByOrganisationId)} or ${callerIsOrganisation(t.fromOrganisationId)})`,
    ),
  ],
);
export type EvidenceRequestRow = typeof evidenceRequests.$inferSelect;

/**
 * One uploaded file. `filename` is the sanitised original name (metadata only); the bytes live in
 * the evidence store under `storageKey`, a random name. `sha256` and `size` are taken while the
 * upload streams. The review (accept, or reject with a reason) is written once; a rejected item
 * stays and the supplier sends a new one. `integrityFailedAt` marks a file whose stored bytes no
 * longer match its hash (found at download): it is never served again.
 */
export const evidence = pgTable(
  "evidence",
  {
    id: uuid().primaryKey().defaultRandom(),
    controlId: uuid().notNull().references(() => controls.id, { onDelete: "restrict" }),
    requestId: uuid().references(() => evidenceRequests.id, { onDelete: "restrict" }),
    organisationId: uuid().notNull().references(() => organisations.id, { onDelete: "restrict" }),
    uploadedByUserId: uuid().notNull().references(() => users.id, { onDelete: "restrict" }),
    filename: text().notNull(),
    mediaType: text().notNull(),
    size: bigint({ mode: "number" }).notNull(),
    sha256: text().notNull(),
    storageKey: text().notNull(),
    description: text().notNull(),
    link: text(),
    state: text({ enum: EVIDENCE_STATES }).notNull().default("submitted"),
    reviewedByUserId: uuid().references(() => users.id, { onDelete: "restrict" }),
    reviewedByOrganisationId: uuid().references(() => organisations.id, { onDelete: "restrict" }),
    reviewedAt: timestamp({ withTimezone: true }),
    rejectionReason: text(),
    integrityFailedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("evidence_control_idx").on(t.controlId),
    index("evidence_request_idx").on(t.requestId),
    check("evidence_state_check", sql`${t.state} in ('submitted','accepted','rejected')`),
    check("evidence_sha256_check", sql`${t.sha256} ~ '^[0-9a-f]{64}$'`),
    check("evidence_rejection_reason_check", sql`${t.state} <> 'rejected' or ${t.rejectionReason} is not null`),
    // For a control the caller may see, or sent by the caller's organisation.
    tenantPolicy("evidence", sql`(${visibleRow("controls", t.controlId)} or ${callerIsOrganisation(t.organisationId)})`),
  ],
);
export type EvidenceRow = typeof evidence.$inferSelect;
