// The import's bulk path for creates writes exactly what the one-by-one path writes: the same file
// imported into two empty logs (each with an inheriting log and a grandchild, and a safety case in
// review), once each way, gives the same hazards, versions, controls, inherited copies and audit
// entries (ids and times aside), and the chain still verifies.
import { and, asc, eq, gt, inArray, lte } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEntries, auditHeads, baselines, controls, hazardControls, hazardLogs, hazards, hazardVersions, safetyCases } from "#db/schema/index.ts";
import { verifyChain } from "#app/audit.server.ts";
import { confirmImport, previewImport, type CreateMode } from "#app/hazard-import.server.ts";
import { initialSnapshot } from "#app/workflows.server.ts";
import { SAFETY_CASE_MACHINE_VERSION, safetyCaseApprovalMachine } from "#workflows/safety-case-approval.machine.ts";
import { closeTestDb, openTestDb, type Db } from "#tests/setup/test-db.ts";
import { generatedHazard } from "#tests/fixtures/generated-log.ts";
import { emptyLog, exportBytes, fillLog, platformOrganisationIds, sessionUser } from "./helpers.ts";

let db: Db;
const CSO = "cso@supplier.example";
const N = 120;
beforeAll(async () => ({ db } = await openTestDb()));
afterAll(closeTestDb);

/** A persisted case snapshot in review (the initial one moved to that state). */
const inReview = (ownerOrganisationId: string) =>
  ({ ...(initialSnapshot(safetyCaseApprovalMachine, { ownerOrganisationId, requiredSignatories: [] }) as Record<string, unknown>), value: "in_review" });

type Imported = { logs: string[]; organisationId: string; fromSequence: number; toSequence: number; result: unknown };

/** A target log, a log inheriting it and one inheriting that; a case in review on the target. */
async function importInto(file: Uint8Array, mode: CreateMode): Promise<Imported> {
  const user = await sessionUser(db, CSO);
  const target = await emptyLog(db, `Target ${mode}`);
  const [t] = await db.select().from(hazardLogs).where(eq(hazardLogs.id, target));
  const child = (await db.insert(hazardLogs).values({ ...t, id: undefined, title: `Child ${mode}`, upstreamLogId: target, nextRefNumber: 1, createdAt: undefined }).returning())[0].id;
  const grandchild = (await db.insert(hazardLogs).values({ ...t, id: undefined, title: `Grandchild ${mode}`, upstreamLogId: child, nextRefNumber: 1, createdAt: undefined }).returning())[0].id;
  const [baseline] = await db.insert(baselines).values({ hazardLogId: target, hazardLogVersion: 1, sha256: "a".repeat(64), content: "{}", hazardCount: 0, createdBy: user.id }).returning();
  await db.insert(safetyCases).values({ hazardLogId: target, organisationId: t.organisationId, title: "Case", state: "in_review", machineVersion: SAFETY_CASE_MACHINE_VERSION, snapshot: inReview(t.organisationId), baselineId: baseline.id, createdBy: user.id });
  const head = async () => Number((await db.select().from(auditHeads).where(eq(auditHeads.organisationId, t.organisationId)))[0]?.sequence ?? 0);
  const fromSequence = await head();
  const preview = await previewImport(user, target, async () => ({ filename: "generated.csv", bytes: file, format: "csv" }));
  expect(preview.problems).toEqual([]);
  const result = await confirmImport(user, preview.id, { createMode: mode, requestId: "req" });
  return { logs: [target, child, grandchild], organisationId: t.organisationId, fromSequence, toSequence: await head(), result };
}

