// Transferred controls across a platform (domain reference §6.1, DCB0129 6.3.1): each control an
// upstream organisation transferred to the deploying organisations, and per deploying organisation
// the obligation it holds in its own log and where that stands. Who sees which column is decided by
// canSeeObligationProgress in app/domain/permissions.ts.
import { and, eq, inArray, isNotNull } from "drizzle-orm";
import { controls, hazardControls, hazards, organisations, platforms } from "#db/schema/index.ts";
import { asService } from "#db/request-scope.ts";
import type { SessionUser } from "./auth.server.ts";
import { getDb } from "./db.server.ts";
import { isUuid } from "./domain/ids.ts";
import { canReadLog, canSeeObligationProgress } from "./domain/permissions.ts";
import { notFound } from "./errors.server.ts";
import { loadLogsWithFacts } from "./permissions.server.ts";

export type Obligation = { controlId: string; hazardId: string; hazardRef: string; state: "planned" | "implemented" | "verified"; updatedAt: string };
export type TransferredControl = {
  controlId: string; description: string; type: string; transferredBy: { id: string; name: string };
  hazard: { id: string; ref: string; title: string };
  /** Per deploying organisation the caller may follow; absent where it holds no obligation yet. */
  byOrganisation: Record<string, Obligation>;
};

export async function platformTransferredControls(user: SessionUser, platformId: string) {
  if (!isUuid(platformId)) throw notFound("Platform");
  const db = await getDb();
  const [platform] = await db.select().from(platforms).where(eq(platforms.id, platformId));
  if (!platform) throw notFound("Platform");
  const logs = (await loadLogsWithFacts(db)).filter((l) => l.platformId === platform.id);
  const readable = logs.filter((l) => canReadLog(user.memberships, l.facts));
  if (readable.length === 0) throw notFound("Platform");
  const deployers = logs[0].facts.platform.deployerOrganisationIds;

  const sources = await db
    .select({ control: controls, hazardId: hazards.id, ref: hazards.ref, title: hazards.title })
    .from(controls)
    .innerJoin(hazardControls, eq(hazardControls.controlId, controls.id))
    .innerJoin(hazards, eq(hazards.id, hazardControls.hazardId))
    .where(and(inArray(controls.hazardLogId, readable.map((l) => l.id)), eq(controls.transferred, true), eq(controls.hazardLogId, hazards.hazardLogId)));
  const upstreamSources = sources.filter((s) => s.control.transferredFromControlId === null);
  // The obligations sit in the deploying organisations' local logs, which the transferring
  // organisation may not read as a whole: read them as the service (past row-level security) and
  // show each only where canSeeObligationProgress says so (below).
  const obligations = upstreamSources.length
    ? await asService(() => db
        .select({ control: controls, hazardId: hazards.id, ref: hazards.ref })
        .from(controls)
        .innerJoin(hazardControls, eq(hazardControls.controlId, controls.id))
        .innerJoin(hazards, eq(hazards.id, hazardControls.hazardId))
        .where(and(isNotNull(controls.transferredFromControlId), inArray(controls.transferredFromControlId, upstreamSources.map((s) => s.control.id)))))
    : [];
  const orgRows = await db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, [...new Set([...deployers, ...upstreamSources.map((s) => s.control.ownerOrganisationId)])]));
  const orgName = new Map(orgRows.map((o) => [o.id, o.name]));
  const visible = (obligedOrganisationId: string, transferringOrganisationId: string) =>
    canSeeObligationProgress(user.memberships, { obligedOrganisationId, transferringOrganisationId, icbOrganisationId: platform.icbOrganisationId });

  const items: TransferredControl[] = upstreamSources.map((s) => {
    const byOrganisation: Record<string, Obligation> = {};
    for (const o of obligations.filter((x) => x.control.transferredFromControlId === s.control.id)) {
      if (!visible(o.control.ownerOrganisationId, s.control.ownerOrganisationId)) continue;
      byOrganisation[o.control.ownerOrganisationId] = { controlId: o.control.id, hazardId: o.hazardId, hazardRef: o.ref, state: o.control.state, updatedAt: o.control.updatedAt.toISOString() };
    }
    return {
      controlId: s.control.id, description: s.control.description, type: s.control.type,
      transferredBy: { id: s.control.ownerOrganisationId, name: orgName.get(s.control.ownerOrganisationId) ?? "" },
      hazard: { id: s.hazardId, ref: s.ref, title: s.title ?? "" },
      byOrganisation,
    };
  });
  const columns = deployers.filter((d) => upstreamSources.some((s) => visible(d, s.control.ownerOrganisationId)));
  // Columns in name order: the deployments' own order is not stable (rows made in one transaction share a time).
  const organisationColumns = columns.map((id) => ({ id, name: orgName.get(id) ?? "" })).sort((a, b) => a.name.localeCompare(b.name));
  return { platform: { id: platform.id, name: platform.name }, organisations: organisationColumns, controls: items };
}
