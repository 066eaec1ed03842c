import { describe, expect, it } from "vitest";
import { describeChanges, type Words } from "#app/components/change-text.ts";
import { formatDate, formatDateTime, londonToday } from "#app/components/format.ts";

const words: Words = {
  severities: { major: "Major" },
  likelihoods: { low: "Low", medium: "Medium" },
  riskLabels: { "3": "Undesirable" },
  organisations: { o1: "Acme Health Systems Ltd" },
  controls: { c1: "Barcode scanning" },
};

describe("describeChanges", () => {
  it("turns codes into words and lists into items added and removed", () => {
    const out = describeChanges(
      [
        { field: "causes", from: ["a", "b"], to: ["b", "c"] },
        { field: "initial.likelihood", from: "low", to: "medium" },
        { field: "initial.risk", from: null, to: 3 },
        { field: "status", from: "open", to: "closed" },
        { field: "hazardType", from: null, to: "WrongDrugDose" },
        { field: "controls[c1].ownerOrganisationId", from: "o1", to: "o2" },
        { field: "controls[c2]", from: null, to: { description: "Training", type: "training", state: "planned", kind: "existing" } },
      ],
      words,
    );
    expect(out[0]).toMatchObject({ label: "Causes", added: ["c"], removed: ["a"] });
    expect(out[1]).toMatchObject({ label: "Initial likelihood", from: "Low", to: "Medium" });
    expect(out[2]).toMatchObject({ from: null, to: "3 (Undesirable)" });
    expect(out[3]).toMatchObject({ from: "Open", to: "Closed" });
    expect(out[4]).toMatchObject({ to: "Wrong drug dose" });
    expect(out[5]).toMatchObject({ label: "Control owner (“Barcode scanning”)", from: "Acme Health Systems Ltd", to: "Another organisation" });
    expect(out[6]).toMatchObject({ label: "Control added", added: ["Existing training control: Training (planned)"] });
  });
});

describe("dates in Europe/London", () => {
  it("shows summer times in BST and winter times in GMT", () => {
    expect(formatDateTime("2025-06-01T13:05:00Z")).toBe("1 June 2025 at 14:05");
    expect(formatDateTime("2025-01-15T23:30:00Z")).toBe("15 January 2025 at 23:30");
    expect(formatDate("2026-03-31")).toBe("31 March 2026");
    expect(londonToday(new Date("2025-06-30T23:30:00Z"))).toBe("2025-07-01");
  });
});
