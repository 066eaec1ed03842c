import { describe, expect, it } from "vitest";
import { riskGrid } from "#app/domain/risk-grid.ts";
import { withCursor, withParams } from "#app/domain/list-url.ts";
import type { RiskScheme } from "#app/domain/risk.ts";
import { NHS_RISK_SCHEME } from "#db/seed-data/nhs-risk-scheme.ts";

const scheme = { id: "s", ...NHS_RISK_SCHEME } as RiskScheme;

describe("riskGrid", () => {
  it("puts the most likely row on top, severities minor → catastrophic, with the scheme's ratings, labels and colours", () => {
    const grid = riskGrid(scheme, { "very_high:minor": 2, "low:catastrophic": 5 });
    expect(grid.rows.map((r) => r.likelihood.code)).toEqual(["very_high", "high", "medium", "low", "very_low"]);
    expect(grid.severities.map((s) => s.code)).toEqual(["minor", "significant", "considerable", "major", "catastrophic"]);
    expect(grid.rows[0].cells[0]).toMatchObject({ key: "very_high:minor", rating: 3, label: "Undesirable", colour: "#FABF8F", count: 2 });
    expect(grid.rows[3].cells[4]).toMatchObject({ key: "low:catastrophic", rating: 4, label: "Mandatory elimination", count: 5 });
    expect(grid.rows[4].cells[0]).toMatchObject({ rating: 1, count: 0 });
    // domain reference §4.3: cells per rating 3/7/7/5/3
    const perRating = [1, 2, 3, 4, 5].map((r) => grid.rows.flatMap((row) => row.cells).filter((c) => c.rating === r).length);
    expect(perRating).toEqual([3, 7, 7, 5, 3]);
  });
});

describe("list links", () => {
  it("change one parameter, keep the rest (repeated ones too), and drop the cursor", () => {
    expect(withParams("/l", "status=open&status=closed&cursor=abc&q=x", { residualCell: "high:major" })).toBe("/l?status=open&status=closed&q=x&residualCell=high%3Amajor");
    expect(withParams("/l", "?residualCell=high%3Amajor", { residualCell: null })).toBe("/l");
    expect(withCursor("/l", "q=x&cursor=old", "new")).toBe("/l?q=x&cursor=new");
  });
});
