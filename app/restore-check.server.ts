// What `npm run db:restore` proves about a restored database (the "no lost data" check): every
// organisation's audit chain recomputes, every baseline's SHA-256 matches its stored content, and
// every signature's SHA-256 is its baseline's; given the evidence store, every evidence row's file is
// there with the row's SHA-256. Also counts what is there, to compare with the source.
import { eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.ts";
import { auditEntries, baselines, evidence, hazards, organisations, safetyCases, signatures } from "#db/schema/index.ts";
import { verifyAllChains } from "./audit.server.ts";
import { baselineIntact } from "./baselines.server.ts";
import { checkEvidenceFiles } from "./evidence-backup.server.ts";
import type { EvidenceStore } from "./storage/types.ts";

export type RestoreCounts = { organisations: number; hazards: number; baselines: number; safetyCases: number; signatures: number; auditEntries: number; evidence: number };
/** evidenceFilesChecked: null when no store was given (files not checked). */
export type RestoreCheck = { ok: boolean; counts: RestoreCounts; problems: string[]; evidenceFilesChecked: number | null };

async function count(db: Db, table: typeof hazards | typeof organisations | typeof baselines | typeof safetyCases | typeof signatures | typeof auditEntries | typeof evidence) {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(table);
  return Number(row.n);
}

export async function countRows(db: Db): Promise<RestoreCounts> {
  return {
    organisations: await count(db, organisations),
    hazards: await count(db, hazards),
    baselines: await count(db, baselines),
    safetyCases: await count(db, safetyCases),
    signatures: await count(db, signatures),
    auditEntries: await count(db, auditEntries),
    evidence: await count(db, evidence),
  };
}

export async function checkRestoredDatabase(db: Db, opts: { store?: EvidenceStore } = {}): Promise<RestoreCheck> {
  const problems: string[] = [];
  for (const r of await verifyAllChains(db))
    if (!r.ok) problems.push(`audit chain of ${r.organisation.name} (${r.organisation.id}) broken at entry ${r.firstBrokenAt}: ${r.problem}`);
  for (const b of await db.select({ id: baselines.id, content: baselines.content, sha256: baselines.sha256 }).from(baselines))
    if (!baselineIntact(b)) problems.push(`baseline ${b.id}: its SHA-256 does not match its stored content`);
  const signed = await db
    .select({ id: signatures.id, sha256: signatures.sha256, baselineSha256: baselines.sha256 })
    .from(signatures)
    .innerJoin(baselines, eq(baselines.id, signatures.baselineId));
  for (const s of signed) if (s.sha256 !== s.baselineSha256) problems.push(`signature ${s.id}: its SHA-256 is not its baseline's`);
  const counts = await countRows(db);
  if (signed.length !== counts.signatures) problems.push(`${counts.signatures - signed.length} signature(s) have no baseline`);
  let evidenceFilesChecked: number | null = null;
  if (opts.store) {
    const files = await checkEvidenceFiles(db, opts.store);
    problems.push(...files.problems);
    evidenceFilesChecked = files.checked;
  }
  return { ok: problems.length === 0, counts, problems, evidenceFilesChecked };
}
