// Who must sign a Clinical Safety Case by default (domain reference §6.3, issue 4): a supplier
// (`platform`) case needs the supplier's CSO; the ICB's `shared` case needs the ICB's CSO, the ICB's
// approver and the CSO of every deploying trust; a trust's `local` case needs that trust's CSO.
// The owning CSO may edit the list while the case is in draft.
import type { SignatorySlot, SignatoryRole } from "#workflows/safety-case-approval.machine.ts";

export type CaseScope = "platform" | "shared" | "local";

/** Slot ids are stable and readable: `<role>:<organisationId>`, with `#2`, `#3` for repeats. */
export function slotId(role: SignatoryRole, organisationId: string, nth = 1): string {
  return nth === 1 ? `${role}:${organisationId}` : `${role}:${organisationId}#${nth}`;
}

export function defaultSignatories(
  scope: CaseScope,
  facts: { ownerOrganisationId: string; icbOrganisationId: string; deployerOrganisationIds: string[] },
): SignatorySlot[] {
  const slot = (role: SignatoryRole, organisationId: string): SignatorySlot => ({ slotId: slotId(role, organisationId), organisationId, role });
  if (scope !== "shared") return [slot("cso", facts.ownerOrganisationId)];
  return [
    slot("cso", facts.icbOrganisationId),
    slot("approver", facts.icbOrganisationId),
    ...[...facts.deployerOrganisationIds].sort().map((id) => slot("cso", id)),
  ];
}

/** Slots from a user's edit (organisation + role pairs), numbered so repeats get distinct ids. */
export function slotsFrom(pairs: { organisationId: string; role: SignatoryRole }[]): SignatorySlot[] {
  const seen = new Map<string, number>();
  return pairs.map(({ organisationId, role }) => {
    const key = `${role}:${organisationId}`;
    const nth = (seen.get(key) ?? 0) + 1;
    seen.set(key, nth);
    return { slotId: slotId(role, organisationId, nth), organisationId, role };
  });
}
