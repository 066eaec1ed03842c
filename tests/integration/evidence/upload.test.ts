// Uploading evidence through POST /api/v1/controls/{id}/evidence: every allowed type is kept with
// the right SHA-256; a hostile corpus is refused with the right status and leaves nothing behind
// (no temp file, no stored file, no row); random bytes and names never give a 5xx.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "#db/client.ts";
import { closeTestDb, openTestDb } from "#tests/setup/test-db.ts";
import {
  CSV, EXE, JPEG, PDF, PNG, TXT, download, evidenceCount, filesOnDisk, officeFile, sha256, supplierControls, tokenFor, upload, uploadRequest, sendUpload,
} from "./helpers.ts";

// A 1 MB limit keeps the oversize cases fast; read once by getEnv() in this file's own process.
const LIMIT = 1024 * 1024;
process.env.EVIDENCE_MAX_BYTES = String(LIMIT);
// This file uploads a few hundred files as one user; the per-user upload limit has its own tests
// (tests/integration/evidence/upload-rate-limit.test.ts).
process.env.UPLOAD_RATE_LIMIT = "100000";

let db: Db;
let controlId: string;
const t: Record<string, string> = {};

beforeAll(async () => {
  ({ db } = await openTestDb());
  controlId = (await supplierControls(db))[0].controlId;
  t.engineer = await tokenFor(db, "engineer@supplier.example");
  t.cso = await tokenFor(db, "cso@supplier.example");
  t.icb = await tokenFor(db, "cso@icb.example");
  t.auditor = await tokenFor(db, "auditor@icb.example");
});
afterAll(closeTestDb);

