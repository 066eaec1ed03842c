// The tamper-evident audit trail: one hash chain per organisation, append-only.
import { sql } from "drizzle-orm";
import { bigint, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organisations } from "./organisations";
import { callerIsOrganisation, tenantPolicy } from "./rls";

/**
 * One audit entry. `hash` = SHA-256 of (previous hash + canonical JSON of the entry), so any
 * later edit or removal breaks the chain from that point on. Triggers reject UPDATE and DELETE.
 */
export const auditEntries = pgTable(
  "audit_entries",
  {
    id: uuid().primaryKey().defaultRandom(),
    organisationId: uuid().notNull().references(() => organisations.id, { onDelete: "restrict" }),
    sequence: bigint({ mode: "number" }).notNull(),
    previousHash: text().notNull(),
    hash: text().notNull(),
    entry: jsonb().$type<Record<string, unknown>>().notNull(),
    entityType: text().notNull(),
    entityId: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("audit_entries_organisation_sequence_key").on(t.organisationId, t.sequence),
    index("audit_entries_entity_idx").on(t.entityType, t.entityId),
    // An entry of one of the caller's organisations' chains, or about a log, hazard or safety case
    // the caller may read (an entity's trail draws on every chain: app/audit-trail.server.ts).
    tenantPolicy(
      "audit_entries",
      sql`(${callerIsOrganisation(t.organisationId)}
        or (${t.entityType} = 'hazard_log' and ${t.entityId} = any ((select cswf_readable_log_ids())::text[]))
        or (${t.entityType} = 'hazard' and ${t.entityId} in (select id::text from hazards))
        or (${t.entityType} = 'safety_case' and ${t.entityId} in (select id::text from safety_cases)))`,
    ),
  ],
);
export type AuditEntryRow = typeof auditEntries.$inferSelect;

/** The head of each organisation's chain; its row lock serialises writers to one chain. */
export const auditHeads = pgTable("audit_heads", {
  organisationId: uuid().primaryKey().references(() => organisations.id, { onDelete: "restrict" }),
  sequence: bigint({ mode: "number" }).notNull(),
  hash: text().notNull(),
});
