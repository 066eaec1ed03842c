import { parse } from "csv-parse/sync";
import { expect, test } from "vitest";
import { auditCsvHeader, auditCsvRows, AuditTrailQuery, describeChanges, formatLondon, type TrailEntry } from "#app/domain/audit-trail.ts";

test("times read as UK clock time: GMT in winter, BST in summer", () => {
  expect(formatLondon("2025-01-15T12:00:00.000000Z")).toBe("15 Jan 2025, 12:00:00 GMT");
  expect(formatLondon("2025-07-15T12:00:00.000000Z")).toBe("15 Jul 2025, 13:00:00 BST");
  expect(formatLondon("2025-10-26T00:30:00.000000Z")).toBe("26 Oct 2025, 01:30:00 BST"); // before the clocks go back at 01:00 UTC
});

test("a field diff reads old → new with the fields' own labels", () => {
  expect(describeChanges({ ref: "H-001", version: 3, diff: [{ field: "residual.risk", from: 4, to: 2 }, { field: "causes", from: ["a"], to: ["a", "b"] }, { field: "owner", from: null, to: "Ward lead" }] })).toEqual([
    { label: "Residual risk", from: "4", to: "2" },
    { label: "Causes", from: "a", to: "a; b" },
    { label: "Owner", from: "(empty)", to: "Ward lead" },
  ]);
});

test("a creation names what was created; other actions list their details", () => {
  expect(describeChanges({ ref: "H-031", hazardLogId: "x", snapshot: { title: "Wrong patient" } })).toEqual([{ label: "Created", to: "H-031 Wrong patient" }]);
  expect(describeChanges({ email: "a@b.example", role: "viewer" })).toEqual([{ label: "Email", to: "a@b.example" }, { label: "Role", to: "viewer" }]);
  expect(describeChanges(null)).toEqual([]);
});

test("CSV cells that a spreadsheet would run as formulas are neutralised; the rest round-trips", () => {
  const entry: TrailEntry = {
    sequence: 7, organisationName: "=Org", at: "2025-01-15T12:00:00.000000Z", actor: { userId: "u1", name: "+Name", role: "cso" }, action: "hazard.updated",
    entity: { type: "hazard", id: "h1" }, changes: { diff: [{ field: "title", from: "a", to: "b" }] }, reason: "-1+1", requestId: "@r", hash: "ab",
  };
  const [header, row] = parse(auditCsvHeader() + auditCsvRows([entry]), { bom: true }) as string[][];
  expect(header[0]).toBe("When (UTC)");
  expect(row).toEqual(["2025-01-15T12:00:00.000000Z", "'=Org", "7", "'+Name", "u1", "cso", "hazard.updated", "hazard", "h1", "Title: a → b", "'-1+1", "'@r", "ab"]);
});

test("the filter takes both entity parts or neither", () => {
  expect(AuditTrailQuery.safeParse({}).success).toBe(true);
  expect(AuditTrailQuery.safeParse({ entityType: "hazard", entityId: "x", page: "2" }).data).toEqual({ entityType: "hazard", entityId: "x", page: 2 });
  expect(AuditTrailQuery.safeParse({ entityType: "hazard" }).success).toBe(false);
  expect(AuditTrailQuery.safeParse({ entityType: "user", entityId: "x" }).success).toBe(false);
});
