// The words users see for stored codes: one place, so every page says the same thing.
export const ROLE_NAMES: Record<string, string> = { cso: "Clinical safety officer", contributor: "Contributor", approver: "Approver", viewer: "Viewer", admin: "Administrator" };
export const SCOPE_NAMES: Record<string, string> = { platform: "Supplier (platform)", shared: "ICB shared", local: "Trust local" };
export const STATUS_NAMES: Record<string, string> = { open: "Open", transferred: "Transferred", closed: "Closed" };
export const CASE_STATE_NAMES: Record<string, string> = { draft: "Draft", in_review: "In review", approved: "Approved" };
export const MEANING_NAMES: Record<string, string> = {
  approved: "Approved",
  reviewed: "Reviewed",
  accepted_on_behalf_of_organisation: "Accepted on behalf of my organisation",
};
/** Signing roles as slots name them. */
export const SIGNATORY_ROLE_NAMES: Record<string, string> = { cso: "Clinical safety officer", approver: "Approver" };
export const CONTROL_KIND_NAMES: Record<string, string> = { existing: "Existing", additional: "Additional" };
export const CONTROL_TYPE_NAMES: Record<string, string> = { design: "Design", test: "Test", training: "Training", business_process: "Business process change" };
export const CONTROL_STATE_NAMES: Record<string, string> = { planned: "Planned", implemented: "Implemented", verified: "Verified" };

/** "WrongDrugDose" → "Wrong drug dose": the taxonomy codes read as words. */
export function hazardTypeName(code: string | null | undefined): string {
  if (!code) return "";
  return code.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase().replace(/^./, (c) => c.toUpperCase());
}

/** Sources are stored as words already ("live testing"); only the first letter changes. */
export function sourceName(code: string | null | undefined): string {
  return code ? code.replace(/^./, (c) => c.toUpperCase()) : "";
}
export const AUDIT_ACTION_NAMES: Record<string, string> = {
  "hazard.created": "Hazard raised",
  "hazard.updated": "Hazard changed",
  "member.added": "Member added",
  "member.deactivated": "Member deactivated",
  "audit.exported": "Audit trail exported",
  "hazard.upstream_accepted": "Upstream version accepted",
  "hazard.upstream_not_applicable": "Recorded as not applicable here",
  "safety_case.created": "Safety case started",
  "safety_case.submit": "Safety case submitted for sign-off",
  "safety_case.sign": "Safety case signed",
  "safety_case.request_changes": "Changes requested",
  "safety_case.edit_signatories": "Signatories changed",
  "safety_case.baseline_changed": "Returned to draft: the log changed",
  "hazard_log.submit_for_review": "Log submitted for review",
  "hazard_log.issue": "Log version issued",
  "hazard_log.request_changes": "Changes requested to the log",
  "hazard_log.start_new_version": "Next log version started",
};
export const AUDIT_SUBJECT_NAMES: Record<string, string> = { hazard: "hazard", hazard_log: "hazard log", safety_case: "safety case", organisation: "organisation" };
export const SORT_NAMES: Record<string, string> = {
  "-residualRisk": "Highest residual risk", residualRisk: "Lowest residual risk",
  "-initialRisk": "Highest initial risk", initialRisk: "Lowest initial risk",
  reviewDue: "Review due soonest", "-reviewDue": "Review due latest",
  "-updatedAt": "Recently updated", updatedAt: "Least recently updated",
  ref: "Ref, first raised", "-ref": "Ref, last raised", title: "Title A to Z", "-title": "Title Z to A",
};

export const EVIDENCE_STATE_NAMES: Record<string, string> = { submitted: "Awaiting review", accepted: "Accepted", rejected: "Rejected" };
export const EVIDENCE_STATE_TAGS: Record<string, string> = { submitted: "nhsuk-tag--blue", accepted: "nhsuk-tag--green", rejected: "nhsuk-tag--red" };