describe("allowed types", () => {
  const cases: [string, () => Promise<Uint8Array> | Uint8Array, string][] = [
    ["report.pdf", () => PDF, "application/pdf"],
    ["screen.png", () => PNG, "image/png"],
    ["photo.jpg", () => JPEG, "image/jpeg"],
    ["photo.JPEG", () => JPEG, "image/jpeg"],
    ["results.csv", () => CSV, "text/csv; charset=utf-8"],
    ["notes.txt", () => TXT, "text/plain; charset=utf-8"],
    ["test plan.docx", () => officeFile("docx"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"],
    ["results.xlsx", () => officeFile("xlsx"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
  ];
  for (const [name, make, mediaType] of cases) {
    it(`keeps ${name} as ${mediaType} with its SHA-256, and serves the same bytes back`, async () => {
      const bytes = await make();
      const res = await upload(controlId, t.engineer, { bytes, name });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({ filename: name, mediaType, size: bytes.length, sha256: sha256(bytes), state: "submitted" });
      const file = await download(res.body.id, t.auditor);
      expect(file.status).toBe(200);
      expect(sha256(file.bytes)).toBe(sha256(bytes));
      expect(file.headers.get("Content-Type")).toBe(mediaType);
    });
  }

  it("takes a description and an http(s) link, and refuses other link schemes", async () => {
    const ok = await upload(controlId, t.cso, { bytes: PDF, name: "a.pdf" }, { description: "Pen test", link: "https://reports.example/pt-42" });
    expect(ok.status).toBe(201);
    for (const link of ["javascript:alert(1)", "data:text/html,<b>x</b>", "file:///etc/passwd", "ftp://x.example/a", "https://user:pw@x.example/"]) {
      const res = await upload(controlId, t.cso, { bytes: PDF, name: "a.pdf" }, { description: "x", link });
      expect(res.status, link).toBe(400);
      expect(res.body.error.fields.link).toBeTruthy();
    }
  });
});

describe("hostile corpus: refused, nothing kept", () => {
  const html = new TextEncoder().encode("<!DOCTYPE html><html><script>alert(document.cookie)</script></html>");
  const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
  const corpus: [string, () => Promise<Uint8Array> | Uint8Array, string, number][] = [
    ["renamed executable", () => EXE, "report.pdf", 415],
    ["executable named .txt", () => EXE, "notes.txt", 415],
    ["executable", () => EXE, "setup.exe", 415],
    ["html named .pdf", () => html, "report.pdf", 415],
    ["html named .txt", () => html, "report.txt", 415],
    ["html", () => html, "page.html", 415],
    ["svg with script", () => svg, "diagram.svg", 415],
    ["svg named .png", () => svg, "diagram.png", 415],
    ["pdf named .docx", () => PDF, "plan.docx", 415],
    ["docx named .xlsx", () => officeFile("docx"), "results.xlsx", 415],
    ["plain zip named .docx", async () => { const JSZip = (await import("jszip")).default; const z = new JSZip(); z.file("a.txt", "hello"); return z.generateAsync({ type: "uint8array" }); }, "plan.docx", 415],
    ["macro-enabled document named .docx", () => officeFile("docx", { "word/vbaProject.bin": "x" }, "application/vnd.ms-word.document.macroEnabled.main+xml"), "plan.docx", 415],
    ["zip bomb docx", () => officeFile("docx", { "word/media/huge.bin": new Uint8Array(60 * 1024 * 1024) }), "plan.docx", 415],
    ["NUL bytes in .txt", () => new Uint8Array([0x61, 0x00, 0x62]), "notes.txt", 415],
    ["invalid UTF-8 .csv", () => new Uint8Array([0x61, 0x2c, 0xff, 0xfe, 0x0a]), "data.csv", 415],
    ["0-byte file", () => new Uint8Array(0), "empty.pdf", 400],
    ["oversize file", () => { const b = new Uint8Array(LIMIT + 1); b.set(PDF); return b; }, "big.pdf", 413],
    ["traversal to a script", () => TXT, "../../../../etc/cron.d/evil.sh", 415],
    ["Windows traversal to an exe", () => EXE, "..\\..\\Windows\\System32\\evil.exe", 415],
    ["bidi override hiding .exe", () => EXE, "invoice\u202Efdp.exe", 415],
    ["zero-width and bidi around an exe", () => EXE, "repo\u200Brt\u2066.pdf\u2069.exe", 415],
    ["fullwidth slash traversal to html", () => html, "..\uFF0F..\uFF0Findex.html", 415],
    ["no extension", () => PDF, "README", 415],
    ["only dots", () => PDF, "...", 415],
  ];
  for (const [label, make, name, status] of corpus) {
    it(`${label} (${JSON.stringify(name)}) → ${status}`, async () => {
      const beforeRows = await evidenceCount(db);
      const beforeFiles = filesOnDisk();
      const res = await upload(controlId, t.engineer, { bytes: await make(), name });
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.body.error.code).toBeTruthy();
      expect(await evidenceCount(db)).toBe(beforeRows);
      expect(filesOnDisk()).toEqual(beforeFiles);
    });
  }

  it("refuses a declared Content-Length over the limit before reading the body", async () => {
    const req = uploadRequest(controlId, t.engineer, { bytes: PDF, name: "a.pdf" });
    const headers = new Headers(req.headers);
    headers.set("Content-Length", String(LIMIT * 4));
    const res = await sendUpload(controlId, new Request(req, { headers }));
    expect(res.status).toBe(413);
  });

  it("keeps a traversal name with an allowed type only as sanitised metadata", async () => {
    const res = await upload(controlId, t.engineer, { bytes: PDF, name: "../../../etc/passwd\u202E.pdf" });
    expect(res.status).toBe(201);
    expect(res.body.filename).toBe("passwd.pdf");
    expect(filesOnDisk().every((p) => /evidence\/files\/[0-9a-f]{2}\/[0-9a-f]{32}$/.test(p))).toBe(true);
  });

  it("refuses a missing file, a missing description and a non-multipart body", async () => {
    expect((await upload(controlId, t.engineer, null)).status).toBe(400);
    expect((await upload(controlId, t.engineer, { bytes: PDF, name: "a.pdf" }, {})).body.error.fields.description).toBeTruthy();
    const json = new Request(`http://localhost/api/v1/controls/${controlId}/evidence`, { method: "POST", headers: { Authorization: `Bearer ${t.engineer}`, "Content-Type": "application/json" }, body: "{}" });
    expect((await sendUpload(controlId, json)).status).toBe(400);
  });
});

describe("who may upload", () => {
  it("refuses a reader of another organisation (403) and a stranger (404), keeping nothing", async () => {
    const before = await evidenceCount(db);
    expect((await upload(controlId, t.icb, { bytes: PDF, name: "a.pdf" })).status).toBe(403);
    expect((await upload(controlId, t.auditor, { bytes: PDF, name: "a.pdf" })).status).toBe(403);
    const other = await tokenFor(db, "cso@othersupplier.example");
    expect((await upload(controlId, other, { bytes: PDF, name: "a.pdf" })).status).toBe(404);
    expect((await upload("00000000-0000-4000-8000-000000000000", t.engineer, { bytes: PDF, name: "a.pdf" })).status).toBe(404);
    expect(await evidenceCount(db)).toBe(before);
  });
});

describe("property: random bytes and names", () => {
  it("never answer 5xx and never leave a temp file", async () => {
    const names = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.constantFrom("a.pdf", "b.txt", "c.csv", "d.docx", "e.xlsx", "f.png", "g.jpg"),
      fc.tuple(fc.string({ maxLength: 40, unit: "grapheme" }), fc.constantFrom(".pdf", ".txt", ".csv", ".docx", ".png", ".exe", ".svg", "")).map(([a, b]) => a + b),
    );
    const bytes = fc.oneof(fc.uint8Array({ maxLength: 4096 }), fc.constantFrom(PDF, PNG, JPEG, TXT, EXE));
    await fc.assert(
      fc.asyncProperty(bytes, names, fc.string({ maxLength: 50 }), async (b, name, description) => {
        const res = await upload(controlId, t.engineer, { bytes: b, name }, { description });
        expect(res.status).toBeLessThan(500);
        expect([201, 400, 413, 415]).toContain(res.status);
        expect(filesOnDisk().filter((p) => p.includes("/evidence/tmp/"))).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});
