import { expect, test } from "vitest";
import { canOnLog, canReadLog, canManageMembers, canReadOrganisationAudit, type LogFacts } from "#app/domain/permissions.ts";

const platform = { supplierOrganisationId: "S", icbOrganisationId: "I", deployerOrganisationIds: ["T1", "T2"] };
const log = (scope: LogFacts["scope"], organisationId: string): LogFacts => ({ scope, organisationId, platform });
const as = (organisationId: string, role: "cso" | "contributor" | "approver" | "viewer" | "admin" = "cso") => [{ organisationId, role }];

test("the supplier's log: owner, ICB and every deploying trust read it; others do not", () => {
  const l = log("platform", "S");
  expect(["S", "I", "T1", "T2"].map((o) => canReadLog(as(o), l))).toEqual([true, true, true, true]);
  expect(canReadLog(as("OTHER"), l)).toBe(false);
});

test("the ICB's shared log: ICB, supplier and trusts", () => {
  const l = log("shared", "I");
  expect(["S", "I", "T1", "T2", "OTHER"].map((o) => canReadLog(as(o), l))).toEqual([true, true, true, true, false]);
});

test("a trust's local log: that trust and the ICB only", () => {
  const l = log("local", "T1");
  expect(["S", "I", "T1", "T2", "OTHER"].map((o) => canReadLog(as(o), l))).toEqual([false, true, true, false, false]);
});

test("only the owner organisation writes, and only with a role that may", () => {
  const l = log("platform", "S");
  expect(canOnLog(as("S", "cso"), l, "assess:hazard")).toBe(true);
  expect(canOnLog(as("S", "contributor"), l, "edit:hazard")).toBe(true);
  expect(canOnLog(as("S", "contributor"), l, "assess:hazard")).toBe(false);
  expect(canOnLog(as("S", "viewer"), l, "edit:hazard")).toBe(false);
  expect(canOnLog(as("S", "approver"), l, "edit:hazard")).toBe(false);
  expect(canOnLog(as("I", "cso"), l, "edit:hazard")).toBe(false);
  expect(canManageMembers(as("S", "admin"), "S")).toBe(true);
  expect(canManageMembers(as("S", "cso"), "S")).toBe(false);
});

test("audit trail of a log: CSOs, approvers and viewers of any organisation that reads it", () => {
  const l = log("local", "T1");
  expect(["cso", "approver", "viewer", "contributor", "admin"].map((r) => canOnLog(as("I", r as never), l, "read:audit"))).toEqual([true, true, true, false, false]);
  expect(canOnLog(as("T1", "viewer"), l, "read:audit")).toBe(true);
  expect(canOnLog(as("T2", "cso"), l, "read:audit")).toBe(false); // may not read the log at all
  // A contributor here and a viewer there: the viewer membership in a reader organisation counts.
  expect(canOnLog([{ organisationId: "S", role: "contributor" }, { organisationId: "I", role: "viewer" }], l, "read:audit")).toBe(true);
});

test("an organisation's whole audit chain: only its own CSOs, approvers and viewers", () => {
  expect(canReadOrganisationAudit(as("S", "viewer"), "S")).toBe(true);
  expect(canReadOrganisationAudit(as("S", "contributor"), "S")).toBe(false);
  expect(canReadOrganisationAudit(as("I", "cso"), "S")).toBe(false);
});
