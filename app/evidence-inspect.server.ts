// Is an uploaded file what its extension says? Checked from its bytes (OWASP file upload: never
// trust the name or the client's Content-Type): file-type's signatures for binary formats, the zip
// central directory for docx/xlsx (right content types, no zip bomb, no macros), and strict UTF-8
// without NUL bytes for text. Anything else answers 415 and the caller discards the file.
import { createReadStream } from "node:fs";
import { fileTypeFromFile } from "file-type";
import yauzl from "yauzl";
import {
  ALLOWED_EXTENSIONS_TEXT, EVIDENCE_TYPES, OOXML_MAIN_TYPES, looksLikeMarkup, zipDirectoryProblem,
  type EvidenceExtension, type ZipEntryInfo,
} from "./domain/evidence-files.ts";
import { AppError } from "./errors.server.ts";

const refuse = (message: string) => new AppError("unsupported_type", message, { fields: { file: message } });

const SIGNATURE_OF: Partial<Record<EvidenceExtension, string>> = { pdf: "pdf", png: "png", jpg: "jpg", jpeg: "jpg", docx: "docx", xlsx: "xlsx" };

/** The media type to store for the file at `path`, or a 415 AppError saying why it is refused. */
export async function inspectEvidenceFile(path: string, ext: EvidenceExtension): Promise<string> {
  const detected = await fileTypeFromFile(path).catch(() => undefined);
  if (ext === "txt" || ext === "csv") {
    if (detected) throw refuse(`The file is named .${ext} but its content is ${detected.ext.toUpperCase()}`);
    await requirePlainText(path);
    return EVIDENCE_TYPES[ext];
  }
  const expected = SIGNATURE_OF[ext];
  if (!detected || detected.ext !== expected)
    throw refuse(`The file is named .${ext} but its content is ${detected ? detected.ext.toUpperCase() : "not a recognised " + ALLOWED_EXTENSIONS_TEXT + " file"}`);
  if (ext === "docx" || ext === "xlsx") await requireOoxml(path, ext);
  return EVIDENCE_TYPES[ext];
}

/** Strict UTF-8 (a fatal decoder, streamed) with no NUL bytes and no markup at the start. */
async function requirePlainText(path: string): Promise<void> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let head = "";
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 64 * 1024 })) {
      const bytes = chunk as Buffer;
      if (bytes.includes(0)) throw refuse("The text file contains NUL bytes: it is not plain text");
      const text = decoder.decode(bytes, { stream: true });
      if (head.length < 1024) head += text;
    }
    decoder.decode();
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw refuse("The text file is not valid UTF-8");
  }
  if (looksLikeMarkup(head)) throw refuse("The text file contains HTML, SVG or XML markup");
}

const MAX_CONTENT_TYPES_BYTES = 256 * 1024;

/** A real OOXML package: a sane central directory and the right main part in [Content_Types].xml. */
async function requireOoxml(path: string, ext: "docx" | "xlsx"): Promise<void> {
  const { entries, contentTypes } = await readZip(path).catch((error: unknown) => {
    if (error instanceof AppError) throw error;
    throw refuse(`The .${ext} file is not a valid Office document (damaged zip)`);
  });
  const problem = zipDirectoryProblem(entries);
  if (problem) throw refuse(`The .${ext} file ${problem}`);
  if (contentTypes === null) throw refuse(`The .${ext} file has no [Content_Types].xml: it is not an Office document`);
  if (!contentTypes.includes(OOXML_MAIN_TYPES[ext])) throw refuse(`The .${ext} file does not declare a ${ext === "docx" ? "Word document" : "workbook"} (perhaps a macro-enabled or renamed file)`);
  if (/macroEnabled|vbaProject/i.test(contentTypes)) throw refuse(`The .${ext} file contains macros`);
}

/** The central directory (sizes as declared) and [Content_Types].xml, inflated with a byte cap. */
function readZip(path: string): Promise<{ entries: ZipEntryInfo[]; contentTypes: string | null }> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: true, strictFileNames: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error("no zip"));
      const entries: ZipEntryInfo[] = [];
      let contentTypes: string | null = null;
      zip.on("error", reject);
      zip.on("end", () => resolve({ entries, contentTypes }));
      zip.on("entry", (entry: yauzl.Entry) => {
        entries.push({ name: entry.fileName, compressedSize: entry.compressedSize, uncompressedSize: entry.uncompressedSize });
        const problem = zipDirectoryProblem(entries);
        if (problem) {
          zip.close();
          return reject(refuse(`The Office file ${problem}`));
        }
        if (entry.fileName !== "[Content_Types].xml") return zip.readEntry();
        if (entry.uncompressedSize > MAX_CONTENT_TYPES_BYTES) return reject(refuse("The Office file's [Content_Types].xml is too large"));
        zip.openReadStream(entry, (streamErr, stream) => {
          if (streamErr || !stream) return reject(streamErr ?? new Error("no stream"));
          const parts: Buffer[] = [];
          let total = 0;
          stream.on("data", (c: Buffer) => {
            total += c.length;
            if (total > MAX_CONTENT_TYPES_BYTES) stream.destroy(new Error("too large"));
            else parts.push(c);
          });
          stream.on("error", reject);
          stream.on("end", () => {
            contentTypes = Buffer.concat(parts).toString("utf8");
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}
