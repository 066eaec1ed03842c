// Sections both the safety case report and the hazard log report draw from a log's content: the
// risk matrix used, the hazard summary (counts and heatmaps), the full hazard table, open and
// transferred items, and the evidence list. Words for codes come from app/components/labels.ts.
import { CONTROL_STATE_NAMES, CONTROL_TYPE_NAMES, STATUS_NAMES } from "../components/labels.ts";
import { describeRisk, type RiskScheme } from "../domain/risk.ts";
import { countByRisk, countByStatus, evidenceItems, heatmap, liveHazards, openTransferredControls, type ReportHazard } from "./content.ts";
import { COLOURS, contentWidth, heading, newPage, paragraph, table, type Cell, type Doc } from "./layout.ts";
import { drawHeatmaps, drawRiskMatrix } from "./risk-grid.ts";

export type OrgNames = Record<string, string>;

const levelLabel = (levels: RiskScheme["severities"], code: string | null) => (code ? (levels.find((l) => l.code === code)?.label ?? code) : "");

/** "Major / Medium / 3 Undesirable" with the rating's colour, or "Not assessed". */
export function assessmentCell(scheme: RiskScheme, a: ReportHazard["initial"]): Cell {
  if (a.risk == null) return [levelLabel(scheme.severities, a.severity), levelLabel(scheme.likelihoods, a.likelihood), "Not assessed"].filter(Boolean).join("\n");
  const d = describeRisk(scheme, a.risk);
  return { text: `${levelLabel(scheme.severities, a.severity)}\n${levelLabel(scheme.likelihoods, a.likelihood)}\nRisk ${a.risk} ${d.label}`, fill: d.colour };
}

export function statusText(h: ReportHazard) {
  return `${STATUS_NAMES[h.status] ?? h.status}${h.deprecated ? "\nDeprecated" : ""}`;
}

/** Controls grouped by type (design, test, training, business process), each with its state. */
export function controlsText(h: ReportHazard, orgs: OrgNames) {
  const order = Object.keys(CONTROL_TYPE_NAMES);
  const sorted = [...h.controls].sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
  return sorted
    .map((c) => {
      const facts = [CONTROL_STATE_NAMES[c.state] ?? c.state, c.kind === "existing" ? "existing" : "additional"];
      if (c.transferred) facts.push(`transferred to ${orgs[c.ownerOrganisationId] ?? "another organisation"}`);
      return `${CONTROL_TYPE_NAMES[c.type] ?? c.type}: ${c.description} [${facts.join(", ")}]`;
    })
    .join("\n");
}

export async function riskMatrixSection(doc: Doc, scheme: RiskScheme, title: string) {
  heading(doc, title);
  paragraph(doc, "Risk is looked up in this matrix from likelihood (rows) and severity (columns); it is never a product of the two. Each rating's acceptability:");
  drawRiskMatrix(doc, scheme);
  await table(
    doc,
    [{ header: "Risk", width: 40, align: "center" }, { header: "Label", width: 110 }, { header: "Acceptability", width: contentWidth(doc) - 150 }],
    [5, 4, 3, 2, 1].map((r) => {
      const d = describeRisk(scheme, r);
      return [{ text: String(r), fill: d.colour, bold: true }, d.label, d.acceptability];
    }),
    { size: 8.5 },
  );
}

export async function hazardSummarySection(doc: Doc, scheme: RiskScheme, hazards: ReportHazard[], title: string) {
  heading(doc, title);
  const live = liveHazards(hazards);
  const deprecated = hazards.length - live.length;
  const status = countByStatus(live);
  paragraph(doc, `${live.length} hazard${live.length === 1 ? "" : "s"} in scope (${status.open} open, ${status.transferred} transferred, ${status.closed} closed)${deprecated ? `; ${deprecated} deprecated hazard${deprecated === 1 ? " is" : "s are"} listed in the hazard table but not counted here` : ""}.`);
  const initial = countByRisk(live, "initial");
  const residual = countByRisk(live, "residual");
  const w = contentWidth(doc);
  await table(
    doc,
    [{ header: "Risk rating", width: w - 200 }, { header: "Initial", width: 100, align: "center" }, { header: "Residual", width: 100, align: "center" }],
    [
      ...[5, 4, 3, 2, 1].map((r): Cell[] => [{ text: `${r} ${describeRisk(scheme, r).label}`, fill: describeRisk(scheme, r).colour }, String(initial[r]), String(residual[r])]),
      ["Not assessed", String(initial.none), String(residual.none)],
      [{ text: "Total", bold: true }, { text: String(live.length), bold: true }, { text: String(live.length), bold: true }],
    ],
    { size: 9 },
  );
  drawHeatmaps(doc, scheme, heatmap(scheme, live, "initial"), heatmap(scheme, live, "residual"));
}

