// Platforms, where they are deployed, and the risk schemes used to rate hazards.
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organisations } from "./organisations";

/** A health IT platform: supplied by a manufacturer, procured by an ICB. */
export const platforms = pgTable("platforms", {
  id: uuid().primaryKey().defaultRandom(),
  name: text().notNull(),
  supplierOrganisationId: uuid().notNull().references(() => organisations.id, { onDelete: "restrict" }),
  icbOrganisationId: uuid().notNull().references(() => organisations.id, { onDelete: "restrict" }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
export type Platform = typeof platforms.$inferSelect;

/** A platform deployed at one health organisation. */
export const deployments = pgTable(
  "deployments",
  {
    id: uuid().primaryKey().defaultRandom(),
    platformId: uuid().notNull().references(() => platforms.id, { onDelete: "restrict" }),
    organisationId: uuid().notNull().references(() => organisations.id, { onDelete: "restrict" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("deployments_platform_organisation_key").on(t.platformId, t.organisationId),
    index("deployments_organisation_idx").on(t.organisationId),
  ],
);
export type Deployment = typeof deployments.$inferSelect;

export type RiskLevel = { code: string; label: string; text?: string };

/**
 * A versioned risk scheme (the CRMP's acceptability criteria), held as data so a revised
 * standard or a local CRMP can be adopted without a code change. `matrix[l][s]` is the rating
 * for likelihood index l and severity index s (both 0-based, in the order of the arrays).
 */
export const riskSchemes = pgTable(
  "risk_schemes",
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    version: integer().notNull(),
    severities: jsonb().$type<RiskLevel[]>().notNull(),
    likelihoods: jsonb().$type<RiskLevel[]>().notNull(),
    matrix: jsonb().$type<number[][]>().notNull(),
    acceptability: jsonb().$type<Record<string, string>>().notNull(),
    labels: jsonb().$type<Record<string, string>>().notNull(),
    colours: jsonb().$type<Record<string, string>>().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("risk_schemes_name_version_key").on(t.name, t.version)],
);
export type RiskSchemeRow = typeof riskSchemes.$inferSelect;
