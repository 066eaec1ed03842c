// Safety incidents recorded against hazards (no patient identifiers are kept).
import { sql } from "drizzle-orm";
import { check, date, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { hazards } from "./hazard-logs";
import { organisations, users } from "./organisations";
import { callerIsOrganisation, tenantPolicy, visibleRow } from "./rls";

export const INCIDENT_KINDS = ["near_miss", "harm"] as const;

/** A safety incident (DCB0129 7.2) recorded by an organisation against a hazard it can read. */
export const incidents = pgTable(
  "incidents",
  {
    id: uuid().primaryKey().defaultRandom(),
    hazardId: uuid().notNull().references(() => hazards.id, { onDelete: "restrict" }),
    organisationId: uuid().notNull().references(() => organisations.id, { onDelete: "restrict" }),
    kind: text({ enum: INCIDENT_KINDS }).notNull(),
    occurredOn: date({ mode: "string" }).notNull(),
    description: text().notNull(),
    createdBy: uuid().references(() => users.id, { onDelete: "restrict" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("incidents_hazard_idx").on(t.hazardId),
    check("incidents_kind_check", sql`${t.kind} in ('near_miss','harm')`),
    // On a hazard the caller may read, or recorded by the caller's organisation.
    tenantPolicy("incidents", sql`(${visibleRow("hazards", t.hazardId)} or ${callerIsOrganisation(t.organisationId)})`),
  ],
);
