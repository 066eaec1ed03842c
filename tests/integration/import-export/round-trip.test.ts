// Export → import into an empty log → export gives the same rows: for the DCSP sample log, the
// demo supplier log, a generated 1,000-hazard log, and (fast-check) generated small logs.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HazardInput } from "#app/domain/hazard-fields.ts";
import { LIKELIHOODS, SEVERITIES } from "#app/domain/risk.ts";
import { closeTestDb, openTestDb, type Db } from "#tests/setup/test-db.ts";
import { loadDcspHazards } from "#tests/fixtures/dcsp-markdown.ts";
import { generatedHazard } from "#tests/fixtures/generated-log.ts";
import { comparableRows, counts, emptyLog, exportBytes, fillLog, importVia, logIdByTitle, multipart, platformOrganisationIds, SUPPLIER_LOG } from "./helpers.ts";

let db: Db;
const CSO = "cso@supplier.example";
beforeAll(async () => ({ db } = await openTestDb()));
afterAll(closeTestDb);

let logs = 0;
async function roundTrip(sourceLogId: string, format: "xlsx" | "csv") {
  const first = await exportBytes(db, CSO, sourceLogId, format);
  const target = await emptyLog(db, `Round trip ${++logs}`);
  const imported = await importVia(db, CSO, target, multipart(first, `source.${format}`));
  const second = await exportBytes(db, CSO, target, format);
  return { imported, before: await comparableRows(first, `a.${format}`), after: await comparableRows(second, `b.${format}`), target, first };
}

describe("round trip", () => {
  it.each(["xlsx", "csv"] as const)("the DCSP sample log (%s) comes back with the same rows", async (format) => {
    const source = await emptyLog(db, `DCSP sample ${format}`);
    await fillLog(db, source, loadDcspHazards().map((h) => h.input));
    const { imported, before, after } = await roundTrip(source, format);
    expect(imported).toEqual({ status: 200, body: { created: 9, updated: 0, unchanged: 0 } });
    expect(after).toEqual(before);
    expect(before).toHaveLength(9);
  });

  it("the demo supplier log (30 hazards, controls owned by several organisations, evidence refs)", async () => {
    const { imported, before, after } = await roundTrip(await logIdByTitle(db, SUPPLIER_LOG), "xlsx");
    expect(imported.body.created).toBe(before.length);
    expect(before.length).toBeGreaterThanOrEqual(25);
    expect(after).toEqual(before);
  });

  it("re-importing a log's own export changes nothing and writes only the log.imported entry", async () => {
    const source = await emptyLog(db, "Re-import");
    await fillLog(db, source, loadDcspHazards().map((h) => h.input));
    const file = await exportBytes(db, CSO, source, "xlsx");
    const before = await counts(db);
    const res = await importVia(db, CSO, source, multipart(file, "same.xlsx"));
    expect(res.body).toEqual({ created: 0, updated: 0, unchanged: 9 });
    expect(await counts(db)).toEqual({ ...before, audit: before.audit + 1 }); // log.imported only
  });

  it("a generated 1,000-hazard log", { timeout: 240_000 }, async () => {
    const source = await emptyLog(db, "Thousand");
    const owners = await platformOrganisationIds(db, source);
    await fillLog(db, source, Array.from({ length: 1000 }, (_, i) => generatedHazard(i, owners)));
    const { imported, before, after } = await roundTrip(source, "csv");
    expect(imported.body).toEqual({ created: 1000, updated: 0, unchanged: 0 });
    expect(after).toEqual(before);
  });
});

const text = (max: number) => fc.string({ minLength: 1, maxLength: max }).map((s) => s.trim()).filter((s) => s.length > 0);
const assessment = fc.record({ severity: fc.constantFrom(null, ...SEVERITIES), likelihood: fc.constantFrom(null, ...LIKELIHOODS), justification: fc.option(text(40), { nil: null }) });
const hazardArb = fc
  .record({
    title: text(60),
    description: fc.string({ maxLength: 80 }).map((s) => s.trim()),
    causes: fc.array(text(40), { maxLength: 3 }),
    harm: text(40),
    effect: fc.string({ maxLength: 40 }).map((s) => s.trim()),
    owner: fc.option(text(20), { nil: null }),
    controls: fc.array(fc.record({ kind: fc.constantFrom("existing", "additional"), type: fc.constantFrom("design", "test", "training", "business_process"), description: text(40), state: fc.constantFrom("planned", "implemented", "verified"), evidenceRefs: fc.array(text(15), { maxLength: 2 }) }), { maxLength: 3 }),
    initial: assessment,
    residual: assessment,
    status: fc.constantFrom("open", "transferred", "closed"),
  })
  .map((h) => ({ ...h, riskBenefitJustification: "Benefit outweighs the residual risk" }))
  .filter((h) => HazardInput.safeParse(h).success)
  .map((h) => HazardInput.parse(h));

it("property: any small log survives export → import → export (csv and xlsx)", { timeout: 240_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(hazardArb, { minLength: 1, maxLength: 4 }), fc.constantFrom("xlsx" as const, "csv" as const), async (inputs, format) => {
      const source = await emptyLog(db, `Property ${++logs}`);
      await fillLog(db, source, inputs);
      const { imported, before, after } = await roundTrip(source, format);
      expect(imported.status).toBe(200);
      expect(after).toEqual(before);
    }),
    { numRuns: 15 },
  );
});
