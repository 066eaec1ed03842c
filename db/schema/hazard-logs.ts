// Hazard logs, their hazards, controls and every version of every hazard.
import { sql } from "drizzle-orm";
import {
  bigint, boolean, check, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid,
} from "drizzle-orm/pg-core";
import { organisations, users } from "./organisations";
import { deployments, platforms, riskSchemes } from "./platforms";
import { inReadableLog, tenantPolicy, visibleRow } from "./rls";

export const STANDARDS = ["DCB0129", "DCB0160"] as const;
export const SCOPES = ["platform", "shared", "local"] as const;
export const HAZARD_STATUSES = ["open", "transferred", "closed"] as const;
export const CONTROL_TYPES = ["design", "test", "training", "business_process"] as const;
export const CONTROL_STATES = ["planned", "implemented", "verified"] as const;
export const CONTROL_KINDS = ["existing", "additional"] as const;

/**
 * A hazard log: the supplier's DCB0129 log (scope platform), the ICB's shared DCB0160 log
 * (scope shared) or a trust's local DCB0160 log (scope local). `upstreamLogId` is the log whose
 * hazards this one inherits by reference.
 */
export const hazardLogs = pgTable(
  "hazard_logs",
  {
    id: uuid().primaryKey().defaultRandom(),
    title: text().notNull(),
    standard: text({ enum: STANDARDS }).notNull(),
    scope: text({ enum: SCOPES }).notNull(),
    organisationId: uuid().notNull().references(() => organisations.id, { onDelete: "restrict" }),
    platformId: uuid().notNull().references(() => platforms.id, { onDelete: "restrict" }),
    deploymentId: uuid().references(() => deployments.id, { onDelete: "restrict" }),
    riskSchemeId: uuid().notNull().references(() => riskSchemes.id, { onDelete: "restrict" }),
    upstreamLogId: uuid(),
    /** The next number for a hazard ref; only ever rises, so refs are never reused. */
    nextRefNumber: integer().notNull().default(1),
    /**
     * Stamped (microseconds since 1970, always rising) by triggers whenever the log's hazards,
     * controls, links or evidence change (migration 0011): a log's content at one revision never
     * changes, so its reads can be kept (app/log-reads.server.ts).
     */
    contentRevision: bigint({ mode: "number" }).notNull().default(sql`cswf_revision_now()`),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("hazard_logs_organisation_idx").on(t.organisationId),
    index("hazard_logs_platform_idx").on(t.platformId),
    check("hazard_logs_standard_check", sql`${t.standard} in ('DCB0129','DCB0160')`),
    check("hazard_logs_scope_check", sql`${t.scope} in ('platform','shared','local')`),
    tenantPolicy("hazard_logs", inReadableLog(t.id)),
  ],
);
export type HazardLogRow = typeof hazardLogs.$inferSelect;

/**
 * A hazard. On an inherited hazard (`upstreamHazardId` set) the upstream fields (title,
 * description, effect, hazard, harm) stay null here: the merged view is computed from the
 * upstream row, never copied. Risk columns are always the server's lookup, never client input.
 */
