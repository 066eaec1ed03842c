// Reading and writing hazard rows inside a transaction: refs, risk lookup, controls, versions.
// Services (hazards.server.ts) own the transactions and the permission checks; the seed reuses
// these same functions so demo data obeys the same rules as user input.
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "#db/client.ts";
import { controls, hazardControls, hazardLogs, hazards, hazardVersions, riskSchemes, type HazardRow } from "#db/schema/index.ts";
import { buildHazardView, snapshotOf, type ControlWithLink, type HazardView } from "./domain/hazard-view.ts";
import type { ControlInput, HazardInput } from "./domain/hazard-fields.ts";
import { releaseCasesInReview } from "./case-invalidation.server.ts";
import { inheritDownstream, propagateChange } from "./propagation.server.ts";
import { reachesDownstream } from "./domain/inheritance.ts";
import { standingEvidenceByControl } from "./evidence-store.server.ts";
import { lookupRiskOrNull, type RiskScheme } from "./domain/risk.ts";

export type Tx = Db;
export type Actor = { userId: string | null; organisationId: string | null };

export function formatRef(n: number) {
  return `H-${String(n).padStart(3, "0")}`;
}

export async function loadRiskScheme(tx: Tx, id: string): Promise<RiskScheme> {
  const [row] = await tx.select().from(riskSchemes).where(eq(riskSchemes.id, id));
  if (!row) throw new Error(`Risk scheme ${id} not found`);
  return row;
}

/** Takes the log's next ref number; the counter only rises, so a ref is never reused. */
export async function allocateRef(tx: Tx, hazardLogId: string): Promise<number> {
  const [row] = await tx
    .update(hazardLogs)
    .set({ nextRefNumber: sql`${hazardLogs.nextRefNumber} + 1` })
    .where(eq(hazardLogs.id, hazardLogId))
    .returning({ taken: sql<number>`${hazardLogs.nextRefNumber} - 1` });
  return Number(row.taken);
}

/** Risk columns from the scheme: always the lookup, never client input. */
export function assessmentColumns(scheme: RiskScheme, input: Pick<HazardInput, "initial" | "residual">) {
  return {
    initialSeverity: input.initial.severity ?? null,
    initialLikelihood: input.initial.likelihood ?? null,
    initialRisk: lookupRiskOrNull(scheme, input.initial.likelihood, input.initial.severity),
    initialJustification: input.initial.justification ?? null,
    residualSeverity: input.residual.severity ?? null,
    residualLikelihood: input.residual.likelihood ?? null,
    residualRisk: lookupRiskOrNull(scheme, input.residual.likelihood, input.residual.severity),
    residualJustification: input.residual.justification ?? null,
    riskSchemeId: scheme.id,
    riskSchemeVersion: scheme.version,
  };
}

export function searchTextOf(parts: (string | null | undefined)[]) {
  return parts.filter(Boolean).join(" \n ").toLowerCase();
}

export async function insertControls(tx: Tx, hazardId: string, hazardLogId: string, list: (ControlInput & { transferred?: boolean; transferredFromControlId?: string | null })[], defaultOwner: string, startAt = 0) {
  for (const [i, c] of list.entries()) {
    const [control] = await tx
      .insert(controls)
      .values({
        hazardLogId,
        type: c.type,
        description: c.description,
        ownerOrganisationId: c.ownerOrganisationId ?? defaultOwner,
        state: c.state,
        evidenceRefs: c.evidenceRefs,
        transferred: c.transferred ?? false,
        transferredFromControlId: c.transferredFromControlId ?? null,
      })
      .returning({ id: controls.id });
    await tx.insert(hazardControls).values({ hazardId, controlId: control.id, kind: c.kind, position: startAt + i });
  }
}

type LogForWrite = { id: string; organisationId: string };

/** `downstream: "skip"` is for the seed, which sets up each log's inherited rows itself. */
type Downstream = { downstream?: "inherit" | "skip" };

export async function insertHazard(tx: Tx, args: { log: LogForWrite; scheme: RiskScheme; input: HazardInput; actor: Actor; reason?: string | null } & Downstream): Promise<HazardView> {
  const { log, scheme, input, actor } = args;
  const refNumber = await allocateRef(tx, log.id);
  const [row] = await tx
    .insert(hazards)
    .values({
      hazardLogId: log.id,
      refNumber,
      ref: formatRef(refNumber),
      title: input.title,
      description: input.description,
      causes: input.causes,
      effect: input.effect,
      hazard: input.hazard,
      harm: input.harm,
      hazardType: input.hazardType ?? null,
      source: input.source ?? null,
      owner: input.owner ?? null,
      reviewDue: input.reviewDue ?? null,
      ...assessmentColumns(scheme, input),
      riskBenefitJustification: input.riskBenefitJustification ?? null,
      status: input.status,
      searchText: searchTextOf([input.title, input.description, ...input.causes]),
    })
    .returning();
  await insertControls(tx, row.id, log.id, input.controls, log.organisationId);
  const view = await loadHazardView(tx, row.id);
  await writeVersion(tx, view, [], args.reason ?? null, actor);
  if (args.downstream !== "skip") await inheritDownstream(tx, view, actor);
  return view;
}

