// insertRows (app/bulk-insert.server.ts) stores what drizzle's own multi-row insert stores: the same
// rows written both ways read back equal (ids, times and refs aside), the rows it answers are the
// rows stored, and text drizzle's drivers would change (lone surrogates) is stored and answered
// the same way (a lone surrogate: refused, as drizzle's jsonb values refuse it).
import { randomUUID } from "node:crypto";
import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { controls, hazardLogs, hazards } from "#db/schema/index.ts";
import { insertRows } from "#app/bulk-insert.server.ts";
import { hazardValues, loadRiskScheme } from "#app/hazard-store.server.ts";
import { closeTestDb, openTestDb, type Db } from "#tests/setup/test-db.ts";
import { generatedHazard } from "#tests/fixtures/generated-log.ts";

/** Text a json parameter could get wrong: escapes, a literal "\ud800", pairs, lone surrogates. */
const HOSTILE_STRINGS = ["quote \" and \\ backslash", "literal \\ud800 text", "\\\\ud83d\\ude00 escaped pair", "emoji 😀 pair", "line\r\nbreak\ttab", "ŵelsh ẅ", "_x000D_ escape-like", "'; drop table hazards; --"];

let db: Db;
beforeAll(async () => ({ db } = await openTestDb()));
afterAll(closeTestDb);

async function newLog(title: string) {
  const [model] = await db.select().from(hazardLogs).limit(1);
  const [log] = await db.insert(hazardLogs).values({ title, standard: model.standard, scope: model.scope, organisationId: model.organisationId, platformId: model.platformId, riskSchemeId: model.riskSchemeId }).returning();
  return log;
}

const comparable = <T extends Record<string, unknown>>(r: T) => {
  const { id: _id, hazardLogId: _log, createdAt: _c, updatedAt: _u, ...rest } = r;
  return rest;
};

it("stores the same hazard rows as drizzle's insert, and answers them as stored", async () => {
  const [a, b] = [await newLog("bulk a"), await newLog("bulk b")];
  const scheme = await loadRiskScheme(db, a.riskSchemeId);
  const inputs = Array.from({ length: 60 }, (_, i) => generatedHazard(i, [a.organisationId]));
  inputs[3] = { ...inputs[3], title: HOSTILE_STRINGS.join(" "), causes: HOSTILE_STRINGS };
  const rowsFor = (log: typeof a) => inputs.map((input, i) => ({ id: randomUUID(), ...hazardValues(log, scheme, input, i + 1) }));
  const answered = await db.transaction(async (tx) => {
    await tx.insert(hazards).values(rowsFor(a));
    return insertRows(tx, hazards, rowsFor(b), { returning: true });
  });
  const read = async (logId: string) => (await db.select().from(hazards).where(eq(hazards.hazardLogId, logId)).orderBy(hazards.refNumber)).map(comparable);
  const [viaDrizzle, viaJson] = [await read(a.id), await read(b.id)];
  expect(viaJson).toEqual(viaDrizzle);
  // The answer is the stored rows (defaults included), times too.
  const stored = await db.select().from(hazards).where(inArray(hazards.id, answered.map((r) => r.id))).orderBy(hazards.refNumber);
  expect(answered).toEqual(stored);
  expect(viaJson[3].causes).toEqual(HOSTILE_STRINGS);
});

it("refuses a lone surrogate, as drizzle's insert of the same row does", async () => {
  const [a, b] = [await newLog("bulk e"), await newLog("bulk f")];
  const scheme = await loadRiskScheme(db, a.riskSchemeId);
  const input = { ...generatedHazard(0, [a.organisationId]), causes: ["lone \uD800 high"] };
  await expect(db.transaction((tx) => tx.insert(hazards).values({ id: randomUUID(), ...hazardValues(a, scheme, input, 1) }))).rejects.toThrow();
  await expect(db.transaction((tx) => insertRows(tx, hazards, [{ id: randomUUID(), ...hazardValues(b, scheme, input, 1) }]))).rejects.toThrow();
});

it("takes a timestamp as the database's text, to the microsecond, and leaves defaults to the database", async () => {
  const log = await newLog("bulk c");
  const id = randomUUID();
  const [row] = await db.transaction((tx) =>
    insertRows(tx, controls, [{ id, hazardLogId: log.id, type: "design", description: "d", ownerOrganisationId: log.organisationId, createdAt: "2026-01-02T03:04:05.123456Z" as never }], { returning: true }),
  );
  const [{ us }] = await db.select({ us: sql<string>`to_char(${controls.createdAt} at time zone 'utc', 'YYYY-MM-DD HH24:MI:SS.US')` }).from(controls).where(eq(controls.id, id));
  expect(us).toBe("2026-01-02 03:04:05.123456");
  expect(row).toMatchObject({ state: "planned", evidenceRefs: [], transferred: false, transferredFromControlId: null });
  expect(row.updatedAt).toBeInstanceOf(Date);
});

it("refuses rows it would write differently from drizzle", async () => {
  const log = await newLog("bulk d");
  const base = { hazardLogId: log.id, type: "design" as const, description: "d", ownerOrganisationId: log.organisationId };
  await expect(db.transaction((tx) => insertRows(tx, controls, [{ ...base, id: randomUUID() }, { ...base, id: randomUUID(), state: "verified" }]))).rejects.toThrow(/same columns/);
  await expect(db.transaction((tx) => insertRows(tx, controls, [{ ...base, id: randomUUID(), transferredFromControlId: undefined }]))).rejects.toThrow(/undefined/);
  await expect(db.transaction((tx) => insertRows(tx, controls, [{ ...base, id: randomUUID(), description: sql`'x'` as never }]))).rejects.toThrow(/plain value/);
});
