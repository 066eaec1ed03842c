// Reading and writing hazard rows inside a transaction: refs, risk lookup, controls, versions.
// Services (hazards.server.ts) own the transactions and the permission checks; the seed reuses
// these same functions so demo data obeys the same rules as user input.
import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "#db/client.ts";
import { controls, hazardControls, hazardLogs, hazards, hazardVersions, riskSchemes, type HazardRow } from "#db/schema/index.ts";
import { buildHazardView, snapshotOf, type ControlWithLink, type HazardView } from "./domain/hazard-view.ts";
import type { ControlInput, HazardInput } from "./domain/hazard-fields.ts";
import { releaseCasesInReview } from "./case-invalidation.server.ts";
import { inheritDownstream, inheritDownstreamMany, propagateChange } from "./propagation.server.ts";
import { reachesDownstream } from "./domain/inheritance.ts";
import { standingEvidenceIdsOf } from "./evidence-store.server.ts";
import { lookupRiskOrNull, type RiskScheme } from "./domain/risk.ts";
import { insertRows } from "./bulk-insert.server.ts";

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

type NewControl = ControlInput & { transferred?: boolean; transferredFromControlId?: string | null };

/** The `controls` row for one control input: shared by the one-by-one and the bulk paths. */
export function controlValues(hazardLogId: string, c: NewControl, defaultOwner: string) {
  return {
    hazardLogId,
    type: c.type,
    description: c.description,
    ownerOrganisationId: c.ownerOrganisationId ?? defaultOwner,
    state: c.state,
    evidenceRefs: c.evidenceRefs,
    transferred: c.transferred ?? false,
    transferredFromControlId: c.transferredFromControlId ?? null,
  };
}

export async function insertControls(tx: Tx, hazardId: string, hazardLogId: string, list: NewControl[], defaultOwner: string, startAt = 0) {
  for (const [i, c] of list.entries()) {
    const [control] = await tx.insert(controls).values(controlValues(hazardLogId, c, defaultOwner)).returning({ id: controls.id });
    await tx.insert(hazardControls).values({ hazardId, controlId: control.id, kind: c.kind, position: startAt + i });
  }
}

type LogForWrite = { id: string; organisationId: string };

/** The `hazards` row for a new hazard: shared by the one-by-one and the bulk paths. */
export function hazardValues(log: LogForWrite, scheme: RiskScheme, input: HazardInput, refNumber: number) {
  return {
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
  };
}

/** `downstream: "skip"` is for the seed, which sets up each log's inherited rows itself. */
type Downstream = { downstream?: "inherit" | "skip" };

export async function insertHazard(tx: Tx, args: { log: LogForWrite; scheme: RiskScheme; input: HazardInput; actor: Actor; reason?: string | null } & Downstream): Promise<HazardView> {
  const { log, scheme, input, actor } = args;
  const refNumber = await allocateRef(tx, log.id);
  const [row] = await tx.insert(hazards).values(hazardValues(log, scheme, input, refNumber)).returning();
  await insertControls(tx, row.id, log.id, input.controls, log.organisationId);
  const view = await loadHazardView(tx, row.id);
  await writeVersion(tx, view, [], args.reason ?? null, actor);
  if (args.downstream !== "skip") await inheritDownstream(tx, view, actor);
  return view;
}

/** The `hazards` row of an inherited copy: only the local fields; the rest is read through the upstream. */
export function inheritedValues(log: LogForWrite, scheme: RiskScheme, upstream: HazardView, acceptedVersion: number | null, refNumber: number) {
  return {
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
    upstreamAcceptedVersion: acceptedVersion,
    searchText: searchTextOf([upstream.title, upstream.description, ...upstream.causes]),
  };
}

export const INHERITED_REASON = "Inherited from the upstream log";

/** An inherited hazard row: only the local fields; the rest is read through the upstream. */
export async function insertInheritedHazard(
  tx: Tx,
  args: { log: LogForWrite; scheme: RiskScheme; upstream: HazardView; acceptedVersion: number | null; actor: Actor } & Downstream,
): Promise<HazardView> {
  const { log, scheme, upstream, actor } = args;
  const refNumber = await allocateRef(tx, log.id);
  const [row] = await tx.insert(hazards).values(inheritedValues(log, scheme, upstream, args.acceptedVersion, refNumber)).returning();
  const view = await loadHazardView(tx, row.id);
  await writeVersion(tx, view, [], INHERITED_REASON, actor);
  if (args.downstream !== "skip") await inheritDownstream(tx, view, actor);
  return view;
}