/** An inherited hazard row: only the local fields; the rest is read through the upstream. */
export async function insertInheritedHazard(
  tx: Tx,
  args: { log: LogForWrite; scheme: RiskScheme; upstream: HazardView; acceptedVersion: number | null; actor: Actor } & Downstream,
): Promise<HazardView> {
  const { log, scheme, upstream, actor } = args;
  const refNumber = await allocateRef(tx, log.id);
  const [row] = await tx
    .insert(hazards)
    .values({
      hazardLogId: log.id,
      refNumber,
      ref: formatRef(refNumber),
      causes: [],
      owner: null,
      ...assessmentColumns(scheme, {
        initial: { severity: upstream.initial.severity as never, likelihood: upstream.initial.likelihood as never, justification: upstream.initial.justification },
        residual: { severity: upstream.residual.severity as never, likelihood: upstream.residual.likelihood as never, justification: upstream.residual.justification },
      }),
      riskBenefitJustification: upstream.riskBenefitJustification,
      status: upstream.status,
      upstreamHazardId: upstream.id,
      upstreamAcceptedVersion: args.acceptedVersion,
      searchText: searchTextOf([upstream.title, upstream.description, ...upstream.causes]),
    })
    .returning();
  const view = await loadHazardView(tx, row.id);
  await writeVersion(tx, view, [], "Inherited from the upstream log", actor);
  if (args.downstream !== "skip") await inheritDownstream(tx, view, actor);
  return view;
}

export async function writeVersion(tx: Tx, view: HazardView, changes: { field: string; from: unknown; to: unknown }[], reason: string | null, actor: Actor) {
  await releaseCasesInReview(tx, view.hazardLogId, actor);
  await tx.insert(hazardVersions).values({
    hazardId: view.id,
    version: view.version,
    snapshot: snapshotOf(view),
    changes,
    reason,
    userId: actor.userId,
    organisationId: actor.organisationId,
  });
  // Version 1 is a new hazard (nothing inherits it yet); later changes to what inheriting logs take
  // from it reach every one of them.
  if (view.version > 1 && changes.some(reachesDownstream)) await propagateChange(tx, view, actor);
}

async function loadControls(tx: Tx, hazardIds: string[]): Promise<Map<string, ControlWithLink[]>> {
  const out = new Map<string, ControlWithLink[]>();
  if (hazardIds.length === 0) return out;
  const rows = await tx
    .select({ link: hazardControls, control: controls })
    .from(hazardControls)
    .innerJoin(controls, eq(controls.id, hazardControls.controlId))
    .where(inArray(hazardControls.hazardId, hazardIds));
  const evidenceMap = await standingEvidenceByControl(tx, [...new Set(rows.map((r) => r.control.id))]);
  for (const r of rows) {
    const list = out.get(r.link.hazardId) ?? [];
    const evidenceIds = (evidenceMap.get(r.control.id) ?? []).map((e) => e.id);
    list.push({ ...r.control, kind: r.link.kind, position: r.link.position, evidenceIds });
    out.set(r.link.hazardId, list);
  }
  return out;
}

/** Views for many hazard rows at once (one query per inheritance level, not per hazard). */
export async function buildViews(tx: Tx, rows: HazardRow[]): Promise<HazardView[]> {
  const upstreamIds = [...new Set(rows.map((r) => r.upstreamHazardId).filter((x): x is string => !!x))];
  const upstreamViews = new Map<string, HazardView>();
  if (upstreamIds.length > 0) {
    const upstreamRows = await tx.select().from(hazards).where(inArray(hazards.id, upstreamIds));
    for (const v of await buildViews(tx, upstreamRows)) upstreamViews.set(v.id, v);
  }
  const controlMap = await loadControls(tx, rows.map((r) => r.id));
  return rows.map((r) => buildHazardView(r, controlMap.get(r.id) ?? [], r.upstreamHazardId ? upstreamViews.get(r.upstreamHazardId) : undefined));
}

export async function loadHazardView(tx: Tx, id: string): Promise<HazardView> {
  const [row] = await tx.select().from(hazards).where(eq(hazards.id, id));
  if (!row) throw new Error(`Hazard ${id} not found`);
  const [view] = await buildViews(tx, [row]);
  return view;
}

export async function findHazardByRef(tx: Tx, hazardLogId: string, ref: string) {
  const [row] = await tx.select().from(hazards).where(and(eq(hazards.hazardLogId, hazardLogId), eq(hazards.ref, ref)));
  return row;
}
