// OpenAPI entries for the hazard endpoints (contract §4): list, raise, read, edit.
import { err, idParam, json, ok, ref, registerPaths, STD_ERRORS, uuid } from "./openapi.ts";

const str = { type: "string" };
const nullableStr = { type: ["string", "null"] };
const severity = { type: ["string", "null"], enum: ["minor", "significant", "considerable", "major", "catastrophic", null] };
const likelihood = { type: ["string", "null"], enum: ["very_low", "low", "medium", "high", "very_high", null] };
const status = { type: "string", enum: ["open", "transferred", "closed"] };
const controlType = { type: "string", enum: ["design", "test", "training", "business_process"] };
const controlState = { type: "string", enum: ["planned", "implemented", "verified"] };
const controlKind = { type: "string", enum: ["existing", "additional"] };
const hazardType = {
  type: ["string", "null"],
  description: "Optional hazard-type taxonomy (domain reference §3.8), e.g. WrongPatient, WrongDrugDose, CorruptedData, GeneralHazard",
};
const source = { type: ["string", "null"], enum: ["design", "testing", "live testing", "incident/problem", "staff report", "workshop", "supplier hazard log", null] };
const date = { type: ["string", "null"], format: "date" };

const assessmentOut = {
  type: "object",
  required: ["severity", "likelihood", "risk", "justification"],
  properties: {
    severity,
    likelihood,
    risk: { type: ["integer", "null"], minimum: 1, maximum: 5, description: "Computed by the server from the log's risk matrix; null until both severity and likelihood are given" },
    justification: nullableStr,
  },
};
const assessmentIn = {
  type: "object",
  additionalProperties: false,
  description: "`risk` is refused: the server computes it. In a PATCH, parts not sent are kept.",
  properties: { severity, likelihood, justification: { type: ["string", "null"], maxLength: 4000 } },
};
const deprecated = {
  type: ["object", "null"],
  required: ["at", "reason"],
  properties: { at: { type: "string", format: "date-time" }, reason: str },
  description: "Set when the hazard was deprecated (never deleted); null otherwise",
};

const Control = {
  type: "object",
  required: ["id", "kind", "type", "description", "ownerOrganisationId", "state", "evidenceIds"],
  properties: {
    id: uuid,
    kind: controlKind,
    type: controlType,
    description: str,
    ownerOrganisationId: uuid,
    state: controlState,
    evidenceRefs: { type: "array", items: str },
    evidenceIds: { type: "array", items: uuid },
    transferred: { type: "boolean", description: "Transferred to the deploying organisations (DCB0129 6.3.1)" },
    transferredFromControlId: { type: ["string", "null"], format: "uuid" },
    upstream: { type: "boolean", description: "Belongs to the upstream log: read-only here" },
  },
};
const ControlInput = {
  type: "object",
  additionalProperties: false,
  required: ["kind", "type", "description"],
  properties: {
    id: { ...uuid, description: "PATCH only: an existing control of this hazard to keep and update" },
    kind: controlKind,
    type: controlType,
    description: { type: "string", minLength: 1, maxLength: 4000 },
    ownerOrganisationId: { ...uuid, description: "Defaults to the log's organisation" },
    state: { ...controlState, description: "Defaults to planned for a new control; kept when omitted on an existing one" },
    evidenceRefs: { type: "array", maxItems: 20, items: { type: "string", maxLength: 200 } },
  },
};

const Hazard = {
  type: "object",
  required: ["id", "ref", "hazardLogId", "title", "description", "causes", "effect", "hazard", "harm", "controls", "initial", "residual", "status", "owner", "reviewDue", "deprecated", "version", "createdAt", "updatedAt"],
  properties: {
    id: uuid,
    ref: { type: "string", examples: ["H-001"], description: "Given by the server, unique in its log, never reused" },
    hazardLogId: uuid,
    title: str,
    description: str,
    causes: { type: "array", items: str, description: "On an inherited hazard: the upstream causes followed by the local ones" },
    localCauses: { type: "array", items: str, description: "Inherited hazards only: the causes given in this log" },
    effect: str,
    hazard: str,
    harm: str,
    hazardType,
    source,
    controls: { type: "array", items: ref("Control"), description: "Upstream controls (read-only, `upstream: true`) first, then this log's own" },
    initial: assessmentOut,
    residual: assessmentOut,
    riskBenefitJustification: { ...nullableStr, description: "Required when the residual risk is 4 or 5" },
    riskScheme: { type: "object", properties: { id: { type: ["string", "null"], format: "uuid" }, version: { type: ["integer", "null"] } } },
    status,
    owner: nullableStr,
    reviewDue: date,
    upstream: {
      type: "object",
      description: "Present on an inherited hazard. `currentVersion` differs from `acceptedVersion` until this organisation accepts the upstream change.",
      required: ["hazardId", "acceptedVersion", "currentVersion"],
      properties: {
        hazardId: uuid,
        hazardLogId: uuid,
        ref: str,
        acceptedVersion: { type: ["integer", "null"] },
        currentVersion: { type: "integer" },
        status,
        deprecated,
      },
    },
    deprecated,
    version: { type: "integer", minimum: 1, description: "Starts at 1 and rises by one per change" },
    createdAt: { type: "string", format: "date-time" },
    updatedAt: { type: "string", format: "date-time" },
  },
};

