// NHS Hazard Log template mapping: columns, word normalisation, the matrix check, formula
// neutralisation and the list encoding that lets several controls share one cell.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  COL, decodeList, encodeList, FORMULA_MESSAGE, hazardToRow, neutraliseFormula, restoreNeutralised, rowToHazardInput, TEMPLATE_COLUMNS,
} from "#app/domain/nhs-template.ts";
import type { RiskScheme } from "#app/domain/risk.ts";
import { NHS_RISK_SCHEME } from "#db/seed-data/nhs-risk-scheme.ts";
import { loadDcspHazards, viewFromInput } from "#tests/fixtures/dcsp-markdown.ts";

const scheme: RiskScheme = { ...NHS_RISK_SCHEME, id: "00000000-0000-4000-8000-000000000001" };
const ORG = "11111111-1111-4111-8111-111111111111";
const orgs = new Map([[ORG, "Acme Health Systems Ltd"]]);
const byName = { organisationIdByName: new Map([["Acme Health Systems Ltd", ORG]]) };

/** A valid exported row to vary one cell at a time. */
function baseRow(): Record<string, string> {
  const [sample] = loadDcspHazards();
  const row = hazardToRow(viewFromInput(sample.input, scheme, 1, ORG), orgs);
  return Object.fromEntries(TEMPLATE_COLUMNS.map((c) => [c.letter, row[c.letter] == null ? "" : String(row[c.letter])]));
}
const withCells = (cells: Record<string, string>) => rowToHazardInput({ ...baseRow(), ...cells }, scheme, byName);

describe("TEMPLATE_COLUMNS", () => {
  it("are A–AB of the NHS template v3.6, then our own columns", () => {
    const labels = TEMPLATE_COLUMNS.map((c) => `${c.letter}:${c.label}`);
    expect(labels.slice(0, 28)).toEqual([
      "A:No.", "B:Date Added", "C:Effect", "D:Hazard", "E:Harm", "F:Possible Causes",
      "G:Description", "H:Evidence", "I:Description", "J:Evidence", "K:Description", "L:Evidence",
      "M:Severity", "N:Likelihood", "O:Risk", "P:Justification",
      "Q:Description", "R:Evidence", "S:Description", "T:Evidence", "U:Description", "V:Evidence",
      "W:Severity", "X:Likelihood", "Y:Risk", "Z:Justification", "AA:Owner", "AB:Status",
    ]);
    expect(labels.slice(28, 34)).toEqual(["AC:Ref", "AD:Title", "AE:Description", "AF:Hazard type", "AG:Review due", "AH:Version"]);
    expect(TEMPLATE_COLUMNS.filter((c) => c.template)).toHaveLength(28);
    expect(new Set(TEMPLATE_COLUMNS.map((c) => c.header.toLowerCase())).size).toBe(TEMPLATE_COLUMNS.length);
    expect(TEMPLATE_COLUMNS.find((c) => c.letter === "U")).toMatchObject({ group: "Residual Risk", section: "Additional Controls", sub: "Business Process Change" });
    expect(TEMPLATE_COLUMNS.find((c) => c.letter === "K")).toMatchObject({ section: "Existing Controls", sub: "Business Process" });
  });
});

