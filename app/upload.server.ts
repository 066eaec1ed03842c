// Reading one uploaded spreadsheet from a multipart request without ever holding more than the
// limit: Content-Length is checked before reading and the body is counted while it streams (a
// chunked or lying client cannot get past either). Then the file is sniffed: xlsx or text (CSV).
import { fileTypeFromBuffer } from "file-type";
import { AppError } from "./errors.server.ts";

/** Room for the multipart envelope around a file of the maximum size. */
const ENVELOPE_BYTES = 64 * 1024;

export type Upload = { filename: string; bytes: Uint8Array; format: "xlsx" | "csv"; fields?: Record<string, string> };

async function readBounded(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(request.headers.get("Content-Length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

const tooLarge = (limit: number) => new AppError("too_large", `The file is larger than ${Math.round((limit - ENVELOPE_BYTES) / 1024 / 1024)} MB`);

/** The multipart field `file` (400 when missing or empty), at most `maxFileBytes` (413). */
export async function readSpreadsheetUpload(request: Request, maxFileBytes: number): Promise<Upload> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!/^multipart\/form-data;/i.test(type)) throw new AppError("bad_request", "Send the file as multipart/form-data in the field \"file\"");
  const limit = maxFileBytes + ENVELOPE_BYTES;
  const body = await readBounded(request, limit);
  let form: FormData;
  try {
    form = await new Request("http://upload.local/", { method: "POST", body, headers: { "Content-Type": type } }).formData();
  } catch {
    throw new AppError("bad_request", "The multipart body cannot be read");
  }
  const file = form.get("file");
  if (!file || typeof file === "string") throw new AppError("bad_request", "Choose a file to import", { fields: { file: "is required" } });
  if (file.size === 0) throw new AppError("bad_request", "The file is empty", { fields: { file: "is empty" } });
  if (file.size > maxFileBytes) throw tooLarge(limit);
  const bytes = new Uint8Array(await file.arrayBuffer());
  const fields: Record<string, string> = {};
  for (const [k, v] of form) if (typeof v === "string") fields[k] = v;
  return { filename: cleanFilename(file.name), bytes, format: await sniff(bytes), fields };
}

/** xlsx by its zip contents; CSV is text, so anything with NUL bytes or a known binary signature is refused. */
export async function sniff(bytes: Uint8Array): Promise<"xlsx" | "csv"> {
  const found = await fileTypeFromBuffer(bytes);
  if (found?.ext === "xlsx") return "xlsx";
  if (found || bytes.subarray(0, 8192).includes(0))
    throw new AppError("unsupported_type", `The file is ${found ? `a ${found.ext} file` : "binary"}: import an xlsx workbook or a CSV file in the NHS Hazard Log template layout`);
  return "csv";
}

/** A name fit to show and to put in a reason: no path, no control characters, not too long. */
export function cleanFilename(name: string | undefined): string {
  const base = (name ?? "").split(/[\\/]/).pop() ?? "";
  const clean = base.replace(/[\u0000-\u001F\u007F]/g, "").trim().slice(0, 200);
  return clean || "upload";
}
