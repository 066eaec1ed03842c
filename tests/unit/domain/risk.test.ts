// The risk lookup against domain reference §4.3 and the invariants of §4.6.
import fc from "fast-check";
import { expect, test } from "vitest";
import { LIKELIHOODS, SEVERITIES, lookupRisk, needsRiskBenefitJustification, UnknownRiskCodeError } from "#app/domain/risk.ts";
import { NHS_RISK_SCHEME } from "#db/seed-data/nhs-risk-scheme.ts";

// Rows: likelihood very_low → very_high; columns: severity minor → catastrophic (typed from §4.3).
const TABLE = [
  [1, 1, 2, 2, 3],
  [1, 2, 2, 3, 4],
  [2, 2, 3, 3, 4],
  [2, 3, 3, 4, 5],
  [3, 4, 4, 5, 5],
];
const scheme = NHS_RISK_SCHEME;
const likelihood = fc.integer({ min: 0, max: 4 });
const severity = fc.integer({ min: 0, max: 4 });

test("all 25 cells equal the NHS matrix", () => {
  LIKELIHOODS.forEach((l, li) => SEVERITIES.forEach((s, si) => expect(lookupRisk(scheme, l, s)).toBe(TABLE[li][si])));
});

test("worked checks of §4.6", () => {
  expect(lookupRisk(scheme, "medium", "major")).toBe(3);
  expect(lookupRisk(scheme, "very_low", "major")).toBe(2);
  expect(lookupRisk(scheme, "low", "catastrophic")).toBe(4);
  expect(lookupRisk(scheme, "high", "catastrophic")).toBe(5);
  expect(lookupRisk(scheme, "very_high", "minor")).toBe(3);
});

test("cells per rating 1..5 are 3/7/7/5/3", () => {
  const counts = [0, 0, 0, 0, 0];
  for (const l of LIKELIHOODS) for (const s of SEVERITIES) counts[lookupRisk(scheme, l, s) - 1]++;
  expect(counts).toEqual([3, 7, 7, 5, 3]);
});

test("monotonic: never decreases as likelihood or severity rises", () => {
  fc.assert(fc.property(likelihood, severity, (l, s) => {
    const r = lookupRisk(scheme, LIKELIHOODS[l], SEVERITIES[s]);
    if (l < 4) expect(lookupRisk(scheme, LIKELIHOODS[l + 1], SEVERITIES[s])).toBeGreaterThanOrEqual(r);
    if (s < 4) expect(lookupRisk(scheme, LIKELIHOODS[l], SEVERITIES[s + 1])).toBeGreaterThanOrEqual(r);
  }));
});

test("symmetric when both axes are indexed 1..5", () => {
  fc.assert(fc.property(likelihood, severity, (l, s) => lookupRisk(scheme, LIKELIHOODS[l], SEVERITIES[s]) === lookupRisk(scheme, LIKELIHOODS[s], SEVERITIES[l])));
});

test("not a product and not a function of the sum", () => {
  expect(lookupRisk(scheme, "low", "catastrophic")).not.toBe(lookupRisk(scheme, "medium", "major"));
  fc.assert(fc.property(likelihood, severity, (l, s) => {
    const r = lookupRisk(scheme, LIKELIHOODS[l], SEVERITIES[s]);
    return r >= 1 && r <= 5;
  }));
});

test("unknown codes are refused, never guessed", () => {
  expect(() => lookupRisk(scheme, "likely", "major")).toThrow(UnknownRiskCodeError);
  expect(() => lookupRisk(scheme, "low", "negligible")).toThrow(UnknownRiskCodeError);
});

test("residual 4 and 5 need a risk–benefit justification; 1 to 3 do not", () => {
  expect([1, 2, 3, 4, 5].map(needsRiskBenefitJustification)).toEqual([false, false, false, true, true]);
});
