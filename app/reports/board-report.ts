// The ICB board assurance report for one platform, across the hazard logs the reader may see:
// sign-off status per organisation, the principal risks (highest residual risk), their current
// controls, gaps in control (no control in place; transferred controls still open) and the
// mitigating actions with owners and review dates. Drawn from each log's current content, so it is
// a point-in-time view rather than a signed document; it is not marked DRAFT.
import { CASE_STATE_NAMES, CONTROL_STATE_NAMES, CONTROL_TYPE_NAMES, SIGNATORY_ROLE_NAMES } from "../components/labels.ts";
import { utc } from "../components/signature.tsx";
import type { RiskScheme } from "../domain/risk.ts";
import { isGapInControl, isInPlace, liveHazards, type LogContent, type ReportHazard } from "./content.ts";
import { assessmentCell, statusText } from "./hazard-sections.ts";
import { BOLD, COLOURS, FONT, contentWidth, heading, keyValues, paragraph, render, table, type Cell, type Doc, type ReportMeta } from "./layout.ts";

export type BoardReportData = {
  platform: { id: string; name: string };
  icb: string;
  organisations: { id: string; name: string }[];
  names: Record<string, string>;
  logs: { id: string; title: string; standard: string; scope: string; organisationId: string; content: LogContent; sha256: string }[];
  cases: {
    title: string;
    state: "draft" | "in_review" | "approved";
    logTitle: string;
    ownerOrganisationId: string;
    slots: { organisationId: string; role: string; signed: boolean }[];
    signatures: { organisationId: string; signedAt: string }[];
  }[];
  /** SHA-256 over the logs' content hashes: identifies what the report read. */
  sha256: string;
  scheme: RiskScheme;
};

/** How many principal risks the board sees. */
export const PRINCIPAL_RISKS = 15;

type Row = { log: BoardReportData["logs"][number]; hazard: ReportHazard };

export function renderBoardReport(data: BoardReportData, opts: { now: Date }): Doc {
  const meta: ReportMeta = {
    title: `Board assurance report: ${data.platform.name}`,
    organisation: data.icb,
    subject: `Clinical risk assurance for ${data.platform.name} across its hazard logs`,
    now: opts.now,
    sha256: data.sha256,
    draft: null,
  };
  return render(meta, (doc) => draw(doc, data, meta));
}

/** Highest residual risk first, then highest initial risk, then log order and ref. */
export function principalRisks(rows: Row[], n = PRINCIPAL_RISKS): Row[] {
  return rows
    .filter((r) => r.hazard.status !== "closed" && r.hazard.residual.risk != null)
    .sort((a, b) => (b.hazard.residual.risk ?? 0) - (a.hazard.residual.risk ?? 0) || (b.hazard.initial.risk ?? 0) - (a.hazard.initial.risk ?? 0))
    .slice(0, n);
}

