// OpenAPI entries for export and import of a hazard log in the NHS Hazard Log template v3.6 layout
// (contract §4; columns in domain reference §3.2 and app/domain/nhs-template.ts).
import { err, idParam, ok, registerPaths, STD_ERRORS } from "./openapi.ts";

const COLUMNS =
  "Columns A–AB exactly as the NHS Hazard Log template v3.6 (No., Date Added, Effect, Hazard, Harm, Possible Causes, existing controls as Description/Evidence pairs for HIT Design, User Training and Business Process, initial Severity/Likelihood/Risk/Justification, additional controls, residual assessment, Owner, Status), then Ref, Title, Description, Hazard type, Review due, Version, Source and Risk-benefit justification so a round trip loses nothing. The xlsx has the template's four-row grouped header and a Risk Matrix sheet; the CSV one header row. Cell text that a spreadsheet would run as a formula (starting =, +, -, @, tab or carriage return) is written with a leading apostrophe.";

registerPaths({
  "/api/v1/hazard-logs/{id}/export": {
    get: {
      summary: "Export a hazard log (xlsx or CSV)",
      description: `${COLUMNS} Any reader of the log may export; deprecated hazards are left out. Every export is recorded in the audit trail (log.exported). Answers with Content-Disposition: attachment.`,
      parameters: [idParam("id"), { name: "format", in: "query", required: false, schema: { type: "string", enum: ["xlsx", "csv"], default: "xlsx" } }],
      responses: {
        "200": {
          description: "The file",
          headers: { "Content-Disposition": { schema: { type: "string" }, description: 'attachment; filename="<log-title>-<date>.<format>"' } },
          content: {
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { schema: { type: "string", contentMediaType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" } },
            "text/csv": { schema: { type: "string" } },
          },
        },
        "400": err("format is neither xlsx nor csv"),
        "404": err("No such log, or one the caller may not read"),
        ...STD_ERRORS,
      },
    },
  },
  "/api/v1/hazard-logs/{id}/import": {
    post: {
      summary: "Import hazards from a spreadsheet (xlsx or CSV)",
      description:
        `The file in the export's layout (a plain NHS template log, columns A–AB only, is read too). Every row is checked, then all are applied in one transaction or none: a row whose Ref is a hazard of this log updates it (with the reason "Imported from <filename>"), any other row raises a new hazard with the next ref. A row whose Version is older than the hazard's is a problem (the file predates someone else's change). Risk cells are checked against the risk matrix: a disagreeing Risk is a problem naming the matrix value, which is the one that counts. Formulas are never evaluated: a formula in a text cell is a problem. At most 50 MB and 10,000 rows. Needs the clinical safety officer role in the log's owner organisation. Recorded in the audit trail (log.imported, plus hazard.created / hazard.updated per hazard). ${COLUMNS}`,
      parameters: [idParam("id")],
      requestBody: {
        required: true,
        content: { "multipart/form-data": { schema: { type: "object", required: ["file"], properties: { file: { type: "string", contentMediaType: "application/octet-stream", description: "xlsx workbook with a \"Hazard Log\" sheet, or CSV (UTF-8 or Windows-1252)" } } } } },
      },
      responses: {
        "200": ok("Applied", { type: "object", required: ["created", "updated"], properties: { created: { type: "integer" }, updated: { type: "integer" }, unchanged: { type: "integer", description: "Rows identical to the hazard they name: not written" } } }),
        "400": err("No `file` field, an empty file, or a file that cannot be read (e.g. a damaged workbook, an old .xls)"),
        "403": err("The caller may read the log but not import into it"),
        "404": err("No such log, or one the caller may not read"),
        "409": err("A hazard changed while the import was being applied: nothing was written"),
        "413": err("The file is larger than 50 MB, expands to more than that, or has more than 10,000 rows"),
        "415": err("The file is neither an xlsx workbook nor CSV text"),
        "422": err("The import has errors (code import_errors): error.rows lists each { row, column, message } (row 0: the whole file, e.g. wrong headings). Nothing was written."),
        ...STD_ERRORS,
        "429": err("Too many import uploads by this user: UPLOAD_RATE_LIMIT per UPLOAD_RATE_WINDOW_SECONDS (default 30 per 10 minutes); see Retry-After"),
      },
    },
  },
});
