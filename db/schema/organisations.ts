// Organisations, people and their roles: who is who in the product.
import { sql } from "drizzle-orm";
import { boolean, check, index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

export const ORGANISATION_KINDS = ["icb", "supplier", "deployer"] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];
export const ROLES = ["cso", "contributor", "approver", "viewer", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** An ICB, a supplier (manufacturer) or a deploying health organisation. */
export const organisations = pgTable(
  "organisations",
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    slug: text().notNull(),
    kind: text({ enum: ORGANISATION_KINDS }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("organisations_slug_key").on(t.slug),
    check("organisations_kind_check", sql`${t.kind} in ('icb','supplier','deployer')`),
  ],
);
export type Organisation = typeof organisations.$inferSelect;

/** A person. Never deleted: signatures and audit entries keep pointing at them. */
export const users = pgTable(
  "users",
  {
    id: uuid().primaryKey().defaultRandom(),
    email: text().notNull(),
    name: text().notNull(),
    passwordHash: text().notNull(),
    active: boolean().notNull().default(true),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("users_email_key").on(t.email)],
);
export type User = typeof users.$inferSelect;

/** A person's role in one organisation. Deactivated, never deleted. */
export const memberships = pgTable(
  "memberships",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid().notNull().references(() => users.id, { onDelete: "restrict" }),
    organisationId: uuid().notNull().references(() => organisations.id, { onDelete: "restrict" }),
    role: text({ enum: ROLES }).notNull(),
    active: boolean().notNull().default(true),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("memberships_user_organisation_key").on(t.userId, t.organisationId),
    index("memberships_organisation_idx").on(t.organisationId),
    check("memberships_role_check", sql`${t.role} in ('cso','contributor','approver','viewer','admin')`),
  ],
);
export type Membership = typeof memberships.$inferSelect;