describe("hazardToRow", () => {
  it("writes the template's words, the matrix number and the status", () => {
    const [, h2, h3] = loadDcspHazards();
    const row = hazardToRow(viewFromInput(h3.input, scheme, 3, ORG), orgs);
    expect(row).toMatchObject({ A: 3, M: "Significant", N: "Very high", O: 4, AB: "Open", AC: "H-003", AD: "Inadequate Data Backup" });
    const closed = hazardToRow({ ...viewFromInput(h2.input, scheme, 2, ORG), status: "closed" }, orgs);
    expect(closed).toMatchObject({ N: "Very low", O: 1, AB: "Closed", W: null, Y: null });
  });

  it("puts test controls in HIT Design marked [Test], keeping design text that looks like a tag exact", () => {
    const [h] = loadDcspHazards();
    const view = viewFromInput({
      ...h.input,
      controls: [
        { kind: "existing", type: "design", description: "[Test] looks like a tag", state: "planned", evidenceRefs: [] },
        { kind: "existing", type: "test", description: "Unit tests of the BMI formula", state: "verified", evidenceRefs: ["TR-1", "TR-2"] },
        { kind: "additional", type: "business_process", description: "Second check", state: "implemented", evidenceRefs: [] },
      ],
    }, scheme, 1, ORG);
    const row = hazardToRow(view, orgs);
    expect(row.G).toBe("• [Design] [Test] looks like a tag\n• [Test] Unit tests of the BMI formula");
    expect(row.H).toBe("• [Planned] Acme Health Systems Ltd\n• [Verified] Acme Health Systems Ltd\n  - TR-1\n  - TR-2");
    expect(row.U).toBe("• Second check");
    const back = rowToHazardInput(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v == null ? "" : String(v)])), scheme, byName);
    expect(back.problems).toEqual([]);
    expect(back.input!.controls.map((c) => [c.type, c.description, c.state, c.evidenceRefs])).toEqual([
      ["design", "[Test] looks like a tag", "planned", []],
      ["test", "Unit tests of the BMI formula", "verified", ["TR-1", "TR-2"]],
      ["business_process", "Second check", "implemented", []],
    ]);
  });
});

describe("rowToHazardInput: words", () => {
  it.each([
    ["Very low", "very_low"], ["Very Low", "very_low"], ["very-low", "very_low"], ["very_low", "very_low"], ["v low", "very_low"],
    ["V. Low", "very_low"], ["VERY HIGH ", "very_high"], ["  medium", "medium"], ["Low", "low"],
  ])("likelihood %j → %s", (word, code) => {
    expect(withCells({ N: word, O: "" }).input?.initial.likelihood).toBe(code);
  });

  it.each([
    ["Significant ", "significant"], ["catastrophic", "catastrophic"], ["MAJOR", "major"], ["Considerable", "considerable"], ["minor", "minor"],
  ])("severity %j → %s", (word, code) => {
    expect(withCells({ M: word, O: "" }).input?.initial.severity).toBe(code);
  });

  it.each(["Negligible", "Moderate", "Severe", "5", "Insignificant"])("severity %j is a problem, never mapped", (word) => {
    const r = withCells({ M: word, O: "" });
    expect(r.input).toBeUndefined();
    expect(r.problems).toEqual([{ column: "M", message: expect.stringContaining(`"${word}" is not a severity`) }]);
  });

  it.each([["open", "open"], ["CLOSED", "closed"], ["Transferred ", "transferred"], ["", "open"]])("status %j → %s", (word, code) => {
    expect(withCells({ AB: word }).input?.status).toBe(code);
  });

  it.each(["Under review", "Draft", "Deprecated"])("status %j is a problem", (word) => {
    expect(withCells({ AB: word }).problems).toEqual([{ column: "AB", message: expect.stringContaining(`"${word}" is not a status`) }]);
  });
});

