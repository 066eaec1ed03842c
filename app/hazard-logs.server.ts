// Hazard logs as a reader sees them: which logs, and their counts by status and residual risk.
import { and, count, inArray, isNull } from "drizzle-orm";
import { hazards, organisations } from "#db/schema/index.ts";
import type { SessionUser } from "./auth.server.ts";
import { getDb } from "./db.server.ts";
import { canReadLog, type MembershipFacts } from "./domain/permissions.ts";
import { can, loadLogsWithFacts, type LogWithFacts } from "./permissions.server.ts";

export type LogSummary = {
  id: string;
  title: string;
  standard: "DCB0129" | "DCB0160";
  scope: "platform" | "shared" | "local";
  organisation: { id: string; name: string };
  platform: { id: string; name: string };
  canEdit: boolean;
};

export type LogCounts = { total: number; byStatus: Record<"open" | "transferred" | "closed", number>; byResidualRisk: Record<"1" | "2" | "3" | "4" | "5" | "unassessed", number> };

const SCOPE_ORDER = { platform: 0, shared: 1, local: 2 } as const;

/** Logs the user may read; pass `readers` to narrow to some memberships (the active organisation). */
export async function listReadableLogs(user: SessionUser, readers: MembershipFacts[] = user.memberships): Promise<LogSummary[]> {
  const db = await getDb();
  const readable = (await loadLogsWithFacts(db)).filter((l) => canReadLog(readers, l.facts));
  return summarise(user, readable);
}

async function summarise(user: SessionUser, logs: LogWithFacts[]): Promise<LogSummary[]> {
  if (logs.length === 0) return [];
  const db = await getDb();
  const orgs = await db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, [...new Set(logs.map((l) => l.organisationId))]));
  return logs
    .map((l) => ({
      id: l.id,
      title: l.title,
      standard: l.standard,
      scope: l.scope,
      organisation: orgs.find((o) => o.id === l.organisationId)!,
      platform: { id: l.platformId, name: l.platformName },
      canEdit: can(user, l, "edit:hazard"),
    }))
    .sort((a, b) => a.platform.name.localeCompare(b.platform.name) || SCOPE_ORDER[a.scope] - SCOPE_ORDER[b.scope] || a.title.localeCompare(b.title));
}

/** Counts of live (not deprecated) hazards per log, by status and by residual risk 1–5. */
export async function countHazards(logIds: string[]): Promise<Record<string, LogCounts>> {
  const out: Record<string, LogCounts> = {};
  for (const id of logIds) out[id] = { total: 0, byStatus: { open: 0, transferred: 0, closed: 0 }, byResidualRisk: { "1": 0, "2": 0, "3": 0, "4": 0, "5": 0, unassessed: 0 } };
  if (logIds.length === 0) return out;
  const db = await getDb();
  const rows = await db
    .select({ logId: hazards.hazardLogId, status: hazards.status, risk: hazards.residualRisk, n: count() })
    .from(hazards)
    .where(and(inArray(hazards.hazardLogId, logIds), isNull(hazards.deprecatedAt)))
    .groupBy(hazards.hazardLogId, hazards.status, hazards.residualRisk);
  for (const r of rows) {
    const c = out[r.logId];
    const n = Number(r.n);
    c.total += n;
    c.byStatus[r.status] += n;
    c.byResidualRisk[r.risk ? (String(r.risk) as "1") : "unassessed"] += n;
  }
  return out;
}

