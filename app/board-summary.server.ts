// The ICB's board assurance summary for one platform, on a page (the PDF is in app/reports/):
// sign-off status per organisation, the principal risks with their current controls, gaps in
// control, and mitigating actions (planned controls) with owners and review dates. Reads the same
// data as the board report, so the page and the PDF never disagree.
import type { SessionUser } from "./auth.server.ts";
import { getBoardReportData } from "./reports.server.ts";
import { principalRisks } from "./reports/board-report.ts";
import { isGapInControl, isInPlace, liveHazards } from "./reports/content.ts";

export async function boardSummary(user: SessionUser, platformId: string) {
  const data = await getBoardReportData(user, platformId);
  const name = (id: string) => data.names[id] ?? "Unknown organisation";
  const rows = data.logs.flatMap((log) => liveHazards(log.content.hazards).map((hazard) => ({ log, hazard })));
  const line = ({ log, hazard }: (typeof rows)[number]) => ({
    id: hazard.id, ref: hazard.ref, title: hazard.title, organisation: name(log.organisationId),
    residualRisk: hazard.residual.risk, status: hazard.status, owner: hazard.owner, reviewDue: hazard.reviewDue,
    inPlace: hazard.controls.filter(isInPlace).map((c) => c.description),
  });
  const principal = principalRisks(rows).map(line);
  const gaps = rows.filter((r) => isGapInControl(r.hazard)).map(line);
  // A board reads the actions on its principal risks and gaps; the rest are in the logs.
  const focus = new Set([...principal, ...gaps].map((l) => l.id));
  return {
    platform: data.platform,
    icb: data.icb,
    signOff: data.organisations.map((o) => {
      const slots = data.cases.flatMap((c) => c.slots.filter((s) => s.organisationId === o.id).map((s) => ({ ...s, caseTitle: c.title, state: c.state })));
      return { organisation: o.name, cases: data.cases.filter((c) => c.ownerOrganisationId === o.id).map((c) => ({ title: c.title, state: c.state })), signed: slots.filter((s) => s.signed).length, owed: slots.length };
    }),
    principal,
    gaps,
    actions: rows.flatMap((r) =>
      r.hazard.status === "closed" || !focus.has(r.hazard.id) ? [] : r.hazard.controls.filter((c) => c.state === "planned").map((c) => ({
        hazardId: r.hazard.id, ref: r.hazard.ref, organisation: name(r.log.organisationId), action: c.description,
        actionOwner: name(c.ownerOrganisationId), hazardOwner: r.hazard.owner, reviewDue: r.hazard.reviewDue, transferred: c.transferred,
      }))),
  };
}
