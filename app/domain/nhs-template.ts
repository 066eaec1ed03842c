// NHS Hazard Log template v3.6 columns ↔ hazard fields (domain reference §3.2), for export and
// import alike. Pure: rows are plain records keyed by column letter; the bytes live in
// spreadsheet.ts. Decisions the template leaves open (why: a round trip must lose nothing):
// - A "No." is the number in our ref; B "Date Added" is createdAt. Both are ignored on import.
// - C/D/E take Effect/Hazard/Harm; F the causes. Title, description, hazard type, review due,
//   version, source and risk–benefit justification have no template column: AC–AJ.
// - Test controls have no template pair (§3.6): they go in HIT Design as "[Test] …". A design
//   control whose text itself starts "[Test] " or "[Design] " is written "[Design] …".
// - Several values in one cell are a bullet list: "• " starts an item, its further lines are
//   indented two spaces. Exact both ways for any text, and readable in Excel.
// - An Evidence item is "[State] owner organisation" then the evidence refs as "- " sub-items.
// - Control order is normalised to template order (existing before additional, then by pair).
import { isUuid } from "./ids.ts";
import { HAZARD_TYPES, HazardInput, SOURCES } from "./hazard-fields.ts";
import type { ControlView, HazardView } from "./hazard-view.ts";
import { lookupRisk, LIKELIHOODS, SEVERITIES, type RiskScheme } from "./risk.ts";

type Kind = "text" | "number" | "date";
export type TemplateColumn = {
  letter: string; key: string; label: string;
  /** Header groups above the label, top down (null where the template has none). */
  group: string | null; section: string | null; sub: string | null;
  /** Unique one-row header for CSV. */
  header: string;
  kind: Kind; template: boolean; width: number;
  /** A formula is allowed here (the template computes Risk; No. and Date Added are not imported):
   * its cached result is read, never evaluated. Anywhere else a formula is a problem. */
  formula?: boolean;
};

const letterOf = (i: number): string => (i < 26 ? "" : String.fromCharCode(64 + Math.floor(i / 26))) + String.fromCharCode(65 + (i % 26));
type Spec = [key: string, label: string, groups?: [string, string?, string?], opts?: { kind?: Kind; width?: number; formula?: boolean }];
const HD: [string, string] = ["Hazard Assessment", "Hazard Description"];
const pairs = (g: string, s: string, process: string): Spec[] =>
  (["HIT Design", "User Training", process] as const).flatMap((sub, i) => [
    [`${s}${i}d`, "Description", [g, s, sub]] as Spec, [`${s}${i}e`, "Evidence", [g, s, sub]] as Spec]);
const assessment = (g: string, s: string, p: string): Spec[] => [
  [`${p}Severity`, "Severity", [g, s], { width: 14 }], [`${p}Likelihood`, "Likelihood", [g, s], { width: 14 }],
  [`${p}Risk`, "Risk", [g, s], { kind: "number", width: 8, formula: true }], [`${p}Justification`, "Justification", [g, s]]];