/** The `hazard_versions` row for a view: shared by the one-by-one and the bulk paths. */
export function versionValues(view: HazardView, changes: { field: string; from: unknown; to: unknown }[], reason: string | null, actor: Actor) {
  return { hazardId: view.id, version: view.version, snapshot: snapshotOf(view), changes, reason, userId: actor.userId, organisationId: actor.organisationId };
}

export async function writeVersion(tx: Tx, view: HazardView, changes: { field: string; from: unknown; to: unknown }[], reason: string | null, actor: Actor) {
  await releaseCasesInReview(tx, view.hazardLogId, actor);
  await tx.insert(hazardVersions).values(versionValues(view, changes, reason, actor));
  // Version 1 is a new hazard (nothing inherits it yet); later changes to what inheriting logs take
  // from it reach every one of them.
  if (view.version > 1 && changes.some(reachesDownstream)) await propagateChange(tx, view, actor);
}

// ---------------------------------------------------------------------------------------------
// Bulk creation (the import): the same rows as insertHazard / insertInheritedHazard one by one, in
// the same order, written 500 rows to an INSERT (bulk-insert.server.ts); views are built from the
// inserted rows.

/** Rows per INSERT (each INSERT's rows are one json parameter: see bulk-insert.server.ts). */
export const BULK_CHUNK = 500;

/** What bulk writes remember within one transaction: logs whose cases in review were released
 * (a second release in the same transaction finds none in review, so it is skipped). */
export type BulkContext = { released: Set<string> };
export const bulkContext = (): BulkContext => ({ released: new Set() });

async function inChunks<T, R>(rows: T[], write: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < rows.length; i += BULK_CHUNK) out.push(...(await write(rows.slice(i, i + BULK_CHUNK))));
  return out;
}

/** Takes `n` consecutive ref numbers in one UPDATE; returns the first. */
export async function allocateRefs(tx: Tx, hazardLogId: string, n: number): Promise<number> {
  const [row] = await tx
    .update(hazardLogs)
    .set({ nextRefNumber: sql`${hazardLogs.nextRefNumber} + ${n}::int` })
    .where(eq(hazardLogs.id, hazardLogId))
    .returning({ first: sql<number>`${hazardLogs.nextRefNumber} - ${n}::int` });
  return Number(row.first);
}

/** Version 1 of new hazards: writeVersion's rows, with cases in review released once per log. */
async function writeFirstVersions(tx: Tx, ctx: BulkContext, views: HazardView[], reason: string | null, actor: Actor) {
  for (const logId of new Set(views.map((v) => v.hazardLogId))) {
    if (ctx.released.has(logId)) continue;
    ctx.released.add(logId);
    await releaseCasesInReview(tx, logId, actor);
  }
  if (views.some((v) => v.version !== 1)) throw new Error("writeFirstVersions is for new hazards only");
  // Version 1 never propagates (see writeVersion).
  await inChunks(views, async (chunk) => (await insertRows(tx, hazardVersions, chunk.map((v) => versionValues(v, [], reason, actor))), []));
}