/** The full hazard table on landscape pages, its header row repeated on each page. */
export async function hazardTableSection(doc: Doc, scheme: RiskScheme, hazards: ReportHazard[], orgs: OrgNames, title: string) {
  newPage(doc, "landscape");
  heading(doc, title);
  paragraph(doc, `Every hazard of the log (${hazards.length}), in reference order. Initial and residual columns read severity, likelihood, then the risk looked up in the matrix.`, { size: 9, colour: COLOURS.muted });
  const columns = [
    { header: "Ref", width: 44 },
    { header: "Title", width: 100 },
    { header: "Causes", width: 128 },
    { header: "Harm", width: 112 },
    { header: "Controls by type", width: 212 },
    { header: "Initial", width: 60 },
    { header: "Residual", width: 60 },
    { header: "Status", width: 54 },
  ];
  const rows = hazards.map((h): Cell[] => [
    { text: h.ref, bold: true },
    h.title,
    h.causes.map((c) => `• ${c}`).join("\n"),
    h.harm,
    controlsText(h, orgs) || "None recorded",
    assessmentCell(scheme, h.initial),
    assessmentCell(scheme, h.residual),
    statusText(h),
  ]);
  await table(doc, columns, rows, { size: 7.5, breatheEvery: 25 });
}

export async function openItemsSection(doc: Doc, scheme: RiskScheme, hazards: ReportHazard[], orgs: OrgNames, title: string) {
  newPage(doc, "portrait");
  heading(doc, title);
  const live = liveHazards(hazards);
  const open = live.filter((h) => h.status !== "closed");
  const w = contentWidth(doc);
  if (open.length === 0) paragraph(doc, "No hazard is open or transferred.");
  else {
    paragraph(doc, `${open.length} hazard${open.length === 1 ? " is" : "s are"} open or transferred:`);
    await table(
      doc,
      [{ header: "Ref", width: 44 }, { header: "Title", width: w - 44 - 70 - 90 - 80 }, { header: "Status", width: 70 }, { header: "Residual", width: 90 }, { header: "Review due", width: 80 }],
      open.map((h): Cell[] => [{ text: h.ref, bold: true }, h.title, statusText(h), assessmentCell(scheme, h.residual), h.reviewDue ?? "Not set"]),
      { size: 8, breatheEvery: 50 },
    );
  }
  const transferred = openTransferredControls(live);
  heading(doc, "Transferred controls not yet in place", 2);
  if (transferred.length === 0) paragraph(doc, "No transferred control is waiting for another organisation.");
  else
    await table(
      doc,
      [{ header: "Ref", width: 44 }, { header: "Control", width: w - 44 - 140 - 70 }, { header: "Now owned by", width: 140 }, { header: "State", width: 70 }],
      transferred.map(({ hazard, control }): Cell[] => [{ text: hazard.ref, bold: true }, `${CONTROL_TYPE_NAMES[control.type] ?? control.type}: ${control.description}`, orgs[control.ownerOrganisationId] ?? "Unknown organisation", CONTROL_STATE_NAMES[control.state] ?? control.state]),
      { size: 8, breatheEvery: 50 },
    );
}

export async function evidenceSection(doc: Doc, hazards: ReportHazard[], title: string) {
  heading(doc, title);
  const items = evidenceItems(hazards);
  paragraph(doc, "Evidence the controls cite, as the baseline holds it: references given with each control, and uploaded evidence by its identifier. An uploaded file's SHA-256 is shown where the baseline records it.", { size: 9, colour: COLOURS.muted });
  if (items.length === 0) return paragraph(doc, "No control cites evidence.");
  const w = contentWidth(doc);
  await table(
    doc,
    [{ header: "Ref", width: 44 }, { header: "Control", width: w - 44 - 150 - 130 }, { header: "Evidence", width: 150 }, { header: "SHA-256", width: 130 }],
    items.map(({ hazard, control, kind, value }): Cell[] => [
      { text: hazard.ref, bold: true },
      `${CONTROL_TYPE_NAMES[control.type] ?? control.type}: ${control.description}`,
      kind === "reference" ? value : `Upload ${value}`,
      "Not recorded in the baseline",
    ]),
    { size: 8, breatheEvery: 50 },
  );
}
