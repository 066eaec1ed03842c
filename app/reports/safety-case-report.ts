// The Clinical Safety Case Report (domain reference §5.3): document control, introduction and
// scope, system description, the clinical risk management system, the risk matrix used, the hazard
// summary, the full hazard table, open and transferred items, evidence, the summary safety
// statement and configuration control, then the signatures page. Drawn from the case's frozen
// baseline; a draft case without one is drawn from the log's current content, marked DRAFT.
import { CASE_STATE_NAMES, MEANING_NAMES, SCOPE_NAMES, SIGNATORY_ROLE_NAMES } from "../components/labels.ts";
import { utc } from "../components/signature.tsx";
import type { RiskScheme } from "../domain/risk.ts";
import { countByRisk, liveHazards, withoutControlInPlace, type ContentSource, type LogContent } from "./content.ts";
import { evidenceSection, hazardSummarySection, hazardTableSection, openItemsSection, riskMatrixSection, type OrgNames } from "./hazard-sections.ts";
import { BOLD, COLOURS, FONT, bullets, contentWidth, ensureSpace, heading, keyValues, newPage, paragraph, render, type Doc, type ReportMeta } from "./layout.ts";

export type SignatureFacts = { name: string; organisation: string; role: string; meaning: string; signedAt: string; sha256: string; hazardLogVersion: number };

export type SafetyCaseReportData = {
  case: { id: string; title: string; state: "draft" | "in_review" | "approved"; version: number; createdAt: string; organisation: string };
  log: { title: string; standard: string; scope: string; owner: string };
  platform: { name: string; supplier: string; icb: string; deployers: string[] };
  source: ContentSource;
  content: LogContent;
  scheme: RiskScheme;
  organisations: OrgNames;
  /** Each required slot, with its signature when signed (on this baseline). */
  slots: { organisation: string; role: string; signature: SignatureFacts | null }[];
};

export function draftBanner(data: Pick<SafetyCaseReportData, "case" | "source">): string | null {
  if (data.case.state === "approved") return null;
  if (data.source.kind === "current") return "DRAFT — not approved: current content, no frozen baseline";
  return `DRAFT — not approved: ${CASE_STATE_NAMES[data.case.state].toLowerCase()}, awaiting signatures`;
}

export function safetyCaseReportMeta(data: SafetyCaseReportData, now: Date): ReportMeta {
  return {
    title: `Clinical Safety Case Report: ${data.case.title}`,
    organisation: data.case.organisation,
    subject: `Clinical Safety Case Report (${data.log.standard}) for ${data.log.title}`,
    now,
    sha256: data.source.sha256,
    draft: draftBanner(data),
  };
}

export function renderSafetyCaseReport(data: SafetyCaseReportData, opts: { now: Date }): Doc {
  const meta = safetyCaseReportMeta(data, opts.now);
  return render(meta, (doc) => draw(doc, data, meta));
}

function approvedAt(data: SafetyCaseReportData): string | null {
  if (data.case.state !== "approved") return null;
  const times = data.slots.map((s) => s.signature?.signedAt).filter((t): t is string => !!t).sort();
  return times.at(-1) ?? null;
}

