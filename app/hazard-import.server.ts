// Import of a spreadsheet in the NHS Hazard Log template layout into a log the user may import
// into (import:log). Two steps in the browser: preview (parse, validate every row, plan creates and
// updates, store the plan) then confirm (apply the whole plan in ONE transaction, with one
// `log.imported` audit entry beside each hazard's own entry). The API does both in one call.
// An import with any problem writes nothing; a hazard changed since the preview answers 409 and
// writes nothing either.
import { createHash } from "node:crypto";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { and, eq, isNull } from "drizzle-orm";
import { importPreviews, type ImportPreviewRow } from "#db/schema/index.ts";
import type { SessionUser } from "./auth.server.ts";
import { appendAudit } from "./audit.server.ts";
import { getDb } from "./db.server.ts";
import { HazardInput } from "./domain/hazard-fields.ts";
import { importReason, planImport, planSummary, type ImportPlan, type ImportProblem, type PlanItem } from "./domain/import-plan.ts";
import { isUuid } from "./domain/ids.ts";
import { readSpreadsheet, SpreadsheetError } from "./domain/spreadsheet.ts";
import { AppError, notFound } from "./errors.server.ts";
import { loadLogViews, organisationNames } from "./hazard-export.server.ts";
import { checkNewHazard, createHazardInTx, createHazardsInTx, HazardPatch, NothingChanged, updateHazardInTx } from "./hazards.server.ts";
import { bulkContext, loadRiskScheme, type Tx } from "./hazard-store.server.ts";
import { advanceProgress, finishProgress, startProgress } from "./import-progress.server.ts";
import { can, requireLog, type LogWithFacts } from "./permissions.server.ts";
import { takeUploadSlot } from "./throttle.server.ts";
import type { Upload } from "./upload.server.ts";

export const PREVIEW_TTL_MS = 60 * 60_000;

/** The upload is read only after the caller is authorised: a refused caller never uploads 50 MB. */
export type UploadSource = () => Promise<Upload>;

export type ImportResult = { created: number; updated: number; unchanged: number };
type StoredItem = PlanItem | { action: "unchanged"; row: number; ref: string };

// ---------------------------------------------------------------------------------------------
// Planning

async function planFor(tx: Tx, log: LogWithFacts, upload: Upload): Promise<ImportPlan> {
  let sheet;
  try {
    sheet = await readSpreadsheet(upload.bytes, upload.filename);
  } catch (error) {
    if (!(error instanceof SpreadsheetError)) throw error;
    if (error.status === 413) throw new AppError("too_large", error.message);
    if (error.status === 400) throw new AppError("bad_request", error.message, { fields: { file: error.message } });
    // Whole-file problems (wrong headings, no Hazard Log sheet) are import errors with no row.
    throw new AppError("import_errors", error.message, { rows: [{ row: 0, column: "", message: error.message }] });
  }
  const existing = await loadLogViews(tx, log.id);
  const names = await organisationNames(tx, log, existing);
  return planImport(sheet, {
    scheme: await loadRiskScheme(tx, log.riskSchemeId),
    existing: new Map(existing.map((v) => [v.ref, v])),
    orgNameById: names,
    organisationIdByName: new Map([...names].map(([id, name]) => [name, id])),
    filename: upload.filename,
  });
}

export const sha256Of = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

// ---------------------------------------------------------------------------------------------
// Browser: preview, read, cancel, confirm

export type PreviewView = {
  id: string;
  hazardLogId: string;
  filename: string;
  format: string;
  rowCount: number;
  expiresAt: string;
  appliedAt: string | null;
  expired: boolean;
  summary: ReturnType<typeof planSummary>;
  items: { row: number; action: "create" | "update" | "unchanged"; ref: string | null; title: string; changes: string[]; note: string | null }[];
  problems: ImportProblem[];
};

/** Parses and plans the upload and stores the preview (problems included, so the page can list them). */
export async function previewImport(user: SessionUser, logId: string, read: UploadSource, now = new Date()): Promise<PreviewView> {
  const db = await getDb();
  const log = await requireLog(db, user, logId, "import:log");
  await takeUploadSlot(db, "import", user.id); // 429 before the body is read
  const upload = await read();
  const plan = await planFor(db, log, upload);
  const stored: StoredItem[] = [...plan.items, ...plan.unchanged.map((u) => ({ action: "unchanged" as const, ...u }))].sort((a, b) => a.row - b.row);
  const values = {
    hazardLogId: log.id, userId: user.id, organisationId: log.organisationId, filename: upload.filename, format: upload.format,
    sha256: sha256Of(upload.bytes), rowCount: plan.rowCount, plan: stored, problems: plan.problems, expiresAt: new Date(now.getTime() + PREVIEW_TTL_MS),
  };
  // Only the columns the database fills come back: the plan (megabytes at 5,000 rows) is not read
  // back to answer what was just written.
  const [filled] = await db.insert(importPreviews).values(values).returning({ id: importPreviews.id, createdAt: importPreviews.createdAt, appliedAt: importPreviews.appliedAt });
  return toView({ ...values, ...filled }, now);
}

