// The words users see for stored codes: one place, so every page says the same thing.
export const ROLE_NAMES: Record<string, string> = { cso: "Clinical safety officer", contributor: "Contributor", approver: "Approver", viewer: "Viewer", admin: "Administrator" };
export const SCOPE_NAMES: Record<string, string> = { platform: "Supplier (platform)", shared: "ICB shared", local: "Trust local" };
export const STATUS_NAMES: Record<string, string> = { open: "Open", transferred: "Transferred", closed: "Closed" };
export const SORT_NAMES: Record<string, string> = {
  "-residualRisk": "Highest residual risk", residualRisk: "Lowest residual risk",
  "-initialRisk": "Highest initial risk", initialRisk: "Lowest initial risk",
  reviewDue: "Review due soonest", "-reviewDue": "Review due latest",
  "-updatedAt": "Recently updated", updatedAt: "Least recently updated",
  ref: "Ref, first raised", "-ref": "Ref, last raised", title: "Title A to Z", "-title": "Title Z to A",
};

/** "WrongDrugDose" → "Wrong drug dose" (the §3.8 taxonomy codes are CamelCase). */
export function hazardTypeName(code: string): string {
  const words = code.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