async function draw(doc: Doc, data: SafetyCaseReportData, meta: ReportMeta) {
  const { source, content, scheme } = data;
  const hazards = content.hazards;
  const live = liveHazards(hazards);

  // Title block
  doc.font(BOLD).fontSize(20).fillColor(COLOURS.blue).text("Clinical Safety Case Report", { width: contentWidth(doc) });
  doc.font(BOLD).fontSize(14).fillColor(COLOURS.text).text(data.case.title, { width: contentWidth(doc) });
  doc.font(FONT).fontSize(10).fillColor(COLOURS.muted).text(`${data.case.organisation} · ${data.log.standard} · ${data.platform.name}`, { width: contentWidth(doc) });
  doc.moveDown(0.5);

  heading(doc, "Document control");
  const approved = approvedAt(data);
  await keyValues(doc, [
    ["Title", data.case.title],
    ["Organisation", data.case.organisation],
    ["Programme / system", data.platform.name],
    ["Hazard log", `${data.log.title} (${data.log.standard}, ${SCOPE_NAMES[data.log.scope] ?? data.log.scope})`],
    ["Version", source.kind === "baseline" ? `Baseline version ${source.hazardLogVersion} of the hazard log; case record version ${data.case.version}` : `No baseline yet (current content); case record version ${data.case.version}`],
    // The hash alone on its line, so it is never broken across lines.
    ["Baseline SHA-256", source.kind === "baseline" ? source.sha256 : `${source.sha256}\n(current content, not frozen)`],
    ["Status", CASE_STATE_NAMES[data.case.state] ?? data.case.state],
    ["Case started", utc(data.case.createdAt)],
    ["Baseline frozen", source.kind === "baseline" ? utc(source.frozenAt) : "Not yet (frozen when the case is submitted)"],
    ["Approved", approved ? utc(approved) : "Not approved"],
    ["Generated", utc(meta.now.toISOString())],
  ]);

  heading(doc, "1. Introduction and scope");
  paragraph(doc, `This report presents the clinical safety case for ${data.platform.name} as covered by the ${data.log.standard} hazard log "${data.log.title}" of ${data.log.owner}. It sets out the hazards identified, the risk each carries before and after its controls, and the evidence relied on, so that the signatories below can judge whether the system is acceptably safe for the intended deployment.`);
  paragraph(doc, data.log.standard === "DCB0129"
    ? "Scope: the manufacturer's clinical risk management of the health IT system (DCB0129), covering the platform as supplied."
    : `Scope: the deploying organisation's clinical risk management of the system's deployment and use (DCB0160), ${data.log.scope === "shared" ? "shared across the ICB's deploying organisations" : "for this organisation's local deployment"}; hazards inherited from the supplier's log are included with their local assessment.`);
  paragraph(doc, `Everything below is drawn from ${source.kind === "baseline" ? `baseline version ${source.hazardLogVersion}, frozen on ${utc(source.frozenAt)}, whose SHA-256 is printed in the document control table and in every page footer` : "the hazard log's current content; no baseline has been frozen, so this is a draft for discussion only"}.`);

  heading(doc, "2. System description");
  await keyValues(doc, [
    ["System", data.platform.name],
    ["Manufacturer (supplier)", data.platform.supplier],
    ["Procuring ICB", data.platform.icb],
    ["Deploying organisations", data.platform.deployers.join("; ") || "None recorded"],
  ]);

  heading(doc, "3. Clinical risk management system");
  paragraph(doc, `${data.log.owner} manages clinical risk under its Clinical Risk Management System. Hazards are raised, assessed and controlled in the hazard log by its clinical safety officers; each safety case is submitted by the owning organisation's CSO, which freezes the log as a baseline, and is approved only when every required signatory has signed that same baseline.`);
  bullets(doc, [
    `Risk scheme: ${scheme.name}, version ${scheme.version} (section 4).`,
    `Required signatories: ${data.slots.map((s) => `${SIGNATORY_ROLE_NAMES[s.role] ?? s.role}, ${s.organisation}`).join("; ") || "none set"}.`,
    "Every change to a hazard is versioned with who, when and why; every workflow step is recorded in a hash-chained audit trail.",
  ]);

  await riskMatrixSection(doc, scheme, "4. Risk matrix used");
  await hazardSummarySection(doc, scheme, hazards, "5. Hazard summary");
  await hazardTableSection(doc, scheme, hazards, data.organisations, "6. Hazard log");
  await openItemsSection(doc, scheme, hazards, data.organisations, "7. Open and transferred items");
  await evidenceSection(doc, hazards, "8. Evidence");

  heading(doc, "9. Summary safety statement");
  const residual = countByRisk(live, "residual");
  const high = residual["4"] + residual["5"];
  const gaps = withoutControlInPlace(live).length;
  paragraph(doc, `Of ${live.length} hazards, ${residual["1"] + residual["2"]} carry an acceptable residual risk (1–2), ${residual["3"]} an undesirable one (3) acceptable only where further reduction is impractical, and ${high} a residual risk of 4 or 5 that must be reduced or justified by a risk–benefit analysis; ${residual.none} ${residual.none === 1 ? "is" : "are"} not yet assessed. ${gaps} ${gaps === 1 ? "hazard has" : "hazards have"} no control implemented or verified yet.`);
  paragraph(doc, data.case.state === "approved"
    ? "The signatories below have approved this safety case on the baseline identified in this report."
    : "This safety case is not approved: it must not be relied on as an approved safety position.", { bold: true });

  heading(doc, "10. Configuration control");
  paragraph(doc, source.kind === "baseline"
    ? `The hazard log content this report presents is baseline version ${source.hazardLogVersion}. Its canonical JSON is stored unchanged; recomputing its SHA-256 must give ${source.sha256}. Every signature binds to that hash.`
    : `No baseline is frozen yet. The current content's SHA-256 is ${source.sha256}; it will change with any edit to the log.`);

  drawSignatures(doc, data);
}

