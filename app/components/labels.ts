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
