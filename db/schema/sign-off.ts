// Sign-off: frozen baselines of a hazard log, log issues, safety cases and their signatures.
// Baselines and signatures are read-only once written (triggers in migration 0002).
import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organisations, users } from "./organisations";
import { hazardLogs } from "./hazard-logs";
import { inReadableLog, tenantPolicy, visibleRow } from "./rls";

/**
 * A frozen baseline: the canonical JSON of every hazard and control of a log at one moment, and
 * its SHA-256. `content` is the exact canonical text that was hashed (text, not jsonb, so the hash
 * can be recomputed byte for byte). `hazardLogVersion` counts the log's baselines: 1, 2, 3 ...
 */
export const baselines = pgTable(
  "baselines",
  {
    id: uuid().primaryKey().defaultRandom(),
    hazardLogId: uuid().notNull().references(() => hazardLogs.id, { onDelete: "restrict" }),
    hazardLogVersion: integer().notNull(),
    sha256: text().notNull(),
    content: text().notNull(),
    hazardCount: integer().notNull(),
    createdBy: uuid().references(() => users.id, { onDelete: "restrict" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("baselines_log_version_key").on(t.hazardLogId, t.hazardLogVersion), tenantPolicy("baselines", inReadableLog(t.hazardLogId))],
);
export type BaselineRow = typeof baselines.$inferSelect;

export const WORKFLOW_STATES = {
  logIssue: ["draft", "in_review", "issued"],
  safetyCase: ["draft", "in_review", "approved"],
} as const;

/** One issue of a hazard log (the hazard-log-issue machine's persisted snapshot). */
export const logIssues = pgTable(
  "log_issues",
  {
    id: uuid().primaryKey().defaultRandom(),
    hazardLogId: uuid().notNull().references(() => hazardLogs.id, { onDelete: "restrict" }),
    number: integer().notNull(),
    state: text().notNull(),
    version: integer().notNull().default(1),
    machineVersion: integer().notNull(),
    snapshot: jsonb().$type<Record<string, unknown>>().notNull(),
    baselineId: uuid().references(() => baselines.id, { onDelete: "restrict" }),
    createdBy: uuid().references(() => users.id, { onDelete: "restrict" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("log_issues_log_number_key").on(t.hazardLogId, t.number),
    check("log_issues_state_check", sql`${t.state} in ('draft','in_review','issued')`),
    tenantPolicy("log_issues", inReadableLog(t.hazardLogId)),
  ],
);
export type LogIssueRow = typeof logIssues.$inferSelect;

/**
 * A Clinical Safety Case: the approval workflow's persisted snapshot (machine version kept next to
 * it), the baseline it points at while in review or approved, and a version for optimistic locking.
 * `submission` rises at every SUBMIT so signatures of an earlier round never count again.
 */
export const safetyCases = pgTable(
  "safety_cases",
  {
    id: uuid().primaryKey().defaultRandom(),
    hazardLogId: uuid().notNull().references(() => hazardLogs.id, { onDelete: "restrict" }),
    organisationId: uuid().notNull().references(() => organisations.id, { onDelete: "restrict" }),
    title: text().notNull(),
    state: text().notNull(),
    version: integer().notNull().default(1),
    submission: integer().notNull().default(0),
    machineVersion: integer().notNull(),
    snapshot: jsonb().$type<Record<string, unknown>>().notNull(),
    baselineId: uuid().references(() => baselines.id, { onDelete: "restrict" }),
    createdBy: uuid().references(() => users.id, { onDelete: "restrict" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("safety_cases_log_idx").on(t.hazardLogId),
    check("safety_cases_state_check", sql`${t.state} in ('draft','in_review','approved')`),
    tenantPolicy("safety_cases", inReadableLog(t.hazardLogId)),
  ],
);
export type SafetyCaseRow = typeof safetyCases.$inferSelect;

/**
 * An electronic signature (domain reference §6.3): printed name, organisation, role, meaning,
 * server UTC time and the SHA-256 of the baseline signed, copied at signing so later renames of a
 * user or organisation never change what was signed. One per slot per submission round.
 */
export const signatures = pgTable(
  "signatures",
  {
    id: uuid().primaryKey().defaultRandom(),
    safetyCaseId: uuid().notNull().references(() => safetyCases.id, { onDelete: "restrict" }),
    submission: integer().notNull(),
    baselineId: uuid().notNull().references(() => baselines.id, { onDelete: "restrict" }),
    slotId: text().notNull(),
    userId: uuid().notNull().references(() => users.id, { onDelete: "restrict" }),
    printedName: text().notNull(),
    organisationId: uuid().notNull().references(() => organisations.id, { onDelete: "restrict" }),
    organisationName: text().notNull(),
    role: text().notNull(),
    meaning: text().notNull(),
    sha256: text().notNull(),
    signedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("signatures_case_round_slot_key").on(t.safetyCaseId, t.submission, t.slotId),
    index("signatures_user_idx").on(t.userId),
    tenantPolicy("signatures", visibleRow("safety_cases", t.safetyCaseId)),
  ],
);
export type SignatureRow = typeof signatures.$inferSelect;