export const hazards = pgTable(
  "hazards",
  {
    id: uuid().primaryKey().defaultRandom(),
    hazardLogId: uuid().notNull().references(() => hazardLogs.id, { onDelete: "restrict" }),
    refNumber: integer().notNull(),
    ref: text().notNull(),
    title: text(),
    description: text(),
    /** Causes given in this log (local causes on an inherited hazard). */
    causes: jsonb().$type<string[]>().notNull().default([]),
    effect: text(),
    hazard: text(),
    harm: text(),
    hazardType: text(),
    source: text(),
    owner: text(),
    reviewDue: date({ mode: "string" }),
    initialSeverity: text(),
    initialLikelihood: text(),
    initialRisk: integer(),
    initialJustification: text(),
    residualSeverity: text(),
    residualLikelihood: text(),
    residualRisk: integer(),
    residualJustification: text(),
    riskBenefitJustification: text(),
    riskSchemeId: uuid().references(() => riskSchemes.id, { onDelete: "restrict" }),
    riskSchemeVersion: integer(),
    status: text({ enum: HAZARD_STATUSES }).notNull().default("open"),
    deprecatedAt: timestamp({ withTimezone: true }),
    deprecatedReason: text(),
    upstreamHazardId: uuid(),
    upstreamAcceptedVersion: integer(),
    /** Free-text search document kept in step with title, description and causes. */
    searchText: text().notNull().default(""),
    version: integer().notNull().default(1),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("hazards_log_ref_key").on(t.hazardLogId, t.refNumber),
    index("hazards_upstream_idx").on(t.upstreamHazardId),
    index("hazards_log_status_idx").on(t.hazardLogId, t.status),
    index("hazards_log_residual_idx").on(t.hazardLogId, t.residualRisk),
    // The log page's heatmaps and owner filter read these columns of every hazard in the log: from
    // these indexes alone (index-only scans), not by reading each hazard's full row (issue 9).
    index("hazards_log_heatmap_idx").on(t.hazardLogId, t.initialLikelihood, t.initialSeverity, t.residualLikelihood, t.residualSeverity, t.deprecatedAt),
    index("hazards_log_owner_idx").on(t.hazardLogId, t.owner),
    // Free-text search of a log of own hazards (LIKE '%words%' on the lower-cased search_text):
    // trigrams narrow a 5,000-hazard log to the candidate rows instead of matching every row's text
    // (issue 9). The log id is in the same GIN index (btree_gin) so one index scan serves "this log
    // and these words". Own rows only: an inherited row's search text is not what it is searched by
    // (app/hazard-list-sql.server.ts), and leaving the ~270,000 copies out keeps the index small.
    index("hazards_log_search_idx").using("gin", t.hazardLogId, t.searchText.op("gin_trgm_ops")).where(sql`${t.upstreamHazardId} is null`),
    // The platform roll-up (app/rollup.server.ts): its lines are each log's own hazards (a few
    // thousand of a platform's ~215,000 rows) and the copies of deprecated hazards.
    index("hazards_roots_idx").on(t.hazardLogId, t.refNumber).where(sql`${t.upstreamHazardId} is null`),
    index("hazards_deprecated_idx").on(t.hazardLogId).where(sql`${t.deprecatedAt} is not null`),
    check("hazards_status_check", sql`${t.status} in ('open','transferred','closed')`),
    check("hazards_initial_risk_check", sql`${t.initialRisk} between 1 and 5`),
    check("hazards_residual_risk_check", sql`${t.residualRisk} between 1 and 5`),
    tenantPolicy("hazards", inReadableLog(t.hazardLogId)),
  ],
);
export type HazardRow = typeof hazards.$inferSelect;

/** Every version of every hazard: an immutable snapshot with who, when, what changed and why. */
export const hazardVersions = pgTable(
  "hazard_versions",
  {
    id: uuid().primaryKey().defaultRandom(),
    hazardId: uuid().notNull().references(() => hazards.id, { onDelete: "restrict" }),
    version: integer().notNull(),
    snapshot: jsonb().$type<Record<string, unknown>>().notNull(),
    changes: jsonb().$type<{ field: string; from: unknown; to: unknown }[]>().notNull(),
    reason: text(),
    userId: uuid().references(() => users.id, { onDelete: "restrict" }),
    organisationId: uuid().references(() => organisations.id, { onDelete: "restrict" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("hazard_versions_hazard_version_key").on(t.hazardId, t.version),
    tenantPolicy("hazard_versions", visibleRow("hazards", t.hazardId)),
  ],
);
export type HazardVersionRow = typeof hazardVersions.$inferSelect;

/**
 * A control (risk control measure). Owned by an organisation; it can serve several hazards.
 * `transferredFromControlId` marks a trust's obligation created from an upstream control that
 * was transferred to the deploying organisations (DCB0129 6.3.1).
 */
export const controls = pgTable(
  "controls",
  {
    id: uuid().primaryKey().defaultRandom(),
    hazardLogId: uuid().notNull().references(() => hazardLogs.id, { onDelete: "restrict" }),
    type: text({ enum: CONTROL_TYPES }).notNull(),
    description: text().notNull(),
    ownerOrganisationId: uuid().notNull().references(() => organisations.id, { onDelete: "restrict" }),
    state: text({ enum: CONTROL_STATES }).notNull().default("planned"),
    evidenceRefs: jsonb().$type<string[]>().notNull().default([]),
    transferred: boolean().notNull().default(false),
    transferredFromControlId: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("controls_log_idx").on(t.hazardLogId),
    index("controls_transferred_from_idx").on(t.transferredFromControlId),
    check("controls_type_check", sql`${t.type} in ('design','test','training','business_process')`),
    check("controls_state_check", sql`${t.state} in ('planned','implemented','verified')`),
    tenantPolicy("controls", inReadableLog(t.hazardLogId)),
  ],
);
export type ControlRow = typeof controls.$inferSelect;

/** Which controls serve which hazard, and whether counted as existing or additional there. */
export const hazardControls = pgTable(
  "hazard_controls",
  {
    hazardId: uuid().notNull().references(() => hazards.id, { onDelete: "restrict" }),
    controlId: uuid().notNull().references(() => controls.id, { onDelete: "restrict" }),
    kind: text({ enum: CONTROL_KINDS }).notNull(),
    position: integer().notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.hazardId, t.controlId], name: "hazard_controls_pkey" }),
    index("hazard_controls_control_idx").on(t.controlId),
    check("hazard_controls_kind_check", sql`${t.kind} in ('existing','additional')`),
    tenantPolicy("hazard_controls", visibleRow("hazards", t.hazardId)),
  ],
);
