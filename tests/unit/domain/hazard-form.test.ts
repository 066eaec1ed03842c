import { describe, expect, it } from "vitest";
import { applyRowIntent, fieldsFromValues, formErrors, formLabel, isAssessed, parseRowIntent, rowsOf, statusActionsFor } from "#app/domain/hazard-form.ts";

describe("flat form values → API fields", () => {
  it("drops blank cause rows, keeps the row map for messages, and sends only the fields shown", () => {
    const { fields, causeRows } = fieldsFromValues({ title: "T", "causes.0": "a", "causes.1": " ", "causes.2": "c", owner: "" });
    expect(fields).toEqual({ title: "T", causes: ["a", "c"], owner: null });
    expect(causeRows).toEqual([0, 2]);
    expect(formErrors({ "causes.1": "must be 1000 characters or fewer" }, causeRows)).toEqual({ "causes.2": "Cause 3 must be 1000 characters or fewer" });
  });
  it("reads controls with evidence one per line and an empty list when the rows were all removed", () => {
    const { fields } = fieldsFromValues({ "controls.shown": "1", "causes.shown": "1" });
    expect(fields).toEqual({ causes: [], controls: [] });
    const one = fieldsFromValues({ "controls.0.description": "D", "controls.0.evidenceRefs": "A\r\n\nB ", "controls.0.kind": "additional" }).fields;
    expect(one.controls).toEqual([{ kind: "additional", type: "design", description: "D", state: "planned", evidenceRefs: ["A", "B"] }]);
  });
  it("sends an assessment only when its fields were in the form, blanks as null, never a risk", () => {
    expect(fieldsFromValues({ "initial.severity": "major", "initial.likelihood": "", "initial.risk": "5" }).fields).toEqual({ initial: { severity: "major", likelihood: null, justification: null } });
    expect(fieldsFromValues({ title: "x" }).fields).not.toHaveProperty("residual");
  });
});

describe("row buttons", () => {
  it("parses intents", () => {
    expect(parseRowIntent("add-cause")).toEqual({ list: "causes", op: "add" });
    expect(parseRowIntent("remove-control-2")).toEqual({ list: "controls", op: "remove", row: 2 });
    expect(parseRowIntent("remove-cause")).toBeNull();
    expect(parseRowIntent("save")).toBeNull();
  });
  it("adds at the end and renumbers after a removal", () => {
    const v = { "controls.0.description": "a", "controls.1.description": "b", "controls.1.type": "test", "controls.2.description": "c" };
    const removed = applyRowIntent(v, { list: "controls", op: "remove", row: 1 });
    expect(removed).toEqual({ "controls.0.description": "a", "controls.1.description": "c" });
    expect(rowsOf(applyRowIntent(removed, { list: "controls", op: "add" }), "controls")).toEqual([0, 1, 2]);
    expect(applyRowIntent({}, { list: "causes", op: "add" })).toEqual({ "causes.0": "", "causes.shown": "1" });
  });
});

describe("labels and small rules", () => {
  it("names fields in the users' words", () => {
    expect(formLabel("controls.0.ownerOrganisationId")).toBe("Control 1 owning organisation");
    expect(formLabel("residual.severity")).toBe("Residual severity");
    expect(formErrors({ "deprecate.reason": "is required" })).toEqual({ reason: "Reason for the change is required" });
  });
  it("says when a reason is needed and which status changes make sense", () => {
    const blank = { severity: null, likelihood: null, risk: null, justification: null };
    expect(isAssessed({ initial: blank, residual: blank, status: "open" })).toBe(false);
    expect(isAssessed({ initial: { ...blank, severity: "minor" }, residual: blank, status: "open" })).toBe(true);
    expect(isAssessed({ initial: blank, residual: blank, status: "closed" })).toBe(true);
    expect(statusActionsFor({ status: "open", deprecated: null })).toEqual(["transfer", "close", "deprecate"]);
    expect(statusActionsFor({ status: "closed", deprecated: { at: "", reason: "" } })).toEqual(["reopen"]);
  });
});
