// Rules for evidence files that need no I/O: which types are allowed, what an original filename
// becomes once sanitised (it is metadata only: files are stored under random names), the
// Content-Disposition of a download, and which external links are accepted.

/** Allowed extensions and the media type each is stored and served as (OWASP: allow-list). */
export const EVIDENCE_TYPES = {
  pdf: "application/pdf",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  csv: "text/csv; charset=utf-8",
  txt: "text/plain; charset=utf-8",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
} as const;
export type EvidenceExtension = keyof typeof EVIDENCE_TYPES;

export const ALLOWED_EXTENSIONS_TEXT = "PDF, Word (.docx), Excel (.xlsx), CSV, text, PNG or JPEG";

export function isAllowedExtension(ext: string): ext is EvidenceExtension {
  return Object.hasOwn(EVIDENCE_TYPES, ext);
}

export const MAX_FILENAME_LENGTH = 120;

// Control characters (C0, DEL, C1), bidi overrides and isolates, zero-width and other format
// characters (\p{Cf}), line/paragraph separators: they can make "evil‮fdp.exe" read as "evilexe.pdf".
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;
// Characters Windows refuses in names, and both path separators.
const RESERVED = /[<>:"/\\|?*]/g;
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i;

/**
 * The original filename as safe metadata: NFKC-normalised (so fullwidth "／" becomes "/" before
 * the basename is taken), last path segment only, invisible and reserved characters removed,
 * whitespace collapsed, no leading dots, at most 120 characters with the extension kept.
 */
export function sanitiseFilename(raw: string): string {
  let name = raw.normalize("NFKC");
  name = name.split(/[/\\]/).pop() ?? "";
  name = name.replace(INVISIBLE, "").replace(RESERVED, "_").replace(/\s+/g, " ").trim();
  name = name.replace(/^[.\s]+/, "").replace(/[.\s]+$/, "");
  if (WINDOWS_DEVICE.test(name)) name = `_${name}`;
  if (name.length > MAX_FILENAME_LENGTH) {
    const dot = name.lastIndexOf(".");
    const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : "";
    name = name.slice(0, MAX_FILENAME_LENGTH - ext.length).trimEnd() + ext;
  }
  return name;
}

/** The lower-case extension of a sanitised name ("" when none). */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
}

/** RFC 6266 / RFC 8187: an ASCII fallback `filename` and the exact name in `filename*`. */
export function contentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\%;]/g, "_") || "evidence";
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** An external link must be an absolute http or https URL without credentials (no javascript:, data:, file:). */
export function checkLink(raw: string): { ok: true; url: string } | { ok: false; message: string } {
  const text = raw.trim();
  if (text.length > 2000) return { ok: false, message: "must be at most 2000 characters" };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: "must be a full web address starting with https:// or http://" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, message: "must start with https:// or http://" };
  if (url.username || url.password) return { ok: false, message: "must not contain a user name or password" };
  return { ok: true, url: url.toString() };
}

/** Text that opens like markup is refused even as .txt/.csv: it has no business being evidence text. */
export function looksLikeMarkup(head: string): boolean {
  return /^\s*(<!doctype\s+html|<html|<svg|<script|<\?xml|<body|<iframe)/i.test(head.replace(/^\uFEFF/, ""));
}

/** Zip-bomb limits for docx/xlsx, read from the central directory before anything is inflated. */
export const ZIP_LIMITS = { maxEntries: 2000, maxTotalUncompressed: 200 * 1024 * 1024, maxRatio: 100, ratioFloorBytes: 1024 * 1024 } as const;

export type ZipEntryInfo = { name: string; compressedSize: number; uncompressedSize: number };

/** Why a zip's directory is refused, or null. A high ratio is tolerated for small entries (XML compresses well). */
export function zipDirectoryProblem(entries: ZipEntryInfo[]): string | null {
  if (entries.length > ZIP_LIMITS.maxEntries) return "has too many entries";
  let total = 0;
  for (const e of entries) {
    total += e.uncompressedSize;
    if (e.uncompressedSize > ZIP_LIMITS.ratioFloorBytes && e.uncompressedSize > ZIP_LIMITS.maxRatio * Math.max(e.compressedSize, 1)) return "expands too much when unpacked (zip bomb)";
    if (/vbaProject\.bin$/i.test(e.name)) return "contains macros";
  }
  if (total > ZIP_LIMITS.maxTotalUncompressed) return "expands too much when unpacked (zip bomb)";
  return null;
}

/** The main part content type each OOXML format must declare in [Content_Types].xml. */
export const OOXML_MAIN_TYPES = {
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
} as const;