const writable = {
  title: { type: "string", minLength: 1, maxLength: 200 },
  description: { type: "string", maxLength: 4000 },
  causes: { type: "array", maxItems: 50, items: { type: "string", minLength: 1, maxLength: 1000 } },
  effect: { type: "string", maxLength: 4000 },
  hazard: { type: "string", maxLength: 4000 },
  harm: { type: "string", maxLength: 4000 },
  hazardType,
  source,
  owner: { type: ["string", "null"], maxLength: 200 },
  reviewDue: date,
  controls: { type: "array", maxItems: 100, items: ref("ControlInput") },
  initial: assessmentIn,
  residual: assessmentIn,
  riskBenefitJustification: { type: ["string", "null"], maxLength: 4000, description: "Required when the residual risk is 4 or 5 (else 400 with fields.riskBenefitJustification)" },
  status,
};

const HazardInput = {
  type: "object",
  additionalProperties: false,
  required: ["title"],
  description:
    "The writable fields of a hazard. `risk` is never accepted (400). Needs the `edit:hazard` permission (CSO, contributor of the owning organisation); any severity/likelihood, or a status other than open, needs `assess:hazard` (CSO).",
  properties: writable,
};

const HazardPatch = {
  type: "object",
  additionalProperties: false,
  required: ["version"],
  description:
    "Only the fields to change. `version` is the version you last read (otherwise 409 with the current Hazard in error.current). `reason` is required once the hazard has been assessed (any initial or residual severity/likelihood), is closed or transferred, and for any change of status or reopening; for a deprecation `deprecate.reason` serves when no `reason` is sent. `controls`, when sent, replaces this hazard's own controls: those with an `id` are kept and updated, new ones inserted, missing ones unlinked from this hazard (the control itself is kept). Changing the assessment, status, reopening and deprecating need `assess:hazard` (CSO). On an inherited hazard only causes (the local causes), owner, reviewDue, status, initial, residual, riskBenefitJustification and its own controls may change; title, description, effect, hazard, harm, hazardType and source answer 400 (\"is inherited from the upstream log and read-only here\"). A patch that changes nothing answers 200 with the hazard unchanged (no new version).",
  properties: {
    version: { type: "integer", minimum: 1 },
    reason: { type: ["string", "null"], maxLength: 2000 },
    ...writable,
    deprecate: { type: "object", additionalProperties: false, required: ["reason"], properties: { reason: { type: "string", minLength: 1, maxLength: 2000 } }, description: "Deprecates the hazard (kept, hidden from lists unless includeDeprecated=true)" },
    reopen: { type: "boolean", description: "Same as status \"open\" on a closed or transferred hazard; needs a reason" },
  },
};

const SORT_VALUES = ["ref", "-ref", "title", "-title", "-residualRisk", "residualRisk", "-initialRisk", "initialRisk", "reviewDue", "-reviewDue", "-updatedAt", "updatedAt"];
const CELL_PATTERN = "^(very_low|low|medium|high|very_high):(minor|significant|considerable|major|catastrophic)$";
const q = (name: string, description: string, schema: unknown = { type: "string" }) => ({ name, in: "query", required: false, description, schema });
const hazardErrors = {
  "400": err("Bad input: per-field messages in error.fields (a client `risk`, unknown fields, a missing reason or risk–benefit justification, an inherited field)"),
  "403": err("You may read this log but not do this (not the owning organisation, or the role lacks the permission)"),
  "404": err("Not found, or not readable by you (exactly as if it did not exist)"),
  ...STD_ERRORS,
};