function toView(row: ImportPreviewRow, now = new Date()): PreviewView {
  const items = row.plan as StoredItem[];
  return {
    id: row.id, hazardLogId: row.hazardLogId, filename: row.filename, format: row.format, rowCount: row.rowCount,
    expiresAt: row.expiresAt.toISOString(), appliedAt: row.appliedAt?.toISOString() ?? null, expired: row.expiresAt <= now,
    summary: planSummary({ items: items.filter((i): i is PlanItem => i.action !== "unchanged"), unchanged: items.filter((i) => i.action === "unchanged") as never[], problems: row.problems }),
    items: items.map((i) => ({
      row: i.row, action: i.action, ref: i.ref, title: i.action === "unchanged" ? "" : i.title,
      changes: i.action === "update" ? i.changes : [], note: i.action === "create" ? (i.note ?? null) : null,
    })),
    problems: row.problems,
  };
}

/** Only its creator sees a preview (anyone else: 404, as if it did not exist). */
async function requirePreview(user: SessionUser, previewId: string, logId?: string): Promise<ImportPreviewRow> {
  if (!isUuid(previewId)) throw notFound("Import preview");
  const db = await getDb();
  const [row] = await db.select().from(importPreviews).where(eq(importPreviews.id, previewId));
  if (!row || row.userId !== user.id || (logId && row.hazardLogId !== logId)) throw notFound("Import preview");
  return row;
}

export async function getPreview(user: SessionUser, previewId: string, logId?: string): Promise<PreviewView> {
  const row = await requirePreview(user, previewId, logId);
  await requireLog(await getDb(), user, row.hazardLogId, "import:log");
  return toView(row);
}

/** Cancel: the preview is deleted (it never reached the log, so nothing is audited). */
export async function cancelPreview(user: SessionUser, previewId: string): Promise<void> {
  const row = await requirePreview(user, previewId);
  await (await getDb()).delete(importPreviews).where(and(eq(importPreviews.id, row.id), isNull(importPreviews.appliedAt)));
}

export type Progress = (done: number, total: number) => void;

/** The import page: the log, whether the user may import, and their preview if one is asked for. */
export async function importPage(user: SessionUser, logId: string, previewId: string | null) {
  const db = await getDb();
  const log = await requireLog(db, user, logId, "read:log");
  const preview = previewId ? await getPreview(user, previewId, log.id) : null;
  return { log: { id: log.id, title: log.title, standard: log.standard }, canImport: can(user, log, "import:log"), preview };
}

export async function confirmImport(
  user: SessionUser,
  previewId: string,
  opts: { requestId?: string | null; onProgress?: Progress; now?: Date; progressOwner?: string | null; createMode?: CreateMode } = {},
): Promise<ImportResult> {
  if (opts.progressOwner) {
    // Rows written so far, for the page to poll while the transaction runs.
    startProgress(previewId, opts.progressOwner, 0);
    const track: Progress = (done, total) => {
      advanceProgress(previewId, done, total);
      opts.onProgress?.(done, total);
    };
    try {
      const result = await confirmImport(user, previewId, { ...opts, progressOwner: null, onProgress: track });
      finishProgress(previewId, "done");
      return result;
    } catch (error) {
      finishProgress(previewId, "failed");
      throw error;
    }
  }
  const row = await requirePreview(user, previewId);
  const db = await getDb();
  const log = await requireLog(db, user, row.hazardLogId, "import:log");
  if (row.problems.length) throw new AppError("import_errors", "The import has problems: nothing was written", { rows: row.problems });
  if (row.appliedAt) throw new AppError("not_allowed", "This import has already been applied");
  if (row.expiresAt <= (opts.now ?? new Date())) throw new AppError("not_allowed", "This preview has expired: upload the file again");
  const items = (row.plan as StoredItem[]).filter((i): i is PlanItem => i.action !== "unchanged");
  const unchanged = row.plan.length - items.length;
  return db.transaction(async (tx) => {
    // Claiming the preview first makes a double confirm (two tabs) apply once.
    const claimed = await tx.update(importPreviews).set({ appliedAt: new Date() }).where(and(eq(importPreviews.id, row.id), isNull(importPreviews.appliedAt))).returning({ id: importPreviews.id });
    if (claimed.length === 0) throw new AppError("not_allowed", "This import has already been applied");
    return applyPlan(tx, { user, log, items, unchanged, filename: row.filename, sha256: row.sha256, format: row.format, requestId: opts.requestId ?? null, onProgress: opts.onProgress, createMode: opts.createMode });
  });
}

// ---------------------------------------------------------------------------------------------
// API: preview and apply in one call