const OURS = "Not in the NHS template (kept for a lossless round trip)";
const SPECS: Spec[] = [
  ["no", "No.", undefined, { kind: "number", width: 6, formula: true }], ["dateAdded", "Date Added", undefined, { kind: "date", width: 12, formula: true }],
  ["effect", "Effect", HD], ["hazard", "Hazard", HD], ["harm", "Harm", HD], ["causes", "Possible Causes", HD],
  ...pairs("Initial Risk", "Existing Controls", "Business Process"),
  ...assessment("Initial Risk", "Initial Risk Assessment", "initial"),
  ...pairs("Residual Risk", "Additional Controls", "Business Process Change"),
  ...assessment("Residual Risk", "Residual Risk Assessment", "residual"),
  ["owner", "Owner", undefined, { width: 20 }], ["status", "Status", undefined, { width: 12 }],
  ["ref", "Ref", [OURS], { width: 10 }], ["title", "Title", [OURS]], ["description", "Description", [OURS]],
  ["hazardType", "Hazard type", [OURS], { width: 18 }], ["reviewDue", "Review due", [OURS], { kind: "date", width: 12 }],
  ["version", "Version", [OURS], { kind: "number", width: 8 }], ["source", "Source", [OURS], { width: 16 }],
  ["riskBenefit", "Risk-benefit justification", [OURS]],
];
export const TEMPLATE_COLUMNS: readonly TemplateColumn[] = SPECS.map(([key, label, g, o], i) => {
  const [group = null, section = null, sub = null] = g ?? [];
  const prefix = group === OURS || group === HD[0] ? [] : [section?.replace(" Assessment", ""), sub].filter(Boolean);
  return {
    letter: letterOf(i), key, label, group, section, sub, header: [...prefix, label].join(" - "),
    kind: o?.kind ?? "text", template: i < 28, width: o?.width ?? 40, formula: o?.formula,
  };
});
/** Column letter by key, e.g. COL.harm === "E". */
export const COL: Record<string, string> = Object.fromEntries(TEMPLATE_COLUMNS.map((c) => [c.key, c.letter]));
const LABEL: Record<string, string> = Object.fromEntries(TEMPLATE_COLUMNS.map((c) => [c.letter, c.header]));

export const SEVERITY_WORDS = { minor: "Minor", significant: "Significant", considerable: "Considerable", major: "Major", catastrophic: "Catastrophic" } as const;
export const LIKELIHOOD_WORDS = { very_low: "Very low", low: "Low", medium: "Medium", high: "High", very_high: "Very high" } as const;
const STATUS_WORDS = { open: "Open", closed: "Closed", transferred: "Transferred" } as const;
const STATE_WORDS = { planned: "Planned", implemented: "Implemented", verified: "Verified" } as const;

type ControlGroup = "design" | "training" | "business_process";
/** Where each control lands: [kind, template pair, description column, evidence column]. */
const SLOTS = (["existing", "additional"] as const).flatMap((kind) =>
  (["design", "training", "business_process"] as const).map((group, i) => {
    const s = kind === "existing" ? "Existing Controls" : "Additional Controls";
    return { kind, group, desc: COL[`${s}${i}d`], evid: COL[`${s}${i}e`] };
  }));
const groupOf = (type: string): ControlGroup => (type === "test" ? "design" : (type as ControlGroup));

/** Controls in the order a round trip gives them back (stable within a template pair). */
export function templateControlOrder<T extends { kind: string; type: string }>(controls: readonly T[]): T[] {
  const slot = (c: T) => SLOTS.findIndex((s) => s.kind === c.kind && s.group === groupOf(c.type));
  return controls.map((c, i) => [c, i] as const).sort((a, b) => slot(a[0]) - slot(b[0]) || a[1] - b[1]).map(([c]) => c);
}

