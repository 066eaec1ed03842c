// How the audit trail reads: the page's filter, "what changed" as old → new lines, times in
// Europe/London for people and UTC in files, and the CSV export. Pure: stored entries in, text out.
import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import { fieldLabel } from "./hazard-diff.ts";
import { neutraliseFormula } from "./nhs-template.ts";

export const AUDIT_ENTITY_TYPES = ["hazard", "hazard_log", "safety_case"] as const;
export type AuditEntityType = (typeof AUDIT_ENTITY_TYPES)[number];
export const AUDIT_PAGE_SIZE = 50;

/** `?entityType=&entityId=&page=`: both entity parts or neither (then the active organisation's whole chain). */
export const AuditTrailQuery = z
  .object({
    entityType: z.enum(AUDIT_ENTITY_TYPES, { error: "must be hazard, hazard_log or safety_case" }).optional(),
    entityId: z.string().max(100).optional(),
    page: z.coerce.number({ error: "must be a whole number" }).int().min(1).max(100_000).default(1),
  })
  .refine((q) => !!q.entityType === !!q.entityId, { message: "give both entityType and entityId, or neither", path: ["entityId"] });
export type AuditTrailQuery = z.infer<typeof AuditTrailQuery>;

/** One stored entry as the trail shows it (the entry JSON is what was hashed; the rest is joined in). */
export type TrailEntry = {
  sequence: number;
  organisationName: string;
  at: string;
  actor: { userId: string | null; name: string | null; role?: string | null } | null;
  action: string;
  entity: { type: string; id: string | null } | null;
  changes: unknown;
  reason: string | null;
  requestId: string | null;
  hash: string;
};

export type ChangeLine = { label: string; from?: string; to: string };

const EMPTY = "(empty)";

/** A stored value as short text: lists joined with "; ", objects as "key: value" pairs. */
export function showValue(value: unknown): string {
  if (value === null || value === undefined || value === "") return EMPTY;
  if (Array.isArray(value)) return value.length ? value.map(showValue).join("; ") : EMPTY;
  if (typeof value === "object")
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== null && v !== undefined && v !== "")
      .map(([k, v]) => `${k}: ${showValue(v)}`)
      .join(", ") || EMPTY;
  return String(value);
}

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

/**
 * "What changed" of any entry. A field diff (hazard edits) gives one old → new line per field; a
 * creation with a snapshot names what was created; anything else lists its keys, so actions added
 * later still read sensibly without a change here.
 */
export function describeChanges(changes: unknown): ChangeLine[] {
  if (!isRecord(changes)) return changes == null ? [] : [{ label: "Details", to: showValue(changes) }];
  if (Array.isArray(changes.diff))
    return changes.diff.filter(isRecord).map((c) => ({ label: fieldLabel(String(c.field)), from: showValue(c.from), to: showValue(c.to) }));
  if (isRecord(changes.snapshot)) {
    const s = changes.snapshot;
    return [{ label: "Created", to: [changes.ref, s.title].filter(Boolean).join(" ") || showValue(s) }];
  }
  return Object.entries(changes).map(([k, v]) => ({ label: fieldLabel(k), to: showValue(v) }));
}

export function changeText(line: ChangeLine): string {
  return line.from === undefined ? `${line.label}: ${line.to}` : `${line.label}: ${line.from} → ${line.to}`;
}

const LONDON = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "short" });

/** "9 Jun 2025, 14:03:07 BST": people read local time with the offset named, whatever the server's zone. */
export function formatLondon(isoUtc: string): string {
  return LONDON.format(new Date(isoUtc));
}

export const AUDIT_CSV_HEADERS = [
  "When (UTC)", "Organisation", "Sequence", "User", "User id", "Role", "Action", "Entity type", "Entity id", "What changed", "Reason", "Request id", "Entry hash",
];

/** CSV rows (no header) of entries; every text cell is neutralised against spreadsheet formulas. */
export function auditCsvRows(entries: readonly TrailEntry[]): string {
  const t = (s: string | null | undefined) => (s ? neutraliseFormula(s) : "");
  const records = entries.map((e) => [
    e.at, t(e.organisationName), String(e.sequence), t(e.actor?.name), e.actor?.userId ?? "", t(e.actor?.role), t(e.action),
    t(e.entity?.type), t(e.entity?.id), t(describeChanges(e.changes).map(changeText).join("\n")), t(e.reason), t(e.requestId), e.hash,
  ]);
  return records.length ? stringify(records, { record_delimiter: "windows", quoted_match: /[\r\n]/ }) : "";
}

/** The first chunk of the file: a BOM so Excel reads UTF-8, then the header row. */
export function auditCsvHeader(): string {
  return `\uFEFF${stringify([AUDIT_CSV_HEADERS], { record_delimiter: "windows" })}`;
}
