// The risk schemes held in the database (the matrix is data, not code).
import { asc } from "drizzle-orm";
import { riskSchemes } from "#db/schema/index.ts";
import { getDb } from "./db.server.ts";
import { AppError } from "./errors.server.ts";
import type { RiskScheme } from "./domain/risk.ts";

/** The scheme new logs use: the first one seeded (the NHS example scheme). */
export async function getDefaultRiskScheme(): Promise<RiskScheme> {
  const [row] = await (await getDb()).select().from(riskSchemes).orderBy(asc(riskSchemes.createdAt)).limit(1);
  if (!row) throw new AppError("not_found", "No risk scheme is configured");
  return row;
}