// ---- OWASP CSV injection: prefix a quote on export, take exactly that quote off on import.
const DANGEROUS = /^'*[=+\-@\t\r]/;
export function neutraliseFormula(text: string): string {
  return DANGEROUS.test(text) ? `'${text}` : text;
}
export function restoreNeutralised(text: string): string {
  return /^'+[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}
export const FORMULA_MESSAGE = "holds a formula; formulas are not imported (type the value, or start the text with ')";

// ---- Bullet lists: "• item" with continuation lines indented two spaces.
export function encodeList(items: readonly string[], bullet = "• "): string {
  return items.map((item) => bullet + item.split("\n").join("\n  ")).join("\n");
}
/** Inverse of encodeList; a cell not starting with the bullet is one item (a hand-made log). */
export function decodeList(cell: string, bullet = "• "): string[] {
  if (cell === "") return [];
  if (!cell.startsWith(bullet)) return [cell];
  const items: string[][] = [];
  for (const line of cell.split("\n")) {
    if (line.startsWith(bullet)) items.push([line.slice(bullet.length)]);
    else items[items.length - 1].push(line.startsWith("  ") ? line.slice(2) : line);
  }
  return items.map((lines) => lines.join("\n"));
}

export type OrgNames = ReadonlyMap<string, string> | Readonly<Record<string, string>>;
const nameOf = (orgs: OrgNames, id: string) => (orgs instanceof Map ? orgs.get(id) : (orgs as Record<string, string>)[id]) ?? id;

function evidenceItem(c: ControlView, orgs: OrgNames): string {
  const head = `[${STATE_WORDS[c.state]}] ${nameOf(orgs, c.ownerOrganisationId)}`;
  return c.evidenceRefs.length ? `${head}\n${encodeList(c.evidenceRefs, "- ")}` : head;
}
function descriptionItem(c: ControlView): string {
  if (c.type === "test") return `[Test] ${c.description}`;
  return c.type === "design" && /^\[(test|design)\] /i.test(c.description) ? `[Design] ${c.description}` : c.description;
}

export type TemplateRow = Record<string, string | number | null>;

/** One exported row, keyed by column letter; text is already neutralised against formulas. */
export function hazardToRow(view: HazardView, orgNameById: OrgNames): TemplateRow {
  const t = (s: string | null | undefined) => (s ? neutraliseFormula(s) : null);
  const word = (map: Record<string, string>, code: string | null) => (code ? map[code] ?? code : null);
  const digits = view.ref.match(/\d+/);
  const row: TemplateRow = {
    [COL.no]: digits ? Number(digits[0]) : view.ref, [COL.dateAdded]: view.createdAt.slice(0, 10),
    [COL.effect]: t(view.effect), [COL.hazard]: t(view.hazard), [COL.harm]: t(view.harm),
    [COL.causes]: view.causes.length ? encodeList(view.causes) : null,
    [COL.owner]: t(view.owner), [COL.status]: STATUS_WORDS[view.status], [COL.ref]: view.ref,
    [COL.title]: t(view.title), [COL.description]: t(view.description), [COL.hazardType]: view.hazardType,
    [COL.reviewDue]: view.reviewDue, [COL.version]: view.version, [COL.source]: view.source,
    [COL.riskBenefit]: t(view.riskBenefitJustification),
  };
  for (const p of ["initial", "residual"] as const) {
    row[COL[`${p}Severity`]] = word(SEVERITY_WORDS, view[p].severity);
    row[COL[`${p}Likelihood`]] = word(LIKELIHOOD_WORDS, view[p].likelihood);
    row[COL[`${p}Risk`]] = view[p].risk;
    row[COL[`${p}Justification`]] = t(view[p].justification);
  }
  for (const s of SLOTS) {
    const mine = view.controls.filter((c) => c.kind === s.kind && groupOf(c.type) === s.group);
    row[s.desc] = mine.length ? encodeList(mine.map(descriptionItem)) : null;
    row[s.evid] = mine.length ? encodeList(mine.map((c) => evidenceItem(c, orgNameById))) : null;
  }
  return row;
}

// ---- Import
export type Problem = { column: string; message: string };
export type RowResult = { input?: HazardInput; ref: string | null; version: number | null; problems: Problem[] };
/** Organisation names (as the export wrote them in Evidence cells) to ids. A name not found is a
 * problem, so pass every organisation the log's controls may name; a written id is taken as is. */
export type ImportOptions = { organisationIdByName?: ReadonlyMap<string, string> };

// "Very Low", "very-low", "very_low", "v low", "VeryLow", "Significant " all compare equal.
const squash = (s: string) => s.trim().toLowerCase().replace(/[\s_.-]+/g, " ").replace(/^v /, "very ").replace(/ /g, "");
/** Matches the scheme's labels and codes and the template words, ignoring case, spacing and -/_. */
function matchWord(raw: string, codes: readonly string[], words: Record<string, string>, scheme: RiskScheme["severities"]): string | undefined {
  const wanted = squash(raw);
  return codes.find((code) => [code, words[code], scheme.find((l) => l.code === code)?.label ?? ""].some((w) => w && squash(w) === wanted));
}

/** Reads one data row back into writable hazard fields; problems name the column letter. */
export function rowToHazardInput(row: Readonly<Record<string, string>>, scheme: Pick<RiskScheme, "severities" | "likelihoods" | "matrix">, opts: ImportOptions = {}): RowResult {
  const problems: Problem[] = [];
  const report = (column: string, message: string) => problems.push({ column, message: `${LABEL[column] ?? column}: ${message}` });
  const formulas = new Set<string>();
  const cell = (letter: string): string => {
    const raw = row[letter] ?? "";
    if (raw.trim() === "") return "";
    if (raw.startsWith("=")) return formulas.add(letter), report(letter, FORMULA_MESSAGE), "";
    return restoreNeutralised(raw);
  };
  const orNull = (s: string) => (s.trim() === "" ? null : s);

  const assess = (p: "initial" | "residual") => {
    const [sc, lc, rc] = [COL[`${p}Severity`], COL[`${p}Likelihood`], COL[`${p}Risk`]];
    const [sRaw, lRaw, rRaw] = [cell(sc), cell(lc), cell(rc).trim()];
    const severity = sRaw.trim() ? matchWord(sRaw, SEVERITIES, SEVERITY_WORDS, scheme.severities) : null;
    const likelihood = lRaw.trim() ? matchWord(lRaw, LIKELIHOODS, LIKELIHOOD_WORDS, scheme.likelihoods) : null;
    if (severity === undefined) report(sc, `"${sRaw.trim()}" is not a severity; use one of ${Object.values(SEVERITY_WORDS).join(", ")}`);
    if (likelihood === undefined) report(lc, `"${lRaw.trim()}" is not a likelihood; use one of ${Object.values(LIKELIHOOD_WORDS).join(", ")}`);
    if (severity && likelihood) {
      let matrix: number;
      try {
        matrix = lookupRisk(scheme, likelihood, severity);
      } catch {
        return report(sc, "is not part of this log's risk scheme"), { severity, likelihood, justification: null };
      }
      if (rRaw !== "" && Number(rRaw) !== matrix)
        report(rc, `${rRaw} disagrees with the risk matrix (${LIKELIHOOD_WORDS[likelihood as keyof typeof LIKELIHOOD_WORDS]} likelihood × ${SEVERITY_WORDS[severity as keyof typeof SEVERITY_WORDS]} severity = ${matrix}); the matrix value ${matrix} is what counts`);
    } else if (rRaw !== "" && severity !== undefined && likelihood !== undefined) {
      report(rc, `${rRaw} given without both severity and likelihood; the risk comes from the matrix`);
    }
    return { severity: severity ?? null, likelihood: likelihood ?? null, justification: orNull(cell(COL[`${p}Justification`])) };
  };

  const controls: HazardInput["controls"] = [];
  const controlColumns: { desc: string; evid: string }[] = [];
  const orgIds = new Map([...(opts.organisationIdByName ?? [])].map(([name, id]) => [name.trim().toLowerCase(), id]));
  for (const s of SLOTS) {
    const descs = decodeList(cell(s.desc));
    const evids = decodeList(cell(s.evid));
    if (evids.length > descs.length) report(s.evid, `has ${evids.length} entries but the Description beside it has ${descs.length}`);
    descs.forEach((d, i) => {
      let type: string = s.group;
      const tag = s.group === "design" ? d.match(/^\[(test|design)\] /i) : null;
      if (tag) [type, d] = [tag[1].toLowerCase(), d.slice(tag[0].length)];
      const control = { kind: s.kind, type, description: d } as HazardInput["controls"][number];
      const ev = evids[i];
      const head = ev?.match(/^\[(planned|implemented|verified)\](?: ([^\n]*))?(?:\n|$)/i);
      if (head) {
        control.state = head[1].toLowerCase() as typeof control.state;
        control.evidenceRefs = decodeList(ev.slice(head[0].length), "- ");
        const owner = head[2]?.trim();
        const id = owner ? (isUuid(owner) ? owner : orgIds.get(owner.toLowerCase())) : undefined;
        if (owner && !id) report(s.evid, `unknown organisation "${owner}" (entry ${i + 1})`);
        if (id) control.ownerOrganisationId = id;
      } else if (ev !== undefined) {
        // Hand-made evidence text: one reference per line.
        control.evidenceRefs = ev.split("\n").map((x) => x.trim()).filter(Boolean);
      }
      controls.push(control);
      controlColumns.push(s);
    });
  }

  const statusRaw = cell(COL.status).trim();
  const status = statusRaw === "" ? "open" : (Object.keys(STATUS_WORDS) as (keyof typeof STATUS_WORDS)[]).find((k) => k === statusRaw.toLowerCase());
  if (!status) report(COL.status, `"${statusRaw}" is not a status; use Open, Transferred or Closed`);
  const harm = cell(COL.harm);
  if (harm.trim() === "" && !formulas.has(COL.harm)) report(COL.harm, "is required (the potential harm to patients)");
  const hazard = cell(COL.hazard);
  let title = cell(COL.title);
  if (title.trim() === "" && hazard.trim().length <= 200) title = hazard; // a plain NHS log has no title
  const due = cell(COL.reviewDue).trim();
  const uk = due.match(/^(\d{1,2})\/(\d{1,2})\/(\d{4})$/); // dd/mm/yyyy as typed in a UK spreadsheet
  const reviewDue = uk ? `${uk[3]}-${uk[2].padStart(2, "0")}-${uk[1].padStart(2, "0")}` : orNull(due);
  const [hazardType, source] = [cell(COL.hazardType).trim(), cell(COL.source).trim()];
  const findIn = (list: readonly string[], v: string) => list.find((x) => squash(x) === squash(v)) ?? v;
  const versionRaw = (row[COL.version] ?? "").trim();
  const version = /^\d+$/.test(versionRaw) ? Number(versionRaw) : null;
  if (versionRaw && version === null) report(COL.version, `"${versionRaw}" is not a whole number`);

  const candidate = {
    title, description: cell(COL.description), causes: decodeList(cell(COL.causes)), effect: cell(COL.effect), hazard, harm,
    hazardType: hazardType ? findIn(HAZARD_TYPES, hazardType) : null, source: source ? findIn(SOURCES, source) : null,
    owner: orNull(cell(COL.owner)), reviewDue, controls, initial: assess("initial"), residual: assess("residual"),
    riskBenefitJustification: orNull(cell(COL.riskBenefit)), status: status ?? "open",
  };
  const parsed = HazardInput.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [field, index, sub] = issue.path as (string | number)[];
      const slot = field === "controls" ? controlColumns[index as number] : undefined;
      const column = slot ? (sub === "description" ? slot.desc : slot.evid) : FIELD_COLUMN[`${String(field)}${typeof index === "string" ? `.${index}` : ""}`] ?? FIELD_COLUMN[String(field)];
      const entry = typeof index === "number" ? ` (entry ${index + 1}${sub ? `, ${String(sub)}` : ""})` : "";
      report(column ?? COL.title, issue.message + entry);
    }
  }
  const ref = orNull(cell(COL.ref).trim());
  return problems.length || !parsed.success ? { ref, version, problems } : { input: parsed.data, ref, version, problems };
}

const FIELD_COLUMN: Record<string, string> = {
  title: COL.title, description: COL.description, causes: COL.causes, effect: COL.effect, hazard: COL.hazard, harm: COL.harm,
  hazardType: COL.hazardType, source: COL.source, owner: COL.owner, reviewDue: COL.reviewDue, status: COL.status,
  riskBenefitJustification: COL.riskBenefit, "initial.justification": COL.initialJustification, "residual.justification": COL.residualJustification,
  "initial.severity": COL.initialSeverity, "initial.likelihood": COL.initialLikelihood, "residual.severity": COL.residualSeverity, "residual.likelihood": COL.residualLikelihood,
};
