// Export and import through the real API routes (bearer tokens of the demo accounts), an empty log
// made directly in the database, and counts of what an import may write.
import { count, eq } from "drizzle-orm";
import type { Db } from "#db/client.ts";
import { auditEntries, hazardLogs, hazards, hazardVersions, importPreviews } from "#db/schema/index.ts";
import type { HazardInput } from "#app/domain/hazard-fields.ts";
import { readSpreadsheet } from "#app/domain/spreadsheet.ts";
import { insertHazards, loadRiskScheme } from "#app/hazard-store.server.ts";
import { loadLogsWithFacts } from "#app/permissions.server.ts";
import * as exportRoute from "#app/routes/api.v1.hazard-logs.$id.export.ts";
import * as importRoute from "#app/routes/api.v1.hazard-logs.$id.import.ts";
import { bearer, context } from "#tests/support/requests.ts";

export const SUPPLIER_LOG = "Wessex Shared EPR — DCB0129 hazard log";
export const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

export async function logIdByTitle(db: Db, title: string): Promise<string> {
  const [l] = await db.select().from(hazardLogs).where(eq(hazardLogs.title, title));
  if (!l) throw new Error(`no log ${title}`);
  return l.id;
}

/** A new empty log beside the supplier's (same platform, organisation and risk scheme). */
export async function emptyLog(db: Db, title: string, like = SUPPLIER_LOG): Promise<string> {
  const [model] = await db.select().from(hazardLogs).where(eq(hazardLogs.title, like));
  const [log] = await db
    .insert(hazardLogs)
    .values({ title, standard: model.standard, scope: model.scope, organisationId: model.organisationId, platformId: model.platformId, riskSchemeId: model.riskSchemeId })
    .returning();
  return log.id;
}

/** Hazards written straight through the store (no audit): fast set-up for big logs. */
export async function fillLog(db: Db, logId: string, inputs: HazardInput[]) {
  const [log] = await loadLogsWithFacts(db, [logId]);
  await db.transaction(async (tx) => {
    const scheme = await loadRiskScheme(tx, log.riskSchemeId);
    await insertHazards(tx, { log, scheme, inputs, actor: { userId: null, organisationId: log.organisationId } });
  });
}

export async function platformOrganisationIds(db: Db, logId: string): Promise<string[]> {
  const [log] = await loadLogsWithFacts(db, [logId]);
  const p = log.facts.platform;
  return [p.supplierOrganisationId, p.icbOrganisationId, ...p.deployerOrganisationIds];
}

export { sessionUserFor as sessionUser } from "#tests/support/requests.ts";

export async function exportVia(db: Db, email: string, logId: string, format?: string): Promise<Response> {
  const qs = format === undefined ? "" : `?format=${encodeURIComponent(format)}`;
  const request = new Request(`http://app.test/api/v1/hazard-logs/${logId}/export${qs}`, { headers: await bearer(db, email) });
  return exportRoute.loader({ request, params: { id: logId }, context: context() } as never) as Promise<Response>;
}

export async function exportBytes(db: Db, email: string, logId: string, format: "xlsx" | "csv"): Promise<Uint8Array> {
  const res = await exportVia(db, email, logId, format);
  if (res.status !== 200) throw new Error(`export answered ${res.status}: ${await res.text()}`);
  return new Uint8Array(await res.arrayBuffer());
}

export function multipart(file: Uint8Array | string | null, filename = "log.xlsx", field = "file"): FormData {
  const form = new FormData();
  if (file !== null) form.set(field, new Blob([typeof file === "string" ? file : new Uint8Array(file)]), filename);
  else form.set("other", "x");
  return form;
}

export async function importVia(db: Db, email: string, logId: string, body: FormData | ReadableStream | string, headers: Record<string, string> = {}) {
  const init: RequestInit & { duplex?: string } = { method: "POST", body, headers: { ...(await bearer(db, email)), ...headers } };
  if (body instanceof ReadableStream) init.duplex = "half";
  const request = new Request(`http://app.test/api/v1/hazard-logs/${logId}/import`, init);
  const res = (await importRoute.action({ request, params: { id: logId }, context: context() } as never)) as Response;
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Data rows of an exported file, cell by cell, without the columns a copy may not keep:
 * B (Date Added: when the copy was made) and AH (Version: a copy starts at 1). */
export async function comparableRows(bytes: Uint8Array, filename: string): Promise<Record<string, string>[]> {
  const { rows } = await readSpreadsheet(bytes, filename);
  return rows.map((r) => {
    const { B: _b, AH: _v, ...rest } = r.cells;
    return rest;
  });
}

/** What an import may write: hazards, versions, audit entries (all organisations) and previews. */
export async function counts(db: Db) {
  const n = async (table: typeof hazards | typeof hazardVersions | typeof auditEntries | typeof importPreviews) => Number((await db.select({ n: count() }).from(table))[0].n);
  return { hazards: await n(hazards), versions: await n(hazardVersions), audit: await n(auditEntries) };
}

export async function auditActions(db: Db, entityId: string): Promise<string[]> {
  const rows = await db.select().from(auditEntries).where(eq(auditEntries.entityId, entityId));
  return rows.map((r) => (r.entry as { action: string }).action);
}
