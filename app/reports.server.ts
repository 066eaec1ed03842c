// Generated safety reports (issue 7): fetch first, render second. Each function here checks who may
// read (requireCase / requireLog and the contract §3 rule in app/domain/permissions.ts — 404 when
// unreadable), gathers everything the report shows, and hands it to a renderer in app/reports/
// with the caller's clock. Rendering streams: the Response body is the pdfkit stream.
//
// Downloads are plain reads: no audit entry is written (see the README's decisions).
import { and, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "#db/client.ts";
import { baselines, deployments, hazardLogs, logIssues, organisations, platforms, safetyCases } from "#db/schema/index.ts";
import type { SessionUser } from "./auth.server.ts";
import { logContent } from "./baselines.server.ts";
import { getDb } from "./db.server.ts";
import { sha256Hex } from "./domain/canonical.ts";
import { canReadLog } from "./domain/permissions.ts";
import { isUuid } from "./domain/ids.ts";
import { AppError, notFound } from "./errors.server.ts";
import { loadRiskScheme } from "./hazard-store.server.ts";
import { loadLogsWithFacts, requireLog, type LogWithFacts } from "./permissions.server.ts";
import { buildCaseView, requireCase } from "./safety-case-view.server.ts";
import { parseContent, type ContentSource, type LogContent } from "./reports/content.ts";
import type { BoardReportData } from "./reports/board-report.ts";
import type { HazardLogReportData } from "./reports/hazard-log-report.ts";
import type { Doc } from "./reports/layout.ts";
import type { SafetyCaseReportData } from "./reports/safety-case-report.ts";
import { renderJob, type ReportJob } from "./reports/render-job.ts";
import { renderInWorker, shouldUseWorker } from "./report-worker.server.ts";

export { toBuffer } from "./reports/layout.ts";

/**
 * The PDF response: streamed from this thread as pdfkit writes it, or, for a large report, rendered
 * whole by the report worker (app/report-worker.server.ts) so other users are not held up.
 */
export async function reportResponse(job: ReportJob, now: Date, filename: string): Promise<Response> {
  if (shouldUseWorker(job)) return pdfResponse(await renderInWorker(job, now), filename, "worker");
  return pdfResponse(renderJob(job, now), filename, "stream");
}

function pdfResponse(doc: Doc | Buffer, filename: string, renderedBy: "worker" | "stream"): Response {
  const body = Buffer.isBuffer(doc) ? new Uint8Array(doc) : streamOf(doc);
  return new Response(body, {
    headers: {
      // For operators: which path produced the file (worker thread, or streamed from the request).
      "X-Report-Rendered-By": renderedBy,
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${filename.replace(/[^\w.-]+/g, "-")}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60) || "report";

async function organisationNames(db: Db, ids: string[]): Promise<Record<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return {};
  const rows = await db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, unique));
  return Object.fromEntries(rows.map((r) => [r.id, r.name]));
}

async function platformFacts(db: Db, log: LogWithFacts) {
  const p = log.facts.platform;
  const names = await organisationNames(db, [p.supplierOrganisationId, p.icbOrganisationId, ...p.deployerOrganisationIds]);
  return { name: log.platformName, supplier: names[p.supplierOrganisationId] ?? "", icb: names[p.icbOrganisationId] ?? "", deployers: p.deployerOrganisationIds.map((id) => names[id] ?? "").filter(Boolean) };
}

/** Every organisation a log's controls name, plus the log's owner. */
function referencedOrganisations(content: LogContent) {
  return [content.hazardLog.organisationId, ...content.hazards.flatMap((h) => h.controls.map((c) => c.ownerOrganisationId))];
}

// ---------------------------------------------------------------------------------------------
// Clinical Safety Case Report

export async function getSafetyCaseReportData(user: SessionUser, caseId: string): Promise<SafetyCaseReportData> {
  const db = await getDb();
  const { row, log } = await requireCase(db, user, caseId);
  const view = await buildCaseView(db, user, row, log);
  let content: LogContent;
  let source: ContentSource;
  const [baseline] = view.baseline && row.baselineId ? await db.select().from(baselines).where(eq(baselines.id, row.baselineId)) : [];
  if (view.baseline && baseline) {
    content = parseContent(baseline.content);
    source = { kind: "baseline", hazardLogVersion: baseline.hazardLogVersion, sha256: baseline.sha256, frozenAt: baseline.createdAt.toISOString(), issued: false };
  } else {
    const current = await logContent(db, log.id);
    content = parseContent(current.content);
    source = { kind: "current", sha256: current.sha256 };
  }
  const names = await organisationNames(db, [...referencedOrganisations(content), ...view.requiredSignatories.map((s) => s.organisationId)]);
  const signed = [...view.signatures];
  return {
    case: { id: view.id, title: view.title, state: view.state, version: view.version, createdAt: view.createdAt, organisation: view.organisation.name },
    log: { title: log.title, standard: log.standard, scope: log.scope, owner: names[log.organisationId] ?? "" },
    platform: await platformFacts(db, log),
    source,
    content,
    scheme: await loadRiskScheme(db, log.riskSchemeId),
    organisations: names,
    slots: view.requiredSignatories.map((slot) => {
      const i = slot.signed ? signed.findIndex((s) => s.organisation.id === slot.organisationId && s.role === slot.role) : -1;
      const s = i >= 0 ? signed.splice(i, 1)[0] : null;
      return {
        organisation: slot.organisationName,
        role: slot.role,
        signature: s ? { name: s.user.name, organisation: s.organisation.name, role: s.role, meaning: s.meaning, signedAt: s.signedAt, sha256: s.sha256, hazardLogVersion: s.hazardLogVersion } : null,
      };
    }),
  };
}

export async function safetyCaseReportResponse(user: SessionUser, caseId: string, now: Date): Promise<Response> {
  const data = await getSafetyCaseReportData(user, caseId);
  const version = data.source.kind === "baseline" ? `v${data.source.hazardLogVersion}` : "draft";
  return reportResponse({ kind: "safety-case", data }, now, `safety-case-${slug(data.case.title)}-${version}.pdf`);
}

// ---------------------------------------------------------------------------------------------
// Hazard log report: the current content, or a frozen baseline by its version number

export async function getHazardLogReportData(user: SessionUser, logId: string, baselineVersion: string | null): Promise<HazardLogReportData> {
  const db = await getDb();
  const log = await requireLog(db, user, logId);
  let content: LogContent;
  let source: ContentSource;
  if (baselineVersion !== null) {
    if (!/^[1-9]\d{0,8}$/.test(baselineVersion)) throw new AppError("bad_request", "baseline must be a baseline version number (1, 2, 3 …)", { fields: { baseline: "must be a version number" } });
    const [b] = await db.select().from(baselines).where(and(eq(baselines.hazardLogId, log.id), eq(baselines.hazardLogVersion, Number(baselineVersion))));
    if (!b) throw notFound("Baseline");
    const [issue] = await db.select({ id: logIssues.id }).from(logIssues).where(and(eq(logIssues.baselineId, b.id), eq(logIssues.state, "issued"))).limit(1);
    content = parseContent(b.content);
    source = { kind: "baseline", hazardLogVersion: b.hazardLogVersion, sha256: b.sha256, frozenAt: b.createdAt.toISOString(), issued: !!issue };
  } else {
    const current = await logContent(db, log.id);
    content = parseContent(current.content);
    source = { kind: "current", sha256: current.sha256 };
  }
  const names = await organisationNames(db, referencedOrganisations(content));
  return {
    log: { id: log.id, title: log.title, standard: log.standard, scope: log.scope, owner: names[log.organisationId] ?? "" },
    platform: await platformFacts(db, log),
    source,
    content,
    scheme: await loadRiskScheme(db, log.riskSchemeId),
    organisations: names,
  };
}

export async function hazardLogReportResponse(user: SessionUser, logId: string, baselineVersion: string | null, now: Date): Promise<Response> {
  const data = await getHazardLogReportData(user, logId, baselineVersion);
  const version = data.source.kind === "baseline" ? `v${data.source.hazardLogVersion}` : "current";
  return reportResponse({ kind: "hazard-log", data }, now, `hazard-log-${slug(data.log.title)}-${version}.pdf`);
}

// ---------------------------------------------------------------------------------------------
// ICB board assurance report: one platform, across the logs the caller may read

export async function getBoardReportData(user: SessionUser, platformId: string): Promise<BoardReportData> {
  if (!isUuid(platformId)) throw notFound("Platform");
  const db = await getDb();
  const [platform] = await db.select().from(platforms).where(eq(platforms.id, platformId));
  if (!platform) throw notFound("Platform");
  const logIds = (await db.select({ id: hazardLogs.id }).from(hazardLogs).where(eq(hazardLogs.platformId, platform.id))).map((r) => r.id);
  const readable = (await loadLogsWithFacts(db, logIds)).filter((l) => canReadLog(user.memberships, l.facts));
  if (readable.length === 0) throw notFound("Platform"); // exactly as if it did not exist
  const logs = [];
  for (const log of readable.sort((a, b) => ["platform", "shared", "local"].indexOf(a.scope) - ["platform", "shared", "local"].indexOf(b.scope) || a.title.localeCompare(b.title))) {
    const current = await logContent(db, log.id);
    logs.push({ id: log.id, title: log.title, standard: log.standard, scope: log.scope, organisationId: log.organisationId, content: parseContent(current.content), sha256: current.sha256 });
  }
  const deployerIds = (await db.select({ id: deployments.organisationId }).from(deployments).where(eq(deployments.platformId, platform.id))).map((r) => r.id);
  const caseRows = await db.select().from(safetyCases).where(inArray(safetyCases.hazardLogId, readable.map((l) => l.id))).orderBy(desc(safetyCases.createdAt));
  const cases = [];
  for (const row of caseRows) {
    const log = readable.find((l) => l.id === row.hazardLogId)!;
    const view = await buildCaseView(db, user, row, log);
    cases.push({ title: view.title, state: view.state, logTitle: log.title, ownerOrganisationId: row.organisationId, slots: view.requiredSignatories.map((s) => ({ organisationId: s.organisationId, role: s.role, signed: s.signed })), signatures: view.signatures.map((s) => ({ organisationId: s.organisation.id, signedAt: s.signedAt })) });
  }
  const participantIds = [platform.supplierOrganisationId, platform.icbOrganisationId, ...deployerIds];
  const names = await organisationNames(db, [...participantIds, ...logs.flatMap((l) => referencedOrganisations(l.content))]);
  // One hash for the whole report: the logs' content hashes in order, so the footer still identifies what was read.
  return {
    platform: { id: platform.id, name: platform.name },
    icb: names[platform.icbOrganisationId] ?? "",
    organisations: participantIds.map((id) => ({ id, name: names[id] ?? "" })),
    names,
    logs,
    cases,
    sha256: sha256Hex(logs.map((l) => `${l.id}:${l.sha256}`).join("\n")),
    scheme: await loadRiskScheme(db, readable[0].riskSchemeId),
  };
}

export async function boardReportResponse(user: SessionUser, platformId: string, now: Date): Promise<Response> {
  const data = await getBoardReportData(user, platformId);
  return reportResponse({ kind: "board", data }, now, `board-assurance-${slug(data.platform.name)}.pdf`);
}

/**
 * pdfkit's output as a web stream. Not Readable.toWeb(doc): when the client goes away (the body is
 * cancelled) pdfkit keeps writing, and that adapter's enqueue on the closed controller is an
 * uncaught exception that ends the process.
 */
function streamOf(doc: Doc): ReadableStream<Uint8Array> {
  let done = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      doc.on("data", (chunk: Buffer) => {
        if (!done) controller.enqueue(new Uint8Array(chunk));
      });
      doc.on("end", () => {
        if (done) return;
        done = true;
        controller.close();
      });
      doc.on("error", (error: unknown) => {
        if (done) return;
        done = true;
        controller.error(error);
      });
    },
    cancel() {
      done = true;
    },
  });
}
