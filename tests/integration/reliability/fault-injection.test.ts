// "No lost data" (issue 8): every multi-step change is all-or-nothing. For each operation — import
// confirm (browser, CSV with creates and updates), API import (xlsx), hazard log ISSUE (baseline
// freeze), safety case SUBMIT (baseline) and SIGN, evidence upload, and a supplier hazard edit that
// propagates to the ICB's and the trusts' inheriting logs — the tables it writes are found by running
// it once and diffing every table. Then, for each of those tables in turn, a trigger that raises on
// any write to that one table is installed, the operation is sent through its route again (on a
// second, identical subject), and once the trigger is dropped every table's row count and content
// hash must be as before, every audit chain must verify, and the answer must be a clean refusal:
// a 500 with the generic message (never the database's words or a stack) from the API, an error
// thrown to Remix (its error boundary; 500) from a page action. Evidence uploads also meet a failing
// store (before and after the bytes are written): no row, no stored file, no temp file. Finally the
// operation succeeds on the same subject, showing nothing was left half-done in its way.
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "#db/client.ts";
import { hazardLogs, hazards } from "#db/schema/index.ts";
import { loadDcspHazards } from "#tests/fixtures/dcsp-markdown.ts";
import { previewImport } from "#app/hazard-import.server.ts";
import * as issueRoute from "#app/routes/api.v1.hazard-logs.$id.issue.ts";
import * as importRoute from "#app/routes/api.v1.hazard-logs.$id.import.ts";
import * as importPageRoute from "#app/routes/hazard-logs.$id_.import.tsx";
import { getEnv } from "#app/env.server.ts";
import { createFilesystemStore } from "#app/storage/filesystem.server.ts";
import { useEvidenceStore, type EvidenceStore } from "#app/storage/index.server.ts";
import { BASE, context, formRequest } from "#tests/support/requests.ts";
import { closeTestDb, openTestDb } from "#tests/setup/test-db.ts";
import { cookieFor } from "../hazards/page-helpers.ts";
import { getHazard, patchHazard } from "../hazards/helpers.ts";
import { emptyLog, exportBytes, fillLog, logIdByTitle, multipart, sessionUser, SUPPLIER_LOG } from "../import-export/helpers.ts";
import { createCase, getCase, sendEvent, sign } from "../safety-cases/helpers.ts";
import { PDF, filesOnDisk, supplierControls, tokenFor, upload } from "../evidence/helpers.ts";
import { appTables, chainsVerify, differences, fingerprint, injectFault, installFaultFunction, removeFault, type Fingerprint } from "./faults.ts";

// This file uploads and imports far more than a user may in ten minutes; the limit has its own tests.
process.env.UPLOAD_RATE_LIMIT = "100000";

/**
 * Bookkeeping outside the operation's transaction, by design: the upload counter counts attempts
 * (refused ones too), and sign-in state (re-authentication on SIGN clears failures; a session's
 * last-seen time). They are still faulted like any other table the operation writes.
 */
const BOOKKEEPING = ["sign_in_throttle", "sessions"] as const;
const CSO = "cso@supplier.example";

let db: Db;
let tables: string[];
const t: Record<string, string> = {};
type Outcome = { status: number; body: string };
type Report = { operation: string; table: string; status: number; changedTables: string[]; recordsLost: number };
const report: Report[] = [];

async function api(res: Promise<{ status: number; body: unknown }>): Promise<Outcome> {
  const r = await res;
  return { status: r.status, body: JSON.stringify(r.body) };
}

/** A page action: a redirect or a form answer, or an error thrown to Remix (which answers 500). */
async function page(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    const result = (await run()) as Response | { init?: { status?: number }; data?: unknown };
    if (result instanceof Response) return { status: result.status, body: await result.text() };
    return { status: result.init?.status ?? 200, body: JSON.stringify(result.data) };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, body: await thrown.text() };
    return { status: 500, body: "(thrown to Remix's error boundary)" };
  }
}

type Operation = {
  name: string;
  /** Sends the operation for a subject (discovery: "a"; faults, then success: "b"). */
  run: (subject: "a" | "b") => Promise<Outcome>;
  success: number;
  /** Extra state outside the database that must not change (evidence files on disk). */
  outside?: () => string[];
  /** Faults part-way through: only some rows of a table fail (a row-level trigger's WHEN condition). */
  partial?: () => Promise<{ label: string; table: string; when: string }[]>;
};

