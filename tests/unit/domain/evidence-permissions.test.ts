// Who may read a control, request evidence for it, upload and review (contract §3 extended to evidence).
import { describe, expect, it } from "vitest";
import { canReadControl, evidenceRequesterFor, evidenceReviewerFor, evidenceUploaderFor, type ControlFacts, type LogFacts } from "#app/domain/permissions.ts";

const platform = { supplierOrganisationId: "sup", icbOrganisationId: "icb", deployerOrganisationIds: ["t1", "t2"] };
const supplierLog: LogFacts = { scope: "platform", organisationId: "sup", platform };
const icbLog: LogFacts = { scope: "shared", organisationId: "icb", platform };
const trustLog: LogFacts = { scope: "local", organisationId: "t1", platform };
/** A supplier control shown in the supplier's log and inherited by the ICB's and trust 1's logs. */
const upstream: ControlFacts = { ownerOrganisationId: "sup", logOrganisationId: "sup", logs: [supplierLog, icbLog, trustLog] };
/** A trust's own control (e.g. a transferred obligation): its local log only. */
const local: ControlFacts = { ownerOrganisationId: "t1", logOrganisationId: "t1", logs: [trustLog] };
const as = (organisationId: string, role: "cso" | "contributor" | "viewer" | "approver" | "admin") => [{ organisationId, role }];

describe("evidence permissions", () => {
  it("reads a control through any log that shows it; nobody else", () => {
    expect(canReadControl(as("t2", "viewer"), upstream)).toBe(true);
    expect(canReadControl(as("other", "cso"), upstream)).toBe(false);
    expect(canReadControl(as("icb", "viewer"), local)).toBe(true);
    expect(canReadControl(as("t2", "cso"), local)).toBe(false);
    expect(canReadControl(as("sup", "cso"), local)).toBe(false);
  });

  it("lets the CSO of the owning or an inheriting log request evidence", () => {
    expect(evidenceRequesterFor(as("icb", "cso"), upstream)).toBe("icb");
    expect(evidenceRequesterFor(as("t1", "cso"), upstream)).toBe("t1");
    expect(evidenceRequesterFor(as("sup", "cso"), upstream)).toBe("sup");
    expect(evidenceRequesterFor(as("t2", "cso"), upstream)).toBeNull(); // reads it, but no log of t2 shows it
    expect(evidenceRequesterFor(as("icb", "viewer"), upstream)).toBeNull();
    expect(evidenceRequesterFor(as("icb", "cso"), local)).toBeNull();
  });

  it("lets a contributor or CSO of the asked (or owning) organisation upload", () => {
    expect(evidenceUploaderFor(as("sup", "contributor"), upstream)).toBe("sup");
    expect(evidenceUploaderFor(as("sup", "viewer"), upstream)).toBeNull();
    expect(evidenceUploaderFor(as("icb", "cso"), upstream)).toBeNull();
    expect(evidenceUploaderFor(as("t1", "contributor"), upstream, { fromOrganisationId: "t1" })).toBe("t1");
    expect(evidenceUploaderFor(as("sup", "cso"), upstream, { fromOrganisationId: "t1" })).toBeNull();
  });

  it("lets only the requesting organisation's CSO review (the log owner's without a request)", () => {
    expect(evidenceReviewerFor(as("icb", "cso"), upstream, { requestedByOrganisationId: "icb" })).toBe("icb");
    expect(evidenceReviewerFor(as("sup", "cso"), upstream, { requestedByOrganisationId: "icb" })).toBeNull();
    expect(evidenceReviewerFor(as("sup", "cso"), upstream, null)).toBe("sup");
    expect(evidenceReviewerFor(as("icb", "approver"), upstream, { requestedByOrganisationId: "icb" })).toBeNull();
  });
});
