// The import plan: creates, updates (with control ids kept), unchanged rows, and the problems the
// template mapping cannot see on its own (duplicate refs, stale rows, inherited fields, risk–benefit).
import { describe, expect, it } from "vitest";
import { planImport, type PlanContext } from "#app/domain/import-plan.ts";
import type { HazardView } from "#app/domain/hazard-view.ts";
import { COL, hazardToRow } from "#app/domain/nhs-template.ts";
import type { RiskScheme } from "#app/domain/risk.ts";
import { NHS_RISK_SCHEME } from "#db/seed-data/nhs-risk-scheme.ts";
import { loadDcspHazards, viewFromInput } from "#tests/fixtures/dcsp-markdown.ts";

const scheme: RiskScheme = { ...NHS_RISK_SCHEME, id: "00000000-0000-4000-8000-000000000001" };
const ORG = "11111111-1111-4111-8111-111111111111";
const names = new Map([[ORG, "Acme Health Systems Ltd"]]);
const views = loadDcspHazards().slice(0, 3).map((h, i) => viewFromInput(h.input, scheme, i + 1, ORG));
const ctx = (existing: HazardView[] = views): PlanContext => ({
  scheme, existing: new Map(existing.map((v) => [v.ref, v])), orgNameById: names, organisationIdByName: new Map([["Acme Health Systems Ltd", ORG]]), filename: "f.csv",
});
const cells = (v: HazardView, change: Record<string, string> = {}) => ({
  ...Object.fromEntries(Object.entries(hazardToRow(v, names)).map(([k, x]) => [k, x == null ? "" : String(x)])),
  ...change,
});
const sheet = (rows: Record<string, string>[]) => ({ rows: rows.map((c, i) => ({ rowNumber: i + 5, cells: c })), problems: [] });

describe("planImport", () => {
  it("leaves identical rows alone, updates changed ones (keeping control ids) and creates the rest", () => {
    const plan = planImport(sheet([cells(views[0]), cells(views[1], { [COL.title]: "Renamed", [COL["Existing Controls0d"]]: "• Edited control text" }), cells(views[2], { [COL.ref]: "" })]), ctx());
    expect(plan.problems).toEqual([]);
    expect(plan.unchanged).toEqual([{ row: 5, ref: "H-001" }]);
    const [update, create] = plan.items;
    expect(update).toMatchObject({ action: "update", ref: "H-002", version: 1, changes: ["title", "controls"] });
    if (update.action !== "update") throw new Error();
    expect(update.patch.reason).toBe("Imported from f.csv");
    expect(update.patch.controls[0]).toMatchObject({ id: views[1].controls[0].id, description: "Edited control text" });
    expect(create).toMatchObject({ action: "create", row: 7, ref: null });
  });

  it("creates a row whose Ref is not in the log, with a note", () => {
    const plan = planImport(sheet([cells(views[0], { [COL.ref]: "H-999" })]), ctx());
    expect(plan.items).toEqual([expect.objectContaining({ action: "create", ref: "H-999", note: expect.stringContaining("not in this log") })]);
  });

  it("reports a Ref twice, a stale Version, a missing risk–benefit justification; no items then", () => {
    const plan = planImport(sheet([
      cells(views[0]), cells(views[0]),
      cells(views[1], { [COL.version]: "3" }),
      cells(views[2], { [COL.ref]: "", [COL.residualSeverity]: "Major", [COL.residualLikelihood]: "High", [COL.residualRisk]: "" }),
    ]), ctx());
    expect(plan.problems.map((p) => [p.row, p.column])).toEqual([[6, "AC"], [7, "AH"], [8, "AJ"]]);
    expect(plan.items).toEqual([]);
  });

  it("on an inherited hazard: upstream fields are read-only, upstream causes and controls are kept out of the patch", () => {
    const upstream = views[0];
    const inherited: HazardView = {
      ...viewFromInput({ ...loadDcspHazards()[0].input, causes: [...upstream.causes, "Local cause"] }, scheme, 4, ORG),
      ref: "H-004", localCauses: ["Local cause"], controls: upstream.controls.map((c) => ({ ...c, upstream: true })),
      upstream: { hazardId: upstream.id, hazardLogId: upstream.hazardLogId, ref: upstream.ref, acceptedVersion: 1, currentVersion: 1, status: "open", deprecated: null },
    };
    const renamed = planImport(sheet([cells(inherited, { [COL.title]: "Renamed" })]), ctx([inherited]));
    expect(renamed.problems).toEqual([expect.objectContaining({ column: COL.title, message: expect.stringContaining("inherited") })]);
    const owner = planImport(sheet([cells(inherited, { [COL.owner]: "Trust CSO" })]), ctx([inherited]));
    expect(owner.problems).toEqual([]);
    const [item] = owner.items;
    if (item.action !== "update") throw new Error();
    expect(item.patch.causes).toEqual(["Local cause"]);
    expect(item.patch.controls).toEqual([]);
    expect(item.changes).toEqual(["owner"]);
  });

  it("an empty file is a problem", () => {
    expect(planImport(sheet([]), ctx()).problems).toEqual([{ row: 0, column: "", message: "The file has no hazard rows" }]);
  });
});
