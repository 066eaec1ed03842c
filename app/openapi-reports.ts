// OpenAPI entries for the generated PDF reports (issue 7). Each is a plain GET: it changes nothing
// and writes no audit entry; the same baseline and generation time give byte-identical files.
import { err, idParam, registerPaths, STD_ERRORS } from "./openapi.ts";

const pdf = (description: string) => ({
  description,
  headers: { "Content-Disposition": { schema: { type: "string" }, description: "attachment; filename=\"….pdf\"" } },
  content: { "application/pdf": { schema: { type: "string", contentEncoding: "binary" } } },
});

registerPaths({
  "/api/v1/safety-cases/{id}/report.pdf": {
    get: {
      summary: "The Clinical Safety Case Report (PDF)",
      description:
        "Sections in the order of the NHS CSCR template: document control, introduction and scope, system description, clinical risk management system, the risk matrix used, hazard summary (counts and heatmaps), the full hazard table, open and transferred items, evidence, summary safety statement, configuration control, and the signatures page (each signature's printed name, organisation, role, meaning, UTC time and baseline SHA-256; each missing one as an empty slot \"Not yet signed\"). Drawn from the case's frozen baseline; a draft case without one is drawn from the log's current content. Until the case is approved every page carries a horizontal DRAFT banner (extractable text).",
      parameters: [idParam("id")],
      responses: { "200": pdf("The report, streamed"), "404": err("No such readable case"), ...STD_ERRORS },
    },
  },
  "/api/v1/hazard-logs/{id}/report.pdf": {
    get: {
      summary: "The hazard log report (PDF): the current content, or a frozen version",
      description: "Without `baseline`, the log as it is now, marked DRAFT on every page. With `baseline=<hazardLogVersion>`, that frozen baseline exactly as stored; it is marked DRAFT unless that version was issued.",
      parameters: [idParam("id"), { name: "baseline", in: "query", required: false, schema: { type: "integer", minimum: 1 }, description: "A baseline version of this log (the issued versions are listed by GET /api/v1/hazard-logs/{id}/issue)" }],
      responses: { "200": pdf("The report, streamed"), "400": err("baseline is not a version number"), "404": err("No such readable log, or no such baseline of it"), ...STD_ERRORS },
    },
  },
  "/api/v1/platforms/{id}/board-report.pdf": {
    get: {
      summary: "The ICB board assurance report for a platform (PDF)",
      description: "Across the platform's hazard logs the caller may read (current content): sign-off status per organisation from the safety cases, the principal risks (highest residual risk, not closed) with their controls in place, gaps in control (no control implemented or verified; transferred controls still open) and mitigating actions (planned controls) with owners and review dates. 404 when the caller may read none of the platform's logs.",
      parameters: [idParam("id")],
      responses: { "200": pdf("The report, streamed"), "404": err("No such platform, or none of its logs is readable"), ...STD_ERRORS },
    },
  },
});
