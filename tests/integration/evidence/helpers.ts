// Evidence tests: sample files of every allowed type (built here, no binary fixtures), the API
// routes called with real multipart Requests and bearer tokens, and what is left on disk.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { and, eq, isNotNull } from "drizzle-orm";
import JSZip from "jszip";
import type { Db } from "#db/client.ts";
import { controls, evidence, hazardControls, hazardLogs, hazards, organisations } from "#db/schema/index.ts";
import * as uploadRoute from "#app/routes/api.v1.controls.$id.evidence.ts";
import * as fileRoute from "#app/routes/api.v1.evidence.$id.file.ts";
import * as reviewRoute from "#app/routes/api.v1.evidence.$id.review.ts";
import * as requestRoute from "#app/routes/api.v1.controls.$id.evidence-requests.ts";

export { tokenFor } from "../hazards/helpers.ts";
export const SUPPLIER_LOG = "Wessex Shared EPR — DCB0129 hazard log";

const ctx = { requestId: "test-request", cspNonce: "n", clientIp: "127.0.0.1" };
export const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

export const PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
export const PNG = new Uint8Array(Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64"));
export const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]);
export const CSV = new TextEncoder().encode("test,result\nallergy banner pinned,pass\nbanner on 360px,pass — checked\n");
export const TXT = new TextEncoder().encode("Test report: the allergy banner stays visible on every prescribing screen. ✓\n");
/** "MZ" and a PE header: an executable. */
export const EXE = new Uint8Array([...Buffer.from("4d5a90000300000004000000ffff0000b800000000000000400000000000000000000000000000000000000000000000000000000000000000000000800000000e1fba0e00b409cd21b8014ccd21546869732070726f6772616d2063616e6e6f742062652072756e20696e20444f53206d6f64652e0d0d0a2400000000000000504500004c010300", "hex")]);

const CT = (main: string, part: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="${part}" ContentType="${main}"/></Types>`;

export async function officeFile(kind: "docx" | "xlsx", extra: Record<string, Uint8Array | string> = {}, mainType?: string): Promise<Uint8Array> {
  const zip = new JSZip();
  const part = kind === "docx" ? "/word/document.xml" : "/xl/workbook.xml";
  const main = mainType ?? (kind === "docx" ? "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml");
  zip.file("[Content_Types].xml", CT(main, part));
  zip.file("_rels/.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="${part.slice(1)}"/></Relationships>`);
  zip.file(part.slice(1), kind === "docx" ? `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Test evidence</w:t></w:r></w:p></w:body></w:document>` : `<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>`);
  for (const [name, content] of Object.entries(extra)) zip.file(name, content);
  return zip.generateAsync({ type: "uint8array", compression: "DEFLATE", compressionOptions: { level: 9 } });
}

export type Answer = { status: number; body: any; headers: Headers };

async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // a file body
  }
  return { status: res.status, body, headers: res.headers };
}

export function uploadRequest(controlId: string, token: string, file: { bytes: Uint8Array; name: string; type?: string } | null, fields: Record<string, string> = { description: "Test report" }) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append("file", new Blob([new Uint8Array(file.bytes)], { type: file.type ?? "application/octet-stream" }), file.name);
  return new Request(`http://localhost/api/v1/controls/${controlId}/evidence`, { method: "POST", headers: { Authorization: `Bearer ${token}` }, body: form });
}

export async function upload(controlId: string, token: string, file: { bytes: Uint8Array; name: string; type?: string } | null, fields?: Record<string, string>): Promise<Answer> {
  return answer(await uploadRoute.action({ request: uploadRequest(controlId, token, file, fields), params: { id: controlId }, context: ctx } as never));
}

export async function sendUpload(controlId: string, request: Request): Promise<Answer> {
  return answer(await uploadRoute.action({ request, params: { id: controlId }, context: ctx } as never));
}

export async function listEvidence(controlId: string, token: string): Promise<Answer> {
  const request = new Request(`http://localhost/api/v1/controls/${controlId}/evidence`, { headers: { Authorization: `Bearer ${token}` } });
  return answer(await uploadRoute.loader({ request, params: { id: controlId }, context: ctx } as never));
}

export async function download(evidenceId: string, token: string): Promise<{ status: number; headers: Headers; bytes: Uint8Array; body: any }> {
  const request = new Request(`http://localhost/api/v1/evidence/${evidenceId}/file`, { headers: { Authorization: `Bearer ${token}` } });
  const res = await fileRoute.loader({ request, params: { id: evidenceId }, context: ctx } as never);
  const bytes = new Uint8Array(await res.arrayBuffer());
  let body: unknown = null;
  if ((res.headers.get("Content-Type") ?? "").includes("json")) body = JSON.parse(new TextDecoder().decode(bytes));
  return { status: res.status, headers: res.headers, bytes, body };
}

export async function review(evidenceId: string, token: string, body: unknown): Promise<Answer> {
  const request = new Request(`http://localhost/api/v1/evidence/${evidenceId}/review`, { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: JSON.stringify(body) });
  return answer(await reviewRoute.action({ request, params: { id: evidenceId }, context: ctx } as never));
}

/** Controls of the supplier's log owned by the supplier, each with the hazard it serves. */
export async function supplierControls(db: Db) {
  return db
    .select({ controlId: controls.id, hazardId: hazards.id, state: controls.state })
    .from(controls)
    .innerJoin(hazardLogs, eq(hazardLogs.id, controls.hazardLogId))
    .innerJoin(hazardControls, eq(hazardControls.controlId, controls.id))
    .innerJoin(hazards, eq(hazards.id, hazardControls.hazardId))
    .where(and(eq(hazardLogs.title, SUPPLIER_LOG), eq(controls.ownerOrganisationId, hazardLogs.organisationId)))
    .orderBy(hazards.refNumber, hazardControls.position, controls.id); // one order: a hazard has several controls
}

export async function organisationId(db: Db, slug: string) {
  const [o] = await db.select({ id: organisations.id }).from(organisations).where(eq(organisations.slug, slug));
  if (!o) throw new Error(`no organisation ${slug}`);
  return o.id;
}

/** Every file under DATA_DIR/evidence (temp files included). */
export function filesOnDisk(): string[] {
  const root = join(process.env.DATA_DIR ?? "", "evidence");
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(root);
  return out;
}

export async function evidenceCount(db: Db) {
  return (await db.select({ id: evidence.id }).from(evidence)).length;
}

export async function flaggedCount(db: Db) {
  return (await db.select({ id: evidence.id }).from(evidence).where(isNotNull(evidence.integrityFailedAt))).length;
}

export async function requestEvidence(controlId: string, token: string, body: unknown): Promise<Answer> {
  const request = new Request(`http://localhost/api/v1/controls/${controlId}/evidence-requests`, { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: JSON.stringify(body) });
  return answer(await requestRoute.action({ request, params: { id: controlId }, context: ctx } as never));
}