async function draw(doc: Doc, data: BoardReportData, meta: ReportMeta) {
  const w = contentWidth(doc);
  const logLabel = (l: Row["log"]) => `${data.names[l.organisationId] ?? ""} (${l.standard})`;
  const rows: Row[] = data.logs.flatMap((log) => liveHazards(log.content.hazards).map((hazard) => ({ log, hazard })));
  const org = (id: string) => data.names[id] ?? "Unknown organisation";

  doc.font(BOLD).fontSize(20).fillColor(COLOURS.blue).text("Board assurance report", { width: w });
  doc.font(BOLD).fontSize(14).fillColor(COLOURS.text).text(data.platform.name, { width: w });
  doc.font(FONT).fontSize(10).fillColor(COLOURS.muted).text(`Prepared for ${data.icb} · generated ${utc(meta.now.toISOString())}`, { width: w });
  doc.moveDown(0.5);
  heading(doc, "Scope");
  paragraph(doc, `This report reads the current content of ${data.logs.length} hazard log${data.logs.length === 1 ? "" : "s"} of the platform that the reader may see (${rows.length} live hazard entries; an inherited hazard appears once per log that assesses it). It is a point-in-time view, not a signed document: the signed positions are the safety cases in section 1.`);
  await keyValues(doc, data.logs.map((l) => [logLabel(l), `${l.title} — ${liveHazards(l.content.hazards).length} hazards; content SHA-256 ${l.sha256.slice(0, 16)}…`]));

  heading(doc, "1. Sign-off status per organisation");
  await table(
    doc,
    [{ header: "Organisation", width: 140 }, { header: "Its safety cases", width: w - 140 - 150 }, { header: "Signatures it owes", width: 150 }],
    data.organisations.map((o): Cell[] => {
      const own = data.cases.filter((c) => c.ownerOrganisationId === o.id);
      const slots = data.cases.flatMap((c) => c.slots.filter((s) => s.organisationId === o.id).map((s) => ({ ...s, c })));
      const pending = slots.filter((s) => !s.signed);
      return [
        { text: o.name, bold: true },
        own.length ? own.map((c) => `${c.title} (${c.logTitle}): ${CASE_STATE_NAMES[c.state] ?? c.state}`).join("\n") : "No safety case visible to the reader",
        slots.length ? `Signed ${slots.length - pending.length} of ${slots.length}${pending.length ? `\nAwaiting: ${pending.map((s) => `${SIGNATORY_ROLE_NAMES[s.role] ?? s.role} on "${s.c.title}"`).join("; ")}` : ""}` : "None required",
      ];
    }),
    { size: 8.5 },
  );

  heading(doc, `2. Principal risks (the ${PRINCIPAL_RISKS} highest residual risks not closed)`);
  const principal = principalRisks(rows);
  if (principal.length === 0) paragraph(doc, "No assessed hazard is open or transferred.");
  else
    await table(
      doc,
      [{ header: "Log", width: 80 }, { header: "Ref", width: 40 }, { header: "Hazard", width: 110 }, { header: "Residual", width: 64 }, { header: "Current controls (in place)", width: w - 80 - 40 - 110 - 64 - 52 }, { header: "Status", width: 52 }],
      principal.map(({ log, hazard }): Cell[] => [
        logLabel(log),
        { text: hazard.ref, bold: true },
        hazard.title,
        assessmentCell(data.scheme, hazard.residual),
        hazard.controls.filter(isInPlace).map((c) => `${CONTROL_TYPE_NAMES[c.type] ?? c.type}: ${c.description} [${CONTROL_STATE_NAMES[c.state]}]`).join("\n") || "None in place",
        statusText(hazard),
      ]),
      { size: 7.5 },
    );

  heading(doc, "3. Gaps in control");
  const gaps = rows.filter((r) => isGapInControl(r.hazard));
  heading(doc, `Hazards with no control implemented or verified (${gaps.length})`, 2);
  if (gaps.length === 0) paragraph(doc, "Every open or transferred hazard has at least one control in place.");
  else
    await table(
      doc,
      [{ header: "Log", width: 80 }, { header: "Ref", width: 40 }, { header: "Hazard", width: w - 80 - 40 - 64 - 150 }, { header: "Residual", width: 64 }, { header: "Controls planned", width: 150 }],
      gaps.map(({ log, hazard }): Cell[] => [logLabel(log), { text: hazard.ref, bold: true }, hazard.title, assessmentCell(data.scheme, hazard.residual), hazard.controls.map((c) => c.description).join("\n") || "None recorded"]),
      { size: 7.5, breatheEvery: 50 },
    );
  const transferred = rows.flatMap((r) => r.hazard.controls.filter((c) => c.transferred && !isInPlace(c)).map((control) => ({ ...r, control })));
  heading(doc, `Transferred controls still open (${transferred.length})`, 2);
  if (transferred.length === 0) paragraph(doc, "No transferred control is waiting for another organisation.");
  else
    await table(
      doc,
      [{ header: "Log", width: 80 }, { header: "Ref", width: 40 }, { header: "Control", width: w - 80 - 40 - 130 - 64 }, { header: "Owner", width: 130 }, { header: "State", width: 64 }],
      transferred.map(({ log, hazard, control }): Cell[] => [logLabel(log), { text: hazard.ref, bold: true }, `${CONTROL_TYPE_NAMES[control.type] ?? control.type}: ${control.description}`, org(control.ownerOrganisationId), CONTROL_STATE_NAMES[control.state] ?? control.state]),
      { size: 7.5, breatheEvery: 50 },
    );

  heading(doc, "4. Mitigating actions");
  paragraph(doc, "Planned controls of hazards not closed, with the organisation that owns each action, the hazard's owner and its next review date.", { size: 9, colour: COLOURS.muted });
  const actions = rows.filter((r) => r.hazard.status !== "closed").flatMap((r) => r.hazard.controls.filter((c) => c.state === "planned").map((control) => ({ ...r, control })));
  if (actions.length === 0) paragraph(doc, "No planned control is outstanding.");
  else
    await table(
      doc,
      [{ header: "Log", width: 80 }, { header: "Ref", width: 40 }, { header: "Action", width: w - 80 - 40 - 170 - 62 }, { header: "Owner", width: 170 }, { header: "Review due", width: 62 }],
      actions.map(({ log, hazard, control }): Cell[] => [
        logLabel(log),
        { text: hazard.ref, bold: true },
        `${CONTROL_TYPE_NAMES[control.type] ?? control.type}: ${control.description}`,
        `${org(control.ownerOrganisationId)}${hazard.owner ? `\nHazard owner: ${hazard.owner}` : ""}`,
        hazard.reviewDue ?? "Not set",
      ]),
      { size: 7.5, breatheEvery: 50 },
    );
}
