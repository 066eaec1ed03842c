// The words users see for stored codes: one place, so every page says the same thing.
export const ROLE_NAMES: Record<string, string> = { cso: "Clinical safety officer", contributor: "Contributor", approver: "Approver", viewer: "Viewer", admin: "Administrator" };
export const SCOPE_NAMES: Record<string, string> = { platform: "Supplier (platform)", shared: "ICB shared", local: "Trust local" };
export const STATUS_NAMES: Record<string, string> = { open: "Open", transferred: "Transferred", closed: "Closed" };
export const SORT_NAMES: Record<string, string> = {
  ref: "Ref, first raised first", "-ref": "Ref, last raised first", title: "Title, A to Z", "-title": "Title, Z to A",
  "-residualRisk": "Residual risk, highest first", residualRisk: "Residual risk, lowest first",
  "-initialRisk": "Initial risk, highest first", initialRisk: "Initial risk, lowest first",
  reviewDue: "Review due, soonest first", "-reviewDue": "Review due, latest first",
  "-updatedAt": "Last updated, newest first", updatedAt: "Last updated, oldest first",
};

/** "WrongDrugDose" → "Wrong drug dose" (the §3.8 taxonomy codes are CamelCase). */
export function hazardTypeName(code: string): string {
  const words = code.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