describe("rowToHazardInput: checks", () => {
  it("reports a Risk cell that disagrees with the matrix, naming the matrix value", () => {
    const r = withCells({ M: "Major", N: "Medium", O: "4" });
    expect(r.input).toBeUndefined();
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0].column).toBe("O");
    expect(r.problems[0].message).toMatch(/4 disagrees with the risk matrix \(Medium likelihood × Major severity = 3\)/);
  });

  it("accepts a blank or agreeing Risk cell, and reports one without both inputs", () => {
    expect(withCells({ M: "Major", N: "Medium", O: "3" }).problems).toEqual([]);
    expect(withCells({ M: "Major", N: "Medium", O: "" }).problems).toEqual([]);
    expect(withCells({ W: "", X: "Low", Y: "2" }).problems).toEqual([{ column: "Y", message: expect.stringContaining("without both") }]);
  });

  it("requires harm", () => {
    expect(withCells({ E: "  " }).problems).toEqual([{ column: "E", message: expect.stringContaining("is required") }]);
  });

  it("reports over-long text in the column that holds it", () => {
    const r = withCells({ AD: "t".repeat(201), C: "e".repeat(4001), F: encodeList(["ok", "c".repeat(1001)]), H: `• [Planned] Acme Health Systems Ltd\n  - ${"r".repeat(201)}` });
    expect(r.problems.map((p) => p.column).sort()).toEqual(["AD", "C", "F", "H"]);
    expect(r.problems.find((p) => p.column === "F")?.message).toMatch(/entry 2/);
  });

  it("reports formula text and unknown organisations", () => {
    expect(withCells({ E: "=HYPERLINK(\"http://x\")" }).problems).toEqual([{ column: "E", message: `Harm: ${FORMULA_MESSAGE}` }]);
    expect(withCells({ H: "• [Verified] Nobody Ltd" }).problems).toEqual([{ column: "H", message: expect.stringContaining('unknown organisation "Nobody Ltd"') }]);
    expect(withCells({ H: "• [Verified] x\n• [Planned] y" }).problems.some((p) => /2 entries but the Description beside it has 1/.test(p.message))).toBe(true);
  });

  it("reads a plain NHS template row (no columns of ours) with free-text cells", () => {
    const row: Record<string, string> = {
      A: "1", B: "2023-04-01", C: "Wrong dose shown", D: "Overdose", E: "Patient harmed", F: "Rounding error",
      G: "Dose check", H: "Test report TR-12\nSee release notes", M: "Major", N: "Low", O: "3", AB: "open",
    };
    const r = rowToHazardInput(row, scheme);
    expect(r.problems).toEqual([]);
    expect(r.input).toMatchObject({
      title: "Overdose", causes: ["Rounding error"], status: "open",
      controls: [{ kind: "existing", type: "design", description: "Dose check", state: "planned", evidenceRefs: ["Test report TR-12", "See release notes"] }],
      initial: { severity: "major", likelihood: "low" },
    });
    expect(r.ref).toBeNull();
    expect(rowToHazardInput({ ...row, [COL.reviewDue]: "7/3/2026" }, scheme).input?.reviewDue).toBe("2026-03-07");
  });


  it("never throws, whatever the cells hold", () => {
    const text = fc.oneof(fc.string(), fc.constantFrom("Major", "Low", "3", "=1", "• [Verified] x\n  - y", "• [Test] t", "Open"));
    fc.assert(fc.property(fc.dictionary(fc.constantFrom(...TEMPLATE_COLUMNS.map((c) => c.letter)), text), (row) => {
      const r = rowToHazardInput(row, scheme, byName);
      expect(r.input !== undefined || r.problems.length > 0).toBe(true);
    }), { numRuns: 500 });
  });
});

describe("formula neutralisation (OWASP CSV injection)", () => {
  it.each([
    ["=1+1", "'=1+1"], ["+44 1234", "'+44 1234"], ["-5 mg", "'-5 mg"], ["@SUM(A1)", "'@SUM(A1)"], ["\tx", "'\tx"], ["\rx", "'\rx"],
    ["'=x", "''=x"], ["'quoted'", "'quoted'"], ["plain", "plain"], ["a=b", "a=b"],
  ])("%j → %j", (text, out) => {
    expect(neutraliseFormula(text)).toBe(out);
    expect(restoreNeutralised(out)).toBe(text);
  });

  it("is undone exactly by the import, and never leaves a cell starting with a formula character", () => {
    fc.assert(fc.property(fc.string({ unit: "binary-ascii" }), (s) => {
      const out = neutraliseFormula(s);
      expect(restoreNeutralised(out)).toBe(s);
      expect(out).not.toMatch(/^[=+\-@\t\r]/);
    }), { numRuns: 500 });
  });
});

describe("list cells", () => {
  it("decode what they encode, for any text", () => {
    const item = fc.string({ unit: fc.constantFrom("•", " ", "\n", "-", "a", "\r", "'") });
    fc.assert(fc.property(fc.array(item, { maxLength: 5 }), (items) => {
      expect(decodeList(encodeList(items))).toEqual(items);
      expect(decodeList(encodeList(items, "- "), "- ")).toEqual(items);
    }), { numRuns: 1000 });
  });
});
