import { describe, expect, it } from "vitest";
import { diffSnapshots, fieldLabel } from "#app/domain/hazard-diff.ts";

const a = { id: "x", ref: "H-001", hazardLogId: "l", title: "T", description: "", causes: ["a"], effect: "", hazard: "", harm: "", hazardType: null, source: null, owner: null, reviewDue: null, status: "open", riskBenefitJustification: null, deprecated: null,
  initial: { severity: "major", likelihood: "medium", risk: 3, justification: null },
  residual: { severity: null, likelihood: null, risk: null, justification: null },
  controls: [{ id: "c1", kind: "existing", type: "design", description: "D1", state: "planned" }, { id: "c2", kind: "additional", type: "test", description: "D2", state: "planned" }] };

describe("diffSnapshots", () => {
  it("is empty for equal snapshots", () => expect(diffSnapshots(a, structuredClone(a))).toEqual([]));
  it("lists changed fields, assessment parts and controls by id", () => {
    const b = structuredClone(a) as Record<string, unknown>;
    b.title = "T2";
    b.causes = ["a", "b"];
    b.residual = { severity: "minor", likelihood: "low", risk: 1, justification: null };
    b.deprecated = { at: "2025-01-01T00:00:00.000Z", reason: "gone" } as never;
    b.controls = [{ ...a.controls[0], state: "verified" }, { id: "c3", kind: "additional", type: "training", description: "D3", state: "planned" }];
    const d = diffSnapshots(a, b);
    expect(d).toContainEqual({ field: "title", from: "T", to: "T2" });
    expect(d).toContainEqual({ field: "causes", from: ["a"], to: ["a", "b"] });
    expect(d).toContainEqual({ field: "residual.risk", from: null, to: 1 });
    expect(d).toContainEqual({ field: "controls[c1].state", from: "planned", to: "verified" });
    expect(d).toContainEqual({ field: "controls[c3]", from: null, to: expect.objectContaining({ description: "D3" }) });
    expect(d).toContainEqual({ field: "controls[c2]", from: expect.objectContaining({ description: "D2" }), to: null });
    expect(d.find((c) => c.field === "deprecated")?.to).toMatchObject({ reason: "gone" });
    expect(d.some((c) => c.field.startsWith("initial."))).toBe(false);
  });
  it("labels fields readably", () => {
    expect(fieldLabel("residual.risk")).toBe("Residual risk");
    expect(fieldLabel("controls[abc].state")).toBe("Control state");
    expect(fieldLabel("controls[abc]")).toBe("Control");
    expect(fieldLabel("riskBenefitJustification")).toBe("Risk–benefit justification");
  });
});
