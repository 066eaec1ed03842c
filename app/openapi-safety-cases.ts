// OpenAPI entries for Clinical Safety Cases and their sign-off workflow (contract §4).
import { err, idParam, json, ok, ref, registerPaths, STD_ERRORS, uuid } from "./openapi.ts";

const person = { type: "object", properties: { id: uuid, name: { type: "string" } } };
const organisation = { type: "object", properties: { id: uuid, name: { type: "string" } } };
const Signature = {
  type: "object",
  required: ["user", "organisation", "role", "meaning", "signedAt", "sha256"],
  description: "An electronic signature: printed name, organisation, role, meaning, server UTC time and the SHA-256 of the baseline signed",
  properties: {
    user: person, organisation, role: { type: "string", enum: ["cso", "approver"] },
    meaning: { type: "string", enum: ["approved", "reviewed", "accepted_on_behalf_of_organisation"] },
    signedAt: { type: "string", format: "date-time" }, sha256: { type: "string", pattern: "^[0-9a-f]{64}$" },
    hazardLogVersion: { type: "integer", description: "The baseline version signed" },
  },
};
const SafetyCase = {
  type: "object",
  required: ["id", "title", "hazardLogId", "state", "version", "baseline", "requiredSignatories", "signatures", "allowedEvents"],
  properties: {
    id: uuid, title: { type: "string" }, hazardLogId: uuid,
    hazardLog: { type: "object", properties: { id: uuid, title: { type: "string" }, scope: { type: "string" } } },
    organisation,
    state: { type: "string", enum: ["draft", "in_review", "approved"] },
    version: { type: "integer", minimum: 1, description: "Send it back as expectedVersion" },
    baseline: {
      type: ["object", "null"],
      description: "The frozen baseline (null in draft): the log's canonical content at SUBMIT and its SHA-256",
      properties: { hazardLogVersion: { type: "integer" }, sha256: { type: "string" }, frozenAt: { type: "string", format: "date-time" } },
    },
    requiredSignatories: {
      type: "array",
      items: { type: "object", properties: { slotId: { type: "string" }, organisationId: uuid, organisationName: { type: "string" }, role: { type: "string", enum: ["cso", "approver"] }, signed: { type: "boolean" } } },
    },
    signatures: { type: "array", items: ref("Signature"), description: "Signatures on the current baseline" },
    supersededSignatures: { type: "array", items: ref("Signature"), description: "Signatures of earlier rounds, valid only for the baseline they name" },
    allowedEvents: { type: "array", items: { type: "string" }, description: "What the caller may send now, as the workflow machine decides" },
    submittedBy: { type: ["object", "null"], properties: person.properties },
    changeRequest: { type: ["object", "null"], properties: { comment: { type: "string" }, by: person } },
    returnReason: { type: ["string", "null"] },
    reSignatureNeeded: { type: "boolean", description: "The log has changed since the baseline was frozen" },
    createdAt: { type: "string", format: "date-time" }, updatedAt: { type: "string", format: "date-time" },
  },
};
const CaseEvent = {
  type: "object",
  additionalProperties: false,
  required: ["type", "expectedVersion"],
  properties: {
    type: { type: "string", enum: ["SUBMIT", "SIGN", "REQUEST_CHANGES", "EDIT_SIGNATORIES"] },
    expectedVersion: { type: "integer", minimum: 1 },
    password: { type: "string", description: "SIGN: the signer's password again (re-authentication)" },
    meaning: { type: "string", enum: ["approved", "reviewed", "accepted_on_behalf_of_organisation"], description: "SIGN" },
    comment: { type: "string", maxLength: 4000, description: "REQUEST_CHANGES: what needs to change" },
    signatories: { type: "array", items: { type: "object", properties: { organisationId: uuid, role: { type: "string", enum: ["cso", "approver"] } } }, description: "EDIT_SIGNATORIES (draft only, owning CSO)" },
  },
};