/** insertHazard for many inputs, in input order (refs, controls, versions, downstream copies). */
export async function insertHazards(
  tx: Tx,
  args: { log: LogForWrite; scheme: RiskScheme; inputs: HazardInput[]; actor: Actor; reason?: string | null; ctx?: BulkContext } & Downstream,
): Promise<HazardView[]> {
  const { log, scheme, inputs, actor } = args;
  if (inputs.length === 0) return [];
  const ctx = args.ctx ?? bulkContext();
  const first = await allocateRefs(tx, log.id, inputs.length);
  // Ids chosen here (v4, like the column default) so rows are matched without relying on RETURNING order.
  const planned = inputs.map((input, i) => ({ id: randomUUID(), ...hazardValues(log, scheme, input, first + i) }));
  const rowById = new Map((await inChunks(planned, (chunk) => insertRows(tx, hazards, chunk, { returning: true }))).map((r) => [r.id, r]));
  const links: { hazardId: string; controlId: string; kind: "existing" | "additional"; position: number }[] = [];
  const controlRows = planned.flatMap((h, i) =>
    inputs[i].controls.map((c, position) => {
      const id = randomUUID();
      links.push({ hazardId: h.id, controlId: id, kind: c.kind, position });
      return { id, ...controlValues(log.id, c, log.organisationId) };
    }),
  );
  const controlById = new Map((await inChunks(controlRows, (chunk) => insertRows(tx, controls, chunk, { returning: true }))).map((c) => [c.id, c]));
  await inChunks(links, async (chunk) => (await insertRows(tx, hazardControls, chunk), []));
  const byHazard = new Map<string, ControlWithLink[]>();
  for (const l of links) {
    const list = byHazard.get(l.hazardId) ?? [];
    // New controls have no evidence yet (loadControls would find none).
    list.push({ ...controlById.get(l.controlId)!, kind: l.kind, position: l.position, evidenceIds: [] });
    byHazard.set(l.hazardId, list);
  }
  const views = planned.map((h) => buildHazardView(rowById.get(h.id)!, byHazard.get(h.id) ?? []));
  await writeFirstVersions(tx, ctx, views, args.reason ?? null, actor);
  if (args.downstream !== "skip") await inheritDownstreamMany(tx, views, actor, ctx);
  return views;
}

/** insertInheritedHazard for many upstream hazards of one upstream log, in order. */
export async function insertInheritedHazards(
  tx: Tx,
  args: { log: LogForWrite; scheme: RiskScheme; upstreams: HazardView[]; acceptedVersion: number | null; actor: Actor; ctx: BulkContext } & Downstream,
): Promise<HazardView[]> {
  const { log, scheme, upstreams, actor } = args;
  if (upstreams.length === 0) return [];
  const first = await allocateRefs(tx, log.id, upstreams.length);
  const planned = upstreams.map((u, i) => ({ id: randomUUID(), ...inheritedValues(log, scheme, u, args.acceptedVersion, first + i) }));
  const rowById = new Map((await inChunks(planned, (chunk) => insertRows(tx, hazards, chunk, { returning: true }))).map((r) => [r.id, r]));
  const views = planned.map((h, i) => buildHazardView(rowById.get(h.id)!, [], upstreams[i]));
  await writeFirstVersions(tx, args.ctx, views, INHERITED_REASON, actor);
  if (args.downstream !== "skip") await inheritDownstreamMany(tx, views, actor, args.ctx);
  return views;
}

async function loadControls(tx: Tx, hazardIds: string[]): Promise<Map<string, ControlWithLink[]>> {
  const out = new Map<string, ControlWithLink[]>();
  if (hazardIds.length === 0) return out;
  // Each control's standing evidence in the same query: one round trip for a page of hazards
  // rather than two (issue 9).
  const rows = await tx
    .select({
      link: hazardControls,
      control: controls,
      evidenceIds: standingEvidenceIdsOf(controls.id),
    })
    .from(hazardControls)
    .innerJoin(controls, eq(controls.id, hazardControls.controlId))
    .where(inArray(hazardControls.hazardId, hazardIds));
  for (const r of rows) {
    const list = out.get(r.link.hazardId) ?? [];
    list.push({ ...r.control, kind: r.link.kind, position: r.link.position, evidenceIds: r.evidenceIds });
    out.set(r.link.hazardId, list);
  }
  return out;
}

/** Views for many hazard rows at once (one query per inheritance level, not per hazard). */
export async function buildViews(tx: Tx, rows: HazardRow[]): Promise<HazardView[]> {
  const upstreamIds = [...new Set(rows.map((r) => r.upstreamHazardId).filter((x): x is string => !!x))];
  const upstreamViews = new Map<string, HazardView>();
  // The rows' controls and their upstreams' views are independent reads: issued together.
  const upstreamRead = upstreamIds.length > 0 ? tx.select().from(hazards).where(inArray(hazards.id, upstreamIds)).then((upstreamRows) => buildViews(tx, upstreamRows)) : Promise.resolve([]);
  const [controlMap, upstreamList] = await Promise.all([loadControls(tx, rows.map((r) => r.id)), upstreamRead]);
  for (const v of upstreamList) upstreamViews.set(v.id, v);
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
