// The words users see for stored codes: one place, so every page says the same thing.
export const ROLE_NAMES: Record<string, string> = { cso: "Clinical safety officer", contributor: "Contributor", approver: "Approver", viewer: "Viewer", admin: "Administrator" };
export const SCOPE_NAMES: Record<string, string> = { platform: "Supplier (platform)", shared: "ICB shared", local: "Trust local" };
export const STATUS_NAMES: Record<string, string> = { open: "Open", transferred: "Transferred", closed: "Closed" };
export const AUDIT_ACTION_NAMES: Record<string, string> = {
  "hazard.created": "Hazard raised",
  "hazard.updated": "Hazard changed",
  "member.added": "Member added",
  "member.deactivated": "Member deactivated",
  "audit.exported": "Audit trail exported",
};
export const AUDIT_SUBJECT_NAMES: Record<string, string> = { hazard: "hazard", hazard_log: "hazard log", safety_case: "safety case", organisation: "organisation" };
