// The risk schemes held in the database (the matrix is data, not code).
import { asc, eq } from "drizzle-orm";
import type { Db } from "#db/client.ts";
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

// A scheme row is never changed once written (a new version is a new row, unique by name and
// version), so reads of one by id are cached per database handle.
const schemes = new WeakMap<Db, Map<string, Promise<RiskScheme>>>();

/** The risk scheme `id` (cached: scheme rows are immutable). */
export function riskSchemeById(db: Db, id: string): Promise<RiskScheme> {
  let byId = schemes.get(db);
  if (!byId) schemes.set(db, (byId = new Map()));
  let scheme = byId.get(id);
  if (!scheme) {
    scheme = db.select().from(riskSchemes).where(eq(riskSchemes.id, id)).then(([row]) => {
      if (!row) throw new Error(`Risk scheme ${id} not found`);
      return row;
    });
    scheme.catch(() => byId.delete(id));
    byId.set(id, scheme);
  }
  return scheme;
}