export async function importFile(user: SessionUser, logId: string, read: UploadSource, requestId: string | null = null): Promise<ImportResult> {
  const db = await getDb();
  const log = await requireLog(db, user, logId, "import:log");
  await takeUploadSlot(db, "import", user.id); // 429 before the body is read
  const upload = await read();
  const plan = await planFor(db, log, upload);
  if (plan.problems.length) throw importErrors(plan.problems);
  return db.transaction((tx) =>
    applyPlan(tx, { user, log, items: plan.items, unchanged: plan.unchanged.length, filename: upload.filename, sha256: sha256Of(upload.bytes), format: upload.format, requestId }),
  );
}

export function importErrors(problems: ImportProblem[]): AppError {
  const rows = new Set(problems.map((p) => p.row)).size;
  return new AppError("import_errors", `The import has ${problems.length} problem${problems.length === 1 ? "" : "s"} in ${rows} row${rows === 1 ? "" : "s"}: nothing was written`, { rows: problems });
}

// ---------------------------------------------------------------------------------------------
// Applying, inside the caller's transaction

/**
 * How the plan's creates are written. "bulk" (the default): each run of consecutive creates, up to
 * CREATE_CHUNK at a time, through createHazardsInTx (multi-row INSERTs, one audit batch).
 * "one-by-one": each through createHazardInTx; kept as the reference the equivalence test compares
 * the bulk path with. Updates are applied one by one either way (each in its own savepoint).
 */
export type CreateMode = "bulk" | "one-by-one";
export const CREATE_CHUNK = 250;

async function applyPlan(
  tx: Tx,
  a: { user: SessionUser; log: LogWithFacts; items: PlanItem[]; unchanged: number; filename: string; sha256: string; format: string; requestId: string | null; onProgress?: Progress; createMode?: CreateMode },
): Promise<ImportResult> {
  const { user, log, items } = a;
  const scheme = await loadRiskScheme(tx, log.riskSchemeId);
  const reason = importReason(a.filename);
  const created: string[] = [];
  const updated: { ref: string; version: number }[] = [];
  const ctx = bulkContext();
  let unchanged = a.unchanged;
  /** The error to answer for a failure on `item` (null: the row turned out unchanged). */
  const rowError = (item: PlanItem, error: unknown) => {
    if (error instanceof NothingChanged) return null;
    if (error instanceof AppError && error.code === "stale_version")
      return new AppError("stale_version", `${item.ref} (row ${item.row}) has changed since the preview: nothing was written; upload the file again`);
    if (error instanceof AppError && error.code === "bad_request")
      return importErrors(Object.entries(error.extra.fields ?? { "": error.message }).map(([field, message]) => ({ row: item.row, column: field, message: `${error.message}: ${message}` })));
    return error;
  };
  let n = 0;
  while (n < items.length) {
    const item = items[n];
    if (item.action === "create" && a.createMode !== "one-by-one") {
      const run: { item: PlanItem; input: HazardInput }[] = [];
      for (; n < items.length && run.length < CREATE_CHUNK; n++) {
        const next = items[n];
        if (next.action !== "create") break;
        const input = HazardInput.parse(next.input);
        // Checked row by row first, so a refusal names its row (createHazardsInTx checks again).
        try {
          await checkNewHazard(tx, scheme, input, true);
        } catch (error) {
          throw rowError(next, error);
        }
        run.push({ item: next, input });
      }
      const views = await createHazardsInTx(tx, { user, log, scheme, inputs: run.map((r) => r.input), reason, requestId: a.requestId, imported: true, ctx });
      created.push(...views.map((v) => v.ref));
      a.onProgress?.(n, items.length);
      // PGlite answers queries through microtasks only: without this the server could answer no
      // other request (the progress polls included) until the whole import is done.
      await yieldToEventLoop();
      continue;
    }
    try {
      if (item.action === "create") {
        const view = await createHazardInTx(tx, { user, log, scheme, input: HazardInput.parse(item.input), reason, requestId: a.requestId, imported: true });
        created.push(view.ref);
      } else {
        const patch = HazardPatch.parse(item.patch);
        // A savepoint per update: a patch that turns out to change nothing rolls back alone.
        const view = await tx.transaction((sp) => updateHazardInTx(sp, { user, log, id: item.hazardId, patch, mayAssess: true, requestId: a.requestId, imported: true }));
        updated.push({ ref: view.ref, version: view.version });
      }
    } catch (error) {
      const answer = rowError(item, error);
      if (answer) throw answer;
      unchanged++;
    }
    n++;
    a.onProgress?.(n, items.length);
    if (n % 10 === 0) await yieldToEventLoop();
  }
  await appendAudit(tx, {
    organisationId: log.organisationId,
    actor: { userId: user.id, name: user.name, role: user.memberships.find((m) => m.organisationId === log.organisationId)?.role ?? null },
    action: "log.imported",
    entityType: "hazard_log",
    entityId: log.id,
    changes: { filename: a.filename, format: a.format, sha256: a.sha256, created, updated, unchanged },
    reason,
    requestId: a.requestId,
  });
  return { created: created.length, updated: updated.length, unchanged };
}
