// Export of a hazard log in the NHS Hazard Log template v3.6 layout (xlsx with its Risk Matrix
// sheet, or CSV in the same column order). Any reader of the log may export; every export is
// audited, since a copy of the log then leaves the system.
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { hazards, organisations } from "#db/schema/index.ts";
import type { SessionUser } from "./auth.server.ts";
import { appendAudit } from "./audit.server.ts";
import { getDb } from "./db.server.ts";
import type { HazardView } from "./domain/hazard-view.ts";
import { hazardToRow } from "./domain/nhs-template.ts";
import { writeCsv, writeXlsx } from "./domain/spreadsheet.ts";
import { AppError } from "./errors.server.ts";
import { buildViews, loadRiskScheme, type Tx } from "./hazard-store.server.ts";
import { requireLog, type LogWithFacts } from "./permissions.server.ts";

export const EXPORT_FORMATS = ["xlsx", "csv"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const MEDIA_TYPES: Record<ExportFormat, string> = {
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  csv: "text/csv; charset=utf-8",
};

export function parseExportFormat(value: string | null): ExportFormat {
  if (value === null || value === "") return "xlsx";
  if ((EXPORT_FORMATS as readonly string[]).includes(value)) return value as ExportFormat;
  throw new AppError("bad_request", "format must be xlsx or csv", { fields: { format: "must be xlsx or csv" } });
}

/** The log's live hazards in ref order (deprecated ones have no template column and stay out). */
export async function loadLogViews(tx: Tx, logId: string, batch = 500): Promise<HazardView[]> {
  const rows = await tx.select().from(hazards).where(and(eq(hazards.hazardLogId, logId), isNull(hazards.deprecatedAt))).orderBy(asc(hazards.refNumber));
  const views: HazardView[] = [];
  for (let i = 0; i < rows.length; i += batch) views.push(...(await buildViews(tx, rows.slice(i, i + batch))));
  return views;
}

/** Names of the platform's organisations and of any other control owner, for Evidence cells. */
export async function organisationNames(tx: Tx, log: LogWithFacts, views: HazardView[] = []): Promise<Map<string, string>> {
  const p = log.facts.platform;
  const ids = new Set([log.organisationId, p.supplierOrganisationId, p.icbOrganisationId, ...p.deployerOrganisationIds]);
  for (const v of views) for (const c of v.controls) ids.add(c.ownerOrganisationId);
  const rows = await tx.select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, [...ids]));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** "Wessex Shared EPR — DCB0129 hazard log" → "wessex-shared-epr-dcb0129-hazard-log-2025-01-31.xlsx". */
export function exportFilename(title: string, format: ExportFormat, now = new Date()): string {
  const slug = title.normalize("NFKD").replace(/[^\w\s-]/g, " ").trim().toLowerCase().replace(/[\s_-]+/g, "-").slice(0, 80) || "hazard-log";
  return `${slug}-${now.toISOString().slice(0, 10)}.${format}`;
}

export type ExportFile = { filename: string; mediaType: string; body: Uint8Array<ArrayBuffer>; hazardCount: number };

export async function exportLog(user: SessionUser, logId: string, format: ExportFormat, requestId: string | null = null): Promise<ExportFile> {
  const db = await getDb();
  const log = await requireLog(db, user, logId, "read:log");
  // Read and audit in one transaction so the audit entry names exactly what was exported.
  const { views, names, scheme } = await db.transaction(async (tx) => {
    const views = await loadLogViews(tx, log.id);
    const names = await organisationNames(tx, log, views);
    const scheme = await loadRiskScheme(tx, log.riskSchemeId);
    await appendAudit(tx, {
      organisationId: log.organisationId,
      actor: { userId: user.id, name: user.name, role: user.memberships.find((m) => m.organisationId === log.organisationId)?.role ?? null },
      action: "log.exported",
      entityType: "hazard_log",
      entityId: log.id,
      changes: { format, hazards: views.length },
      requestId,
    });
    return { views, names, scheme };
  });
  // The file is built after commit: nothing slow inside the transaction.
  const rows = views.map((v) => hazardToRow(v, names));
  const body = format === "xlsx" ? new Uint8Array(await writeXlsx(rows, scheme)) : new TextEncoder().encode(writeCsv(rows));
  return { filename: exportFilename(log.title, format), mediaType: MEDIA_TYPES[format], body, hazardCount: views.length };
}

export function exportResponse(file: ExportFile): Response {
  const ascii = file.filename.replace(/[^\x20-\x7E]/g, "_").replace(/"/g, "");
  return new Response(file.body, {
    headers: {
      "Content-Type": file.mediaType,
      "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
      "Content-Length": String(file.body.byteLength),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