/** The signatures page: each slot's signature manifestation, or an empty slot "Not yet signed". */
function drawSignatures(doc: Doc, data: SafetyCaseReportData) {
  newPage(doc, "portrait");
  heading(doc, "11. Quality assurance and document approval: signatures");
  paragraph(doc, data.source.kind === "baseline"
    ? `Each signature below is an electronic signature bound to baseline version ${data.source.hazardLogVersion}, SHA-256 ${data.source.sha256}. Times are UTC, from the server.`
    : "No baseline is frozen yet, so nobody can sign. The slots below are the required signatories.", { size: 9 });
  const w = contentWidth(doc);
  const x = doc.page.margins.left;
  for (const slot of data.slots) {
    const s = slot.signature;
    const h = s ? 96 : 84;
    ensureSpace(doc, h + 10);
    const top = doc.y;
    doc.rect(x, top, w, h).lineWidth(0.8).strokeColor(s ? COLOURS.blue : COLOURS.rule).stroke();
    doc.font(BOLD).fontSize(9).fillColor(COLOURS.muted).text(`${SIGNATORY_ROLE_NAMES[slot.role] ?? slot.role} · ${slot.organisation}`, x + 10, top + 8, { width: w - 20 });
    if (s) {
      doc.font(BOLD).fontSize(12).fillColor(COLOURS.text).text(s.name, x + 10, top + 22, { width: w - 20 });
      doc.font(FONT).fontSize(9.5).fillColor(COLOURS.text);
      doc.text(`Organisation: ${s.organisation}    Role: ${SIGNATORY_ROLE_NAMES[s.role] ?? s.role}`, x + 10, top + 40, { width: w - 20 });
      doc.text(`Meaning: ${MEANING_NAMES[s.meaning] ?? s.meaning}    Signed: ${utc(s.signedAt)}`, x + 10, top + 54, { width: w - 20 });
      doc.font(FONT).fontSize(8).fillColor(COLOURS.muted).text(`Baseline version ${s.hazardLogVersion}, SHA-256 ${s.sha256}`, x + 10, top + 70, { width: w - 20 });
    } else {
      doc.font(BOLD).fontSize(12).fillColor(COLOURS.banner).text("Not yet signed", x + 10, top + 22, { width: w - 20 });
      doc.font(FONT).fontSize(9).fillColor(COLOURS.muted);
      doc.text("Name: ______________________________    Meaning: ____________________", x + 10, top + 42, { width: w - 20 });
      doc.text("Signed (UTC): ______________________", x + 10, top + 60, { width: w - 20 });
    }
    doc.x = x;
    doc.y = top + h + 10;
  }
  if (data.slots.length === 0) paragraph(doc, "No signatory is required yet.");
  doc.font(FONT).fontSize(10).fillColor(COLOURS.text);
}