/** Everything the import wrote, with ids replaced by stable names (log role, ref, position). */
async function state(run: Imported) {
  const names = new Map<string, string>();
  run.logs.forEach((id, i) => names.set(id, `log${i}`));
  for (const c of await db.select().from(safetyCases).where(inArray(safetyCases.hazardLogId, run.logs))) names.set(c.id, `case of ${names.get(c.hazardLogId)}`);
  const rows = await db.select().from(hazards).where(inArray(hazards.hazardLogId, run.logs)).orderBy(asc(hazards.refNumber));
  for (const r of rows) names.set(r.id, `${names.get(r.hazardLogId)}:${r.ref}`);
  const links = await db
    .select({ link: hazardControls, control: controls })
    .from(hazardControls)
    .innerJoin(controls, eq(controls.id, hazardControls.controlId))
    .where(inArray(hazardControls.hazardId, rows.map((r) => r.id)));
  for (const l of links) names.set(l.control.id, `${names.get(l.link.hazardId)}#${l.link.position}`);
  const anonymise = (value: unknown) => JSON.parse(JSON.stringify(value).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => names.get(id) ?? id));
  const versions = await db.select().from(hazardVersions).where(inArray(hazardVersions.hazardId, rows.map((r) => r.id)));
  const entries = await db
    .select()
    .from(auditEntries)
    .where(and(eq(auditEntries.organisationId, run.organisationId), gt(auditEntries.sequence, run.fromSequence), lte(auditEntries.sequence, run.toSequence)))
    .orderBy(asc(auditEntries.sequence));
  expect(entries.map((e) => Number(e.sequence))).toEqual(Array.from({ length: run.toSequence - run.fromSequence }, (_, k) => run.fromSequence + k + 1));
  return anonymise({
    result: run.result,
    logs: (await db.select({ id: hazardLogs.id, next: hazardLogs.nextRefNumber }).from(hazardLogs).where(inArray(hazardLogs.id, run.logs))).sort((a, b) => names.get(a.id)!.localeCompare(names.get(b.id)!)),
    hazards: rows.map(({ createdAt: _c, updatedAt: _u, ...r }) => r).sort((x, y) => names.get(x.id)!.localeCompare(names.get(y.id)!)),
    versions: versions.map(({ id: _i, createdAt: _c, ...v }) => v).sort((a, b) => names.get(a.hazardId)!.localeCompare(names.get(b.hazardId)!) || a.version - b.version),
    controls: links.map(({ link, control: { createdAt: _c, updatedAt: _u, ...c } }) => ({ ...link, ...c })).sort((a, b) => names.get(a.id)!.localeCompare(names.get(b.id)!)),
    audit: entries.map((e) => {
      const entry = e.entry as { actor: unknown; action: string; entity: unknown; changes: unknown; reason: unknown; requestId: unknown };
      return { action: entry.action, actor: entry.actor, entity: entry.entity, changes: entry.changes, reason: entry.reason, requestId: entry.requestId };
    }),
  });
}

describe("bulk import of creates", () => {
  it(`writes the same as one by one (${N} generated hazards, inherited twice)`, { timeout: 120_000 }, async () => {
    const source = await emptyLog(db, "Equivalence source");
    const owners = await platformOrganisationIds(db, source);
    await fillLog(db, source, Array.from({ length: N }, (_, i) => generatedHazard(i, owners)));
    const file = await exportBytes(db, CSO, source, "csv");

    const oneByOne = await importInto(file, "one-by-one");
    const bulk = await importInto(file, "bulk");
    const [a, b] = [await state(oneByOne), await state(bulk)];

    expect(a.result).toEqual({ created: N, updated: 0, unchanged: 0 });
    expect(a.hazards).toHaveLength(3 * N);
    expect(a.versions).toHaveLength(3 * N);
    expect(a.controls.length).toBeGreaterThan(N);
    const actions = a.audit.map((e: { action: string }) => e.action);
    expect(actions.filter((x: string) => x === "hazard.created")).toHaveLength(N);
    expect(actions[0]).toBe("safety_case.baseline_changed");
    expect(actions.at(-1)).toBe("log.imported");
    expect(b).toEqual(a);
    expect(await verifyChain(db, bulk.organisationId)).toMatchObject({ ok: true });
  });
});