async function exercise(op: Operation): Promise<{ written: string[] }> {
  // 1. Discovery: which tables does it write?
  const start = await fingerprint(db, tables);
  const first = await op.run("a");
  expect(first.status, `${op.name} (discovery): ${first.body}`).toBe(op.success);
  const written = differences(start, await fingerprint(db, tables)).tables;
  expect(written.length).toBeGreaterThan(0);

  // 2. A fault in each of them, one at a time, on the other subject; then the partial faults.
  const faults = [...written.map((table) => ({ label: table, table, when: undefined as string | undefined })), ...((await op.partial?.()) ?? [])];
  for (const { label, table, when } of faults) {
    const before: Fingerprint = await fingerprint(db, tables);
    const chains = await chainsVerify(db);
    const outsideBefore = op.outside?.();
    await injectFault(db, table, when);
    let outcome: Outcome;
    try {
      outcome = await op.run("b");
    } finally {
      await removeFault(db, table);
    }
    const diff = differences(before, await fingerprint(db, tables), BOOKKEEPING);
    report.push({ operation: op.name, table: label, status: outcome.status, changedTables: diff.tables, recordsLost: diff.records });
    expect(outcome.status, `${op.name} with ${label} failing: ${outcome.body}`).toBeGreaterThanOrEqual(500);
    expect(outcome.body).not.toMatch(/injected fault|\n\s+at |\.ts:\d+/);
    expect(diff.tables, `${op.name} with ${label} failing left a half-done change`).toEqual([]);
    const after = await chainsVerify(db);
    expect(after).toEqual({ ok: true, entries: chains.entries, broken: [] });
    if (outsideBefore) expect(op.outside!()).toEqual(outsideBefore);
  }

  // 3. With no fault, the same subject goes through: nothing half-done stands in its way.
  const last = await op.run("b");
  expect(last.status, `${op.name} after the faults: ${last.body}`).toBe(op.success);
  expect((await chainsVerify(db)).ok).toBe(true);
  return { written };
}

beforeAll(async () => {
  ({ db } = await openTestDb());
  await installFaultFunction(db);
  tables = await appTables(db);
  for (const [k, email] of Object.entries({ cso: CSO, engineer: "engineer@supplier.example" })) t[k] = await tokenFor(db, email);
}, 120_000);

afterAll(async () => {
  const faults = report.length;
  const lost = report.reduce((n, r) => n + r.recordsLost, 0);
  const fiveHundreds = report.filter((r) => r.status >= 500).length;
  console.log(`[fault-injection] ${faults} faults injected, ${lost} records lost or half-written, ${fiveHundreds} answered 5xx`);
  for (const r of report) console.log(`[fault-injection]   ${r.operation} × ${r.table}: ${r.status}${r.changedTables.length ? ` CHANGED ${r.changedTables.join(", ")}` : ""}`);
  await closeTestDb();
});

/** A log of three sample hazards beside the supplier's, owned by the supplier. */
async function sampleLog(title: string, n = 3): Promise<string> {
  const id = await emptyLog(db, title);
  await fillLog(db, id, loadDcspHazards().slice(0, n).map((h) => h.input));
  return id;
}

describe("imports are all-or-nothing", () => {
  it("confirming a previewed CSV (one update, one new hazard) from the import page", async () => {
    const previews: Record<string, { log: string; previewId: string }> = {};
    const user = await sessionUser(db, CSO);
    for (const subject of ["a", "b"]) {
      const log = await sampleLog(`Fault import page ${subject}`);
      const csv = new TextDecoder().decode(await exportBytes(db, CSO, log, "csv"));
      const lines = csv.split("\r\n");
      const edited = [...lines.slice(0, 2), lines[2].replace("Poor User Interface", "UI hard to use"), lines[3], lines[3].replace(",H-003,", ",,"), ""].join("\r\n");
      const preview = await previewImport(user, log, async () => ({ filename: "edited.csv", bytes: new TextEncoder().encode(edited), format: "csv" }));
      expect(preview.summary).toMatchObject({ creates: 1, updates: 1, problems: 0 });
      previews[subject] = { log, previewId: preview.id };
    }
    const cookie = await cookieFor(CSO);
    const { written } = await exercise({
      name: "import confirm (page, csv)",
      success: 302,
      // The very last write: the import's own audit entry, after every hazard was written.
      partial: async () => [{ label: "audit_entries (the final log.imported entry only)", table: "audit_entries", when: `new.entry->>'action' = 'log.imported'` }],
      run: (s) => page(() => importPageRoute.action({ request: formRequest(`/hazard-logs/${previews[s].log}/import`, { intent: "confirm", previewId: previews[s].previewId }, { Cookie: cookie }), params: { id: previews[s].log }, context: context() } as never)),
    });
    expect(written).toEqual(expect.arrayContaining(["hazards", "hazard_versions", "audit_entries", "import_previews"]));
  }, 300_000);

  it("importing an xlsx workbook through the API", async () => {
    const source = await sampleLog("Fault import source", 9);
    const xlsx = await exportBytes(db, CSO, source, "xlsx");
    const logs = { a: await emptyLog(db, "Fault import api a"), b: await emptyLog(db, "Fault import api b") };
    const { written } = await exercise({
      name: "import (API, xlsx)",
      success: 200,
      partial: async () => [
        { label: "hazards (the 9th new hazard only)", table: "hazards", when: `new.hazard_log_id = '${logs.b}' and new.ref_number = 9` },
        { label: "audit_entries (the final log.imported entry only)", table: "audit_entries", when: `new.entry->>'action' = 'log.imported'` },
      ],
      run: (s) => api(importApi(logs[s], xlsx)),
    });
    expect(written).toEqual(expect.arrayContaining(["hazards", "hazard_versions", "audit_entries"]));
  }, 300_000);
});

