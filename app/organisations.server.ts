// Organisation members: listed for every member; added and deactivated by the organisation's admin.
// Users are never deleted: signatures and audit entries must keep pointing at them.
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "#db/client.ts";
import { apiTokens, memberships, organisations, sessions, users } from "#db/schema/index.ts";
import type { Role } from "#db/schema/organisations";
import type { SessionUser } from "./auth.server.ts";
import { appendAudit } from "./audit.server.ts";
import { getDb } from "./db.server.ts";
import { canManageMembers } from "./domain/permissions.ts";
import { AppError, forbidden, notFound } from "./errors.server.ts";
import { hashPassword } from "./password.server.ts";
import { loadLogsWithFacts, type LogWithFacts } from "./permissions.server.ts";

export function requireMembershipBySlug(user: SessionUser, slug: string) {
  const m = user.memberships.find((x) => x.slug === slug);
  if (!m) throw notFound("Organisation");
  return m;
}

export async function listMembers(organisationId: string) {
  return (await getDb())
    .select({ membershipId: memberships.id, userId: users.id, name: users.name, email: users.email, role: memberships.role, active: memberships.active })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.organisationId, organisationId))
    .orderBy(asc(users.name));
}

export async function addMember(user: SessionUser, organisationId: string, input: { email: string; name: string; role: Role; temporaryPassword: string }, requestId?: string) {
  if (!canManageMembers(user.memberships, organisationId)) throw forbidden("Only an administrator of this organisation can add members");
  const email = input.email.trim().toLowerCase();
  const passwordHash = await hashPassword(input.temporaryPassword); // outside the transaction: it is slow
  const db = await getDb();
  await db.transaction(async (tx) => {
    let [existing] = await tx.select().from(users).where(eq(users.email, email));
    existing ??= (await tx.insert(users).values({ email, name: input.name, passwordHash }).returning())[0];
    const [already] = await tx.select().from(memberships).where(and(eq(memberships.userId, existing.id), eq(memberships.organisationId, organisationId)));
    if (already?.active) throw new AppError("bad_request", "This person is already a member", { fields: { email: "This person is already a member of the organisation" } });
    if (already) await tx.update(memberships).set({ active: true, role: input.role }).where(eq(memberships.id, already.id));
    else await tx.insert(memberships).values({ userId: existing.id, organisationId, role: input.role });
    if (!existing.active) await tx.update(users).set({ active: true }).where(eq(users.id, existing.id));
    await appendAudit(tx, { organisationId, actor: { userId: user.id, name: user.name }, action: "member.added", entityType: "membership", entityId: existing.id, changes: { email, role: input.role }, requestId });
  });
}

/** Deactivates a membership; a person left with no active membership is deactivated too, and
 * their sessions and API tokens end at once. */
export async function deactivateMember(user: SessionUser, organisationId: string, membershipId: string, requestId?: string) {
  if (!canManageMembers(user.memberships, organisationId)) throw forbidden("Only an administrator of this organisation can deactivate members");
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [m] = await tx.select().from(memberships).where(and(eq(memberships.id, membershipId), eq(memberships.organisationId, organisationId)));
    if (!m) throw notFound("Member");
    if (m.userId === user.id) throw new AppError("not_allowed", "You cannot deactivate your own membership");
    if (!m.active) return;
    await tx.update(memberships).set({ active: false }).where(eq(memberships.id, m.id));
    const stillActive = await tx.select({ id: memberships.id }).from(memberships).where(and(eq(memberships.userId, m.userId), eq(memberships.active, true)));
    if (stillActive.length === 0) {
      await tx.update(users).set({ active: false }).where(eq(users.id, m.userId));
      await tx.delete(sessions).where(eq(sessions.userId, m.userId));
      await tx.update(apiTokens).set({ revokedAt: new Date() }).where(and(eq(apiTokens.userId, m.userId), isNull(apiTokens.revokedAt)));
    }
    await appendAudit(tx, { organisationId, actor: { userId: user.id, name: user.name }, action: "member.deactivated", entityType: "membership", entityId: m.userId, changes: { role: m.role }, requestId });
  });
}

export type OrganisationOption = { id: string; name: string };

/** The organisations taking part in the log's platform: supplier, ICB, then the deploying trusts. */
export async function platformOrganisations(db: Db, log: LogWithFacts): Promise<OrganisationOption[]> {
  const { supplierOrganisationId, icbOrganisationId, deployerOrganisationIds } = log.facts.platform;
  const ids = [supplierOrganisationId, icbOrganisationId, ...deployerOrganisationIds];
  const rows = await db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, ids));
  return ids.map((id) => rows.find((r) => r.id === id)).filter((r): r is OrganisationOption => !!r);
}

/** The same, for a log known by its id (the caller has already checked it may read it). */
export async function platformOrganisationsOfLog(db: Db, hazardLogId: string): Promise<OrganisationOption[]> {
  const [log] = await loadLogsWithFacts(db, [hazardLogId]);
  return log ? platformOrganisations(db, log) : [];
}