const LogIssue = {
  type: "object",
  description: "The log's issue workflow: draft → in_review → issued (request changes returns to draft). Issuing freezes a baseline.",
  properties: {
    hazardLogId: uuid, number: { type: "integer", description: "The issue cycle" },
    state: { type: "string", enum: ["draft", "in_review", "issued"] },
    version: { type: "integer", minimum: 0, description: "Send it back as expectedVersion (0 before the first event)" },
    allowedEvents: { type: "array", items: { type: "string" } },
    changeRequest: { type: ["object", "null"], properties: { comment: { type: "string" } } },
    pendingUpstreamChanges: { type: "integer", description: "Inherited hazards whose upstream change is not yet accepted; submitting needs 0" },
    issued: { type: "array", items: { type: "object", properties: { number: { type: "integer" }, hazardLogVersion: { type: "integer" }, sha256: { type: "string" }, issuedAt: { type: "string", format: "date-time" } } } },
  },
};

registerPaths(
  {
    "/api/v1/hazard-logs/{id}/issue": {
      get: { summary: "The log's issue workflow and its issued versions", parameters: [idParam("id")], responses: { "200": ok("Where the issue stands", ref("LogIssue")), "404": err("No such readable log"), ...STD_ERRORS } },
      post: {
        summary: "Send an issue event (SUBMIT_FOR_REVIEW, ISSUE, REQUEST_CHANGES, START_NEW_VERSION)",
        parameters: [idParam("id")],
        requestBody: { required: true, content: json({ type: "object", additionalProperties: false, required: ["type", "expectedVersion"], properties: { type: { type: "string", enum: ["SUBMIT_FOR_REVIEW", "ISSUE", "REQUEST_CHANGES", "START_NEW_VERSION"] }, expectedVersion: { type: "integer", minimum: 0 }, comment: { type: "string", maxLength: 4000 } } }) },
        responses: { "200": ok("After the event", ref("LogIssue")), "400": err("Bad input"), "403": err("Not the owning organisation's CSO (or approver, for REQUEST_CHANGES)"), "404": err("No such readable log"), "409": err("Stale expectedVersion"), "422": err("Not allowed now (e.g. upstream changes not yet accepted, or nothing changed since the last issue)"), ...STD_ERRORS },
      },
    },
    "/api/v1/safety-cases": {
      post: {
        summary: "Start a Clinical Safety Case for a hazard log",
        description: "Only the owning organisation's CSO. Required signatories default by the log's scope (platform: supplier CSO; shared: ICB CSO, ICB approver and each deploying trust's CSO; local: the trust's CSO).",
        requestBody: { required: true, content: json({ type: "object", additionalProperties: false, required: ["hazardLogId", "title"], properties: { hazardLogId: uuid, title: { type: "string", maxLength: 200 } } }) },
        responses: { "201": ok("The new case, in draft", ref("SafetyCase")), "400": err("Bad input"), "403": err("Not the owning organisation's CSO"), "404": err("No such readable log"), ...STD_ERRORS },
      },
    },
    "/api/v1/safety-cases/{id}": {
      get: { summary: "A safety case", parameters: [idParam("id")], responses: { "200": ok("The case", ref("SafetyCase")), "404": err("No such readable case"), ...STD_ERRORS } },
    },
    "/api/v1/safety-cases/{id}/events": {
      post: {
        summary: "Send a workflow event (SUBMIT, SIGN, REQUEST_CHANGES, EDIT_SIGNATORIES)",
        description: "The case's state machine decides. SUBMIT freezes a baseline; SIGN needs the password again and a meaning and binds to the baseline's SHA-256; the last required signature approves the case. One transaction with the audit entry.",
        parameters: [idParam("id")],
        requestBody: { required: true, content: json(ref("CaseEvent")) },
        responses: {
          "200": ok("The case after the event", ref("SafetyCase")),
          "400": err("Bad input (error.fields)"),
          "401": err("Not signed in, or re-authentication failed (wrong password on SIGN): nothing recorded"),
          "403": err("The caller's role may not send this event on this case"),
          "404": err("No such readable case"),
          "409": err("Stale expectedVersion: error.current holds the current case"),
          "422": err("Not allowed in the current state, or already done by this signer"),
          "429": err("Too many failed password attempts"),
        },
      },
    },
  },
  { SafetyCase, Signature, CaseEvent, LogIssue },
);