/** POST /api/v1/hazard-logs/{id}/import with the CSO's one token (importVia makes a token per call). */
async function importApi(logId: string, file: Uint8Array) {
  const request = new Request(`${BASE}/api/v1/hazard-logs/${logId}/import`, { method: "POST", body: multipart(file, "log.xlsx"), headers: { Authorization: `Bearer ${t.cso}` } });
  const res = (await importRoute.action({ request, params: { id: logId }, context: context() } as never)) as Response;
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function issueCall(id: string, body?: unknown) {
  const request = new Request(`${BASE}/api/v1/hazard-logs/${id}/issue`, {
    method: body ? "POST" : "GET",
    headers: { Authorization: `Bearer ${t.cso}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const args = { request, params: { id }, context: context() } as never;
  const res = body ? await issueRoute.action(args) : await issueRoute.loader(args);
  return { status: res.status, body: await res.json() };
}

describe("issuing a hazard log (baseline freeze) is all-or-nothing", () => {
  it("ISSUE through the API", async () => {
    const logs = { a: await sampleLog("Fault issue a"), b: await sampleLog("Fault issue b") };
    for (const id of Object.values(logs)) expect((await issueCall(id, { type: "SUBMIT_FOR_REVIEW", expectedVersion: 0 })).status).toBe(200);
    const { written } = await exercise({
      name: "hazard log ISSUE (API)",
      success: 200,
      run: async (s) => api(issueCall(logs[s], { type: "ISSUE", expectedVersion: (await issueCall(logs[s])).body.version })),
    });
    expect(written).toEqual(expect.arrayContaining(["baselines", "log_issues", "audit_entries"]));
  }, 300_000);
});

describe("safety case sign-off is all-or-nothing", () => {
  it("SUBMIT (freezes the baseline) through the API", async () => {
    const cases: Record<string, string> = {};
    for (const s of ["a", "b"]) {
      const created = await createCase(t.cso, await sampleLog(`Fault submit ${s}`));
      expect(created.status).toBe(201);
      cases[s] = created.body.id;
    }
    const { written } = await exercise({
      name: "safety case SUBMIT (API)",
      success: 200,
      run: async (s) => api(sendEvent(t.cso, cases[s], { type: "SUBMIT", expectedVersion: (await getCase(t.cso, cases[s])).body.version })),
    });
    expect(written).toEqual(expect.arrayContaining(["baselines", "safety_cases", "audit_entries"]));
  }, 300_000);

  it("SIGN (re-authentication, signature) through the API", async () => {
    const cases: Record<string, string> = {};
    for (const s of ["a", "b"]) {
      const created = await createCase(t.cso, await sampleLog(`Fault sign ${s}`));
      expect((await sendEvent(t.cso, created.body.id, { type: "SUBMIT", expectedVersion: created.body.version })).status).toBe(200);
      cases[s] = created.body.id;
    }
    const { written } = await exercise({ name: "safety case SIGN (API)", success: 200, run: (s) => api(sign(t.cso, cases[s], "approved")) });
    expect(written).toEqual(expect.arrayContaining(["signatures", "safety_cases", "audit_entries"]));
  }, 300_000);
});

describe("a supplier hazard edit and its propagation down the chain are all-or-nothing", () => {
  it("PATCH of a supplier hazard inherited by the ICB's log and each trust's log", async () => {
    const supplierLog = await logIdByTitle(db, SUPPLIER_LOG);
    const rows = await db.select({ id: hazards.id }).from(hazards).where(eq(hazards.hazardLogId, supplierLog)).orderBy(hazards.refNumber).limit(2);
    const subject = { a: rows[0].id, b: rows[1].id };
    const inheriting = await db.select({ id: hazards.id, log: hazardLogs.title }).from(hazards).innerJoin(hazardLogs, eq(hazardLogs.id, hazards.hazardLogId)).where(eq(hazards.upstreamHazardId, subject.b));
    expect(inheriting.length).toBeGreaterThan(0); // the ICB's copy; the trusts inherit that one
    const trustCopies = await db.select({ id: hazards.id }).from(hazards).where(eq(hazards.upstreamHazardId, inheriting[0].id));
    expect(trustCopies.length).toBeGreaterThan(0);
    const chain = [subject.b, ...inheriting.map((h) => h.id), ...trustCopies.map((h) => h.id)];
    const versions = async () => (await db.select({ id: hazards.id, version: hazards.version }).from(hazards).where(inArray(hazards.id, chain))).map((h) => `${h.id}:${h.version}`).sort();
    const before = await versions();
    const { written } = await exercise({
      name: "hazard edit with propagation (API)",
      success: 200,
      // Part-way down the chain: the supplier's row (and the ICB's) are written, then a trust's copy fails.
      partial: async () => [
        { label: "hazards (the ICB's inheriting copy only)", table: "hazards", when: `new.id = '${inheriting[0].id}'` },
        { label: "hazards (a trust's inheriting copy only)", table: "hazards", when: `new.id = '${trustCopies.at(-1)!.id}'` },
        { label: "hazard_versions (a trust's copy only)", table: "hazard_versions", when: `new.hazard_id = '${trustCopies.at(-1)!.id}'` },
      ],
      run: async (s) => {
        const current = await getHazard(t.cso, subject[s]);
        return api(patchHazard(t.cso, subject[s], { description: `${current.body.description} (clarified)`, version: current.body.version, reason: "Clarified after review" }));
      },
    });
    expect(written).toEqual(expect.arrayContaining(["hazards", "hazard_versions", "audit_entries"]));
    // Every fault above left the whole chain as it was; the last, fault-free edit moved every level once.
    const bumped = (await db.select({ id: hazards.id, version: hazards.version }).from(hazards).where(inArray(hazards.id, chain))).map((h) => `${h.id}:${h.version - 1}`).sort();
    expect(bumped).toEqual(before);
  }, 300_000);
});

describe("an evidence upload is all-or-nothing", () => {
  const pdf = { bytes: PDF, name: "report.pdf", type: "application/pdf" };
  let controls: { a: string; b: string };
  beforeAll(async () => {
    const list = await supplierControls(db);
    controls = { a: list[0].controlId, b: list[1].controlId };
  });

  it("a database failure in any table it writes: no row and no file (stored or temp) are left", async () => {
    const { written } = await exercise({ name: "evidence upload (API)", success: 201, run: (s) => api(upload(controls[s], t.engineer, pdf)), outside: () => filesOnDisk().sort() });
    expect(written).toEqual(expect.arrayContaining(["evidence", "audit_entries"]));
  }, 300_000);

  it("a store that fails, before or after writing the bytes: no row and no file are left", async () => {
    const real = createFilesystemStore((getEnv().evidence.storage as { dir: string }).dir);
    const failing: Record<string, EvidenceStore> = {
      "store refuses the file": { ...real, putFile: async () => Promise.reject(new Error("EIO: injected storage failure")) },
      "store fails after writing the bytes": {
        ...real,
        putFile: async (key, path, meta) => {
          await real.putFile(key, path, meta);
          throw new Error("injected storage failure after the write");
        },
      },
    };
    for (const [name, store] of Object.entries(failing)) {
      const before = await fingerprint(db, tables);
      const files = filesOnDisk().sort();
      useEvidenceStore(store);
      let outcome: Outcome;
      try {
        outcome = await api(upload(controls.b, t.engineer, pdf));
      } finally {
        useEvidenceStore(undefined);
      }
      const diff = differences(before, await fingerprint(db, tables), BOOKKEEPING);
      report.push({ operation: `evidence upload (API), ${name}`, table: "(storage)", status: outcome.status, changedTables: diff.tables, recordsLost: diff.records });
      expect(outcome.status, name).toBe(500);
      expect(outcome.body).not.toMatch(/injected|EIO|\n\s+at /);
      expect(diff.tables, name).toEqual([]);
      expect(filesOnDisk().sort(), `${name}: an orphan or temp file was left`).toEqual(files);
    }
    expect((await upload(controls.b, t.engineer, pdf)).status).toBe(201);
  }, 120_000);
});
