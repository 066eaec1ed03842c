// The hazard log report: any readable log, as it is now or as a frozen baseline (an issued version,
// by its baseline version number). Current content, and a baseline that was never issued, are
// marked DRAFT on every page; an issued version is not.
import { SCOPE_NAMES } from "../components/labels.ts";
import { utc } from "../components/signature.tsx";
import type { RiskScheme } from "../domain/risk.ts";
import type { ContentSource, LogContent } from "./content.ts";
import { evidenceSection, hazardSummarySection, hazardTableSection, openItemsSection, riskMatrixSection, type OrgNames } from "./hazard-sections.ts";
import { BOLD, COLOURS, FONT, contentWidth, heading, keyValues, paragraph, render, type Doc, type ReportMeta } from "./layout.ts";

export type HazardLogReportData = {
  log: { id: string; title: string; standard: string; scope: string; owner: string };
  platform: { name: string; supplier: string; icb: string; deployers: string[] };
  source: ContentSource;
  content: LogContent;
  scheme: RiskScheme;
  organisations: OrgNames;
};

function banner(source: ContentSource): string | null {
  if (source.kind === "current") return "DRAFT — current working content, not an issued version of the hazard log";
  return source.issued ? null : `DRAFT — baseline version ${source.hazardLogVersion} was frozen but never issued`;
}

export function renderHazardLogReport(data: HazardLogReportData, opts: { now: Date }): Doc {
  const meta: ReportMeta = {
    title: `Hazard log report: ${data.log.title}`,
    organisation: data.log.owner,
    subject: `${data.log.standard} hazard log ${data.source.kind === "baseline" ? `baseline version ${data.source.hazardLogVersion}` : "current content"}`,
    now: opts.now,
    sha256: data.source.sha256,
    draft: banner(data.source),
  };
  return render(meta, (doc) => draw(doc, data, meta));
}

async function draw(doc: Doc, data: HazardLogReportData, meta: ReportMeta) {
  const { source, scheme } = data;
  const hazards = data.content.hazards;
  doc.font(BOLD).fontSize(20).fillColor(COLOURS.blue).text("Hazard log report", { width: contentWidth(doc) });
  doc.font(BOLD).fontSize(14).fillColor(COLOURS.text).text(data.log.title, { width: contentWidth(doc) });
  doc.font(FONT).fontSize(10).fillColor(COLOURS.muted).text(`${data.log.owner} · ${data.log.standard} · ${data.platform.name}`, { width: contentWidth(doc) });
  doc.moveDown(0.5);
  heading(doc, "Document control");
  await keyValues(doc, [
    ["Hazard log", `${data.log.title} (${data.log.standard}, ${SCOPE_NAMES[data.log.scope] ?? data.log.scope})`],
    ["Organisation", data.log.owner],
    ["System", data.platform.name],
    ["Version", source.kind === "baseline" ? `Baseline version ${source.hazardLogVersion}${source.issued ? " (issued)" : " (frozen, not issued)"}` : "Current content (not a frozen version)"],
    ["SHA-256", source.sha256],
    ["Frozen", source.kind === "baseline" ? utc(source.frozenAt) : "Not frozen"],
    ["Hazards", String(hazards.length)],
    ["Generated", utc(meta.now.toISOString())],
  ]);
  paragraph(doc, source.kind === "baseline"
    ? `This report presents baseline version ${source.hazardLogVersion} of the log exactly as frozen: recomputing the SHA-256 of its stored canonical content must give the hash above.`
    : "This report presents the log as it is at the generation time. It is a working copy: issue a version of the log for a report that can be relied on.", { size: 9, colour: COLOURS.muted });
  await riskMatrixSection(doc, scheme, "1. Risk matrix used");
  await hazardSummarySection(doc, scheme, hazards, "2. Hazard summary");
  await hazardTableSection(doc, scheme, hazards, data.organisations, "3. Hazards");
  await openItemsSection(doc, scheme, hazards, data.organisations, "4. Open and transferred items");
  await evidenceSection(doc, hazards, "5. Evidence");
}
