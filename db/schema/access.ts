// Sign-in sessions, API tokens and sign-in throttling.
import { index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./organisations";

/** A browser session. The cookie holds a random id; only its SHA-256 is stored. */
export const sessions = pgTable(
  "sessions",
  {
    idHash: text().primaryKey(),
    userId: uuid().notNull().references(() => users.id, { onDelete: "restrict" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    activeOrganisationId: uuid(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);
export type Session = typeof sessions.$inferSelect;

/** A bearer token for the JSON API. Only its SHA-256 is stored. */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid().notNull().references(() => users.id, { onDelete: "restrict" }),
    name: text().notNull(),
    tokenHash: text().notNull().unique("api_tokens_token_hash_key"),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    revokedAt: timestamp({ withTimezone: true }),
    lastUsedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("api_tokens_user_idx").on(t.userId)],
);
export type ApiToken = typeof apiTokens.$inferSelect;

/** Failed sign-in counters per key ("account:<email>" or "client:<ip>") in a sliding window. */
export const signInThrottle = pgTable("sign_in_throttle", {
  key: text().primaryKey(),
  failures: integer().notNull().default(0),
  windowStartedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  lockedUntil: timestamp({ withTimezone: true }),
});

/**
 * One row per form submission key (a random key each form render carries): a double-click or a
 * retried post finds the row and gets the first post's answer instead of making a second record.
 * `outcome` is null while the first post is still running. Rows older than a day are removed.
 */
export const formSubmissions = pgTable(
  "form_submissions",
  {
    key: text().primaryKey(),
    userId: uuid().notNull().references(() => users.id, { onDelete: "restrict" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    outcome: jsonb().$type<{ status: number; location?: string; body?: unknown; fingerprint?: string }>(),
  },
  (t) => [index("form_submissions_created_idx").on(t.createdAt)],
);
