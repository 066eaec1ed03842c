// Spreadsheet imports waiting for the user's confirmation.
import { index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { organisations, users } from "./organisations";
import { hazardLogs } from "./hazard-logs";
import { inReadableLog, tenantPolicy } from "./rls";

/**
 * A parsed import shown on the preview page. Nothing reaches the log until the same user confirms;
 * `plan` holds the validated rows to create or update (with the version each update was checked
 * against), `problems` every row/column problem found. An import with problems is never applied.
 */
export const importPreviews = pgTable(
  "import_previews",
  {
    id: uuid().primaryKey().defaultRandom(),
    hazardLogId: uuid().notNull().references(() => hazardLogs.id, { onDelete: "restrict" }),
    userId: uuid().notNull().references(() => users.id, { onDelete: "restrict" }),
    organisationId: uuid().notNull().references(() => organisations.id, { onDelete: "restrict" }),
    filename: text().notNull(),
    format: text().notNull(),
    sha256: text().notNull(),
    rowCount: integer().notNull(),
    plan: jsonb().$type<unknown[]>().notNull(),
    problems: jsonb().$type<{ row: number; column: string; message: string }[]>().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    appliedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("import_previews_log_idx").on(t.hazardLogId), tenantPolicy("import_previews", inReadableLog(t.hazardLogId))],
);
export type ImportPreviewRow = typeof importPreviews.$inferSelect;