registerPaths(
  {
    "/api/v1/hazard-logs/{id}/hazards": {
      get: {
        summary: "Hazards of a log",
        description: "Filtered, sorted and paginated on the server. Deprecated hazards are left out unless includeDeprecated=true.",
        parameters: [
          idParam("id"),
          q("q", "Free text, case-insensitive, over title, description and causes; an inherited hazard is matched on its upstream's current text too"),
          q("status", "open, transferred or closed; a comma list (or the parameter repeated) for several"),
          q("residualRisk", "Residual rating 1–5, or unassessed (no rating yet; `none` is accepted as the same); a comma list for several"),
          q("initialCell", "One cell of the initial-risk heatmap as likelihood:severity, e.g. high:major", { type: "string", pattern: CELL_PATTERN }),
          q("residualCell", "One cell of the residual-risk heatmap as likelihood:severity, e.g. medium:catastrophic", { type: "string", pattern: CELL_PATTERN }),
          q("hazardType", "Hazard-type code(s) (domain reference §3.8), a comma list for several; an inherited hazard has its upstream's type"),
          q("owner", "Owner, exact match ignoring case"),
          q("overdue", "true: review date before today (UTC) and not closed; false: the others", { type: "string", enum: ["true", "false"] }),
          q("includeDeprecated", "true to include deprecated hazards", { type: "string", enum: ["true", "false"], default: "false" }),
          q("sort", "Order (default ref). A leading - is descending. Unassessed ratings and missing review dates come last in either direction; ties are broken by ref, so the order is total. residualRisk/initialRisk: the rating 1–5; reviewDue: the review date; updatedAt: the last change in this log; title: case-insensitive.", { type: "string", enum: SORT_VALUES, default: "ref" }),
          q("limit", "Page size 1–100, default 50; larger values are clamped to 100", { type: "integer", minimum: 1, maximum: 100, default: 50 }),
          q("cursor", "Opaque: the nextCursor (or prevCursor) of a previous page with the same sort. Keyset paging: the cursor holds the position in the sort order, not an offset, so hazards added or changed meanwhile never make a hazard repeat or go missing among the rest. A cursor of another sort, or one not given out by this API, answers 400."),
        ],
        responses: {
          "200": ok("One page", { type: "object", required: ["items", "total", "nextCursor"], properties: { items: { type: "array", items: ref("Hazard") }, total: { type: "integer", description: "Matching hazards in all pages" }, nextCursor: { type: ["string", "null"], description: "The next page; null on the last" }, prevCursor: { type: ["string", "null"], description: "The page before; null on the first" } } }),
          "400": err("A query parameter is not valid (error.fields names it: e.g. residualRisk=9, sort=bogus, a malformed cell, a cursor of another sort)"),
          "404": hazardErrors["404"],
          ...STD_ERRORS,
        },
      },
      post: {
        summary: "Raise a hazard",
        description: "The server gives the ref (next in the log, never reused) and computes every risk. Written with its first version and an audit entry in one transaction.",
        parameters: [idParam("id")],
        requestBody: { required: true, content: json(ref("HazardInput")) },
        responses: { "201": ok("The new hazard (version 1)", ref("Hazard")), ...hazardErrors, "413": err("Body larger than 1 MB") },
      },
    },
    "/api/v1/platforms/{id}/rollup": {
      get: {
        summary: "Every hazard of a platform against every organisation taking part (the ICB's roll-up)",
        description: "Limited to the logs the caller may read: the ICB sees every log; a trust sees the supplier's, the shared and its own; the supplier sees its own and the shared log. A hazard is keyed by its origin hazard (a live hazard whose upstream the caller cannot see live: none, deprecated, or in a log it may not read); each organisation's cell is its own row in the inheritance chain. Deprecated hazards are left out. Paged: a platform's roll-up can hold thousands of hazards against dozens of organisations, so one answer holds `limit` hazards (lines) with every organisation's cell; follow `nextCursor` for the rest. Lines come in the organisations' column order (the supplier's hazards, then the ICB's own, then each trust's own), by ref within a log.",
        parameters: [
          idParam("id"),
          q("limit", "Hazards (lines) per page 1–100, default 50; larger values are clamped to 100", { type: "integer", minimum: 1, maximum: 100, default: 50 }),
          q("cursor", "Opaque: the nextCursor of the previous page. A cursor not given out by this API answers 400."),
        ],
        responses: {
          "200": ok("One page of the roll-up", {
            type: "object",
            required: ["platform", "organisations", "hazards", "total", "nextCursor"],
            properties: {
              platform: { type: "object", properties: { id: uuid, name: str } },
              total: { type: "integer", description: "Hazards (lines) in all pages" },
              nextCursor: { type: ["string", "null"], description: "The next page; null on the last" },
              organisations: { type: "array", items: { type: "object", properties: { id: uuid, name: str, kind: { type: "string", enum: ["supplier", "icb", "deployer"] } } } },
              hazards: {
                type: "array",
                items: {
                  type: "object",
                  properties: {
                    hazardId: uuid, ref: str, title: str,
                    byOrganisation: {
                      type: "object",
                      additionalProperties: {
                        type: "object",
                        properties: {
                          hazardId: uuid, ref: str, residualRisk: { type: ["integer", "null"] }, status,
                          upstreamAccepted: { type: ["boolean", "null"], description: "null for an organisation's own hazard" },
                          reviewOverdue: { type: "boolean" }, openTransferredControls: { type: "integer" }, incidents: { type: "integer" },
                        },
                      },
                    },
                  },
                },
              },
            },
          }),
          "400": err("A query parameter is not valid (error.fields names it: limit not a whole number, a cursor not given out by this API)"),
          "404": err("No such platform, or none of its logs readable"),
          ...STD_ERRORS,
        },
      },
    },
    "/api/v1/hazards/{id}/incidents": {
      get: {
        summary: "Incidents on this hazard's inheritance family, and whether they flag it for review",
        description: "Every incident recorded against the origin hazard or any hazard inheriting it. The description is given only where the caller may read the hazard it was recorded against (otherwise null). `needsReview` is true while an incident is newer than this hazard's last change.",
        parameters: [idParam("id")],
        responses: { "200": ok("Incidents", { type: "object", properties: { needsReview: { type: "boolean" }, incidents: { type: "array", items: { type: "object", properties: { id: uuid, hazardId: uuid, kind: { type: "string", enum: ["near_miss", "harm"] }, occurredOn: { type: "string", format: "date" }, recordedAt: { type: "string", format: "date-time" }, organisation: { type: "object", properties: { id: uuid, name: str } }, description: { type: ["string", "null"] }, here: { type: "boolean" } } } } } }), "404": hazardErrors["404"], ...STD_ERRORS },
      },
      post: {
        summary: "Record a safety incident (near miss or harm) against a hazard the caller can read",
        description: "No patient identifiers: text that holds an NHS number is refused (400). A CSO, contributor or approver of any organisation that reads the hazard may record one; it flags every hazard of the family for review.",
        parameters: [idParam("id")],
        requestBody: { required: true, content: json({ type: "object", additionalProperties: false, required: ["kind", "occurredOn", "description"], properties: { kind: { type: "string", enum: ["near_miss", "harm"] }, occurredOn: { type: "string", format: "date" }, description: { type: "string", maxLength: 4000 } } }) },
        responses: { "201": ok("Recorded", { type: "object", properties: { id: uuid, hazardId: uuid, kind: str, occurredOn: str, recordedAt: str } }), "400": err("Bad input (error.fields)"), "403": err("Viewers and administrators do not record incidents"), "404": hazardErrors["404"], ...STD_ERRORS },
      },
    },
    "/api/v1/hazards/{id}/upstream/accept": {
      post: {
        summary: "Accept the current upstream version of an inherited hazard, or record it as not applicable here",
        description: "The inheriting organisation's CSO. `version` must be the upstream version reviewed (the current one, else 409). `notApplicable: true` (with a `comment`) accepts it and closes the hazard locally with that reason; nothing is deleted. Adds a version and an audit entry in one transaction.",
        parameters: [idParam("id")],
        requestBody: { required: true, content: json({ type: "object", additionalProperties: false, required: ["version"], properties: { version: { type: "integer", minimum: 1 }, comment: { type: "string", maxLength: 2000 }, notApplicable: { type: "boolean" } } }) },
        responses: {
          "200": ok("The inherited hazard, upstream.acceptedVersion now the version reviewed", ref("Hazard")),
          ...hazardErrors,
          "409": err("The upstream hazard changed again since the version reviewed: error.current holds this hazard"),
          "422": err("Not an inherited hazard"),
        },
      },
    },
    "/api/v1/hazards/{id}": {
      get: { summary: "A hazard", parameters: [idParam("id")], responses: { "200": ok("The hazard", ref("Hazard")), "404": hazardErrors["404"], ...STD_ERRORS } },
      patch: {
        summary: "Edit, close, transfer, reopen or deprecate a hazard",
        description: "See HazardPatch. Each change adds one version (with the field-by-field changes and the reason) and an audit entry, in one transaction.",
        parameters: [idParam("id")],
        requestBody: { required: true, content: json(ref("HazardPatch")) },
        responses: {
          "200": ok("The hazard after the change", ref("Hazard")),
          ...hazardErrors,
          "409": err("Stale version: error.current holds the current Hazard"),
          "413": err("Body larger than 1 MB"),
          "422": err("Not allowed in the current state (e.g. deprecating a hazard already deprecated)"),
        },
      },
    },
  },
  { Hazard, Control, ControlInput, HazardInput, HazardPatch },
);
