// Who may read and write what (contract §3). Pure: the caller's memberships and the object's owner
// and platform in, a yes/no out. Every loader, action and API route asks this module, through the
// require… helpers of app/permissions.server.ts.
import type { Role } from "#db/schema/organisations";

export type MembershipFacts = { organisationId: string; role: Role };

/** The facts about a hazard log that decide who sees it. */
export type LogFacts = {
  scope: "platform" | "shared" | "local";
  organisationId: string;
  platform: { supplierOrganisationId: string; icbOrganisationId: string; deployerOrganisationIds: string[] };
};

export type Permission =
  | "read:log"
  | "edit:hazard" // raise hazards, edit their descriptive fields and controls
  | "assess:hazard" // ratings, status, deprecation, accepting upstream versions
  | "import:log"
  | "submit:case"
  | "sign:case"
  | "manage:members"
  | "read:audit" // the audit trail of what the user may read (not contributors: they edit drafts; not admins: they manage people)
  | "request:evidence" // ask an organisation for evidence of a control, and review what it sends
  | "upload:evidence"
  | "record:incident"; // any reader organisation's people who work on safety, not viewers or admins

const ROLE_PERMISSIONS: Record<Role, Permission[]> = {
  cso: ["read:log", "edit:hazard", "assess:hazard", "import:log", "submit:case", "sign:case", "read:audit", "request:evidence", "upload:evidence", "record:incident"],
  contributor: ["read:log", "edit:hazard", "upload:evidence", "record:incident"],
  approver: ["read:log", "sign:case", "read:audit", "record:incident"],
  viewer: ["read:log", "read:audit"],
  admin: ["read:log", "manage:members"],
};

export function roleHas(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/**
 * Organisations that may read a log: its owner; the supplier's log also the ICB and every
 * deploying trust of the platform; the ICB's shared log also the supplier and the trusts; a
 * trust's local log also the ICB. Nobody else.
 */
export function readerOrganisationIds(log: LogFacts): Set<string> {
  const { supplierOrganisationId, icbOrganisationId, deployerOrganisationIds } = log.platform;
  const readers = new Set([log.organisationId]);
  if (log.scope === "platform") [icbOrganisationId, ...deployerOrganisationIds].forEach((id) => readers.add(id));
  if (log.scope === "shared") [supplierOrganisationId, ...deployerOrganisationIds].forEach((id) => readers.add(id));
  if (log.scope === "local") readers.add(icbOrganisationId);
  return readers;
}

export function canReadLog(memberships: MembershipFacts[], log: LogFacts): boolean {
  const readers = readerOrganisationIds(log);
  return memberships.some((m) => readers.has(m.organisationId));
}

/**
 * Only the owner organisation writes a log, and only with a role that carries the permission.
 * Reading its audit trail needs a reader organisation in which the user's role carries read:audit.
 */
export function canOnLog(memberships: MembershipFacts[], log: LogFacts, permission: Permission): boolean {
  if (permission === "read:log") return canReadLog(memberships, log);
  if (permission === "read:audit") {
    const readers = readerOrganisationIds(log);
    return memberships.some((m) => readers.has(m.organisationId) && roleHas(m.role, "read:audit"));
  }
  return memberships.some((m) => m.organisationId === log.organisationId && roleHas(m.role, permission));
}

export function canManageMembers(memberships: MembershipFacts[], organisationId: string): boolean {
  return memberships.some((m) => m.organisationId === organisationId && roleHas(m.role, "manage:members"));
}

/** An organisation's whole audit chain: its own CSOs, approvers and viewers. */
export function canReadOrganisationAudit(memberships: MembershipFacts[], organisationId: string): boolean {
  return memberships.some((m) => m.organisationId === organisationId && roleHas(m.role, "read:audit"));
}

/**
 * Progress on a transferred control (DCB0129 6.3.1): the organisation that must put it in place
 * sees its own; the organisation that transferred it and the ICB see every deploying organisation's
 * state, though not the rest of those organisations' local logs.
 */
export function canSeeObligationProgress(
  memberships: MembershipFacts[],
  facts: { obligedOrganisationId: string; transferringOrganisationId: string; icbOrganisationId: string },
): boolean {
  const mine = new Set(memberships.map((m) => m.organisationId));
  return mine.has(facts.obligedOrganisationId) || mine.has(facts.transferringOrganisationId) || mine.has(facts.icbOrganisationId);
}

// ---------------------------------------------------------------------------------------------
// Controls and their evidence

/**
 * The facts about a control that decide who sees it and its evidence: the organisation that
 * carries it out, the owner of its own log, and every log that shows it (its own log, the logs of
 * the hazards linked to it, and the logs inheriting those hazards, at any depth).
 */
export type ControlFacts = { ownerOrganisationId: string; logOrganisationId: string; logs: LogFacts[] };

/** Readable by whoever may read any log that shows the control; nobody else (404). */
export function canReadControl(memberships: MembershipFacts[], control: ControlFacts): boolean {
  return control.logs.some((log) => canReadLog(memberships, log));
}

/** Organisations whose CSO may request evidence: the owners of the logs that show the control. */
export function evidenceRequesterIds(control: ControlFacts): Set<string> {
  return new Set([control.logOrganisationId, ...control.logs.map((l) => l.organisationId)]);
}

/** Organisations that may read the control (a request can only go to one of them). */
export function controlReaderIds(control: ControlFacts): Set<string> {
  return new Set(control.logs.flatMap((l) => [...readerOrganisationIds(l)]));
}

function actingAs(memberships: MembershipFacts[], organisationIds: Set<string>, permission: Permission, prefer?: string | null): string | null {
  const able = memberships.filter((m) => organisationIds.has(m.organisationId) && roleHas(m.role, permission));
  return (able.find((m) => m.organisationId === prefer) ?? able[0])?.organisationId ?? null;
}

/** The organisation in whose name the user requests evidence (a CSO of a log showing the control), or null. */
export function evidenceRequesterFor(memberships: MembershipFacts[], control: ControlFacts, prefer?: string | null): string | null {
  if (!canReadControl(memberships, control)) return null;
  return actingAs(memberships, evidenceRequesterIds(control), "request:evidence", prefer);
}

/**
 * The organisation in whose name the user uploads: the one a request was sent to, or without a
 * request the organisation that carries out the control; as its contributor or CSO. Else null.
 */
export function evidenceUploaderFor(memberships: MembershipFacts[], control: ControlFacts, request?: { fromOrganisationId: string } | null): string | null {
  if (!canReadControl(memberships, control)) return null;
  return actingAs(memberships, new Set([request?.fromOrganisationId ?? control.ownerOrganisationId]), "upload:evidence");
}

/**
 * Who reviews an item: the CSO of the organisation that requested it, or, for an item sent
 * without a request, the CSO of the organisation owning the control's log.
 */
export function evidenceReviewerFor(memberships: MembershipFacts[], control: ControlFacts, request?: { requestedByOrganisationId: string } | null): string | null {
  if (!canReadControl(memberships, control)) return null;
  return actingAs(memberships, new Set([request?.requestedByOrganisationId ?? control.logOrganisationId]), "request:evidence");
}

/** The membership through which the user records an incident on a log's hazard, or null. */
export function incidentRecorderFor<M extends MembershipFacts>(memberships: M[], log: LogFacts): M | null {
  return memberships.find((m) => canReadLog([m], log) && roleHas(m.role, "record:incident")) ?? null;
}
