// OpenAPI entries for supplier evidence (issue 6): requests, uploads, the list on a control, review
// and the only download path.
import { err, idParam, json, ok, ref, registerPaths, STD_ERRORS, uuid } from "./openapi.ts";

const sha256 = { type: "string", pattern: "^[0-9a-f]{64}$", description: "SHA-256 of the bytes, taken while the upload streamed" };
const state = { type: "string", enum: ["submitted", "accepted", "rejected"], description: "submitted = awaiting the requesting CSO's review" };
const named = { type: "object", properties: { id: uuid, name: { type: "string" } } };
const TYPES = "pdf, docx, xlsx, csv, txt, png, jpg/jpeg: checked by extension AND content (docx/xlsx must be real OOXML packages without macros or a zip-bomb ratio; csv/txt strict UTF-8 without NUL bytes or markup). SVG, HTML and everything else are refused.";

const EvidenceSummary = {
  type: "object",
  required: ["id", "filename", "mediaType", "size", "sha256", "state"],
  properties: {
    id: uuid,
    filename: { type: "string", description: "The original name, sanitised (path, control and bidi characters removed; at most 120 characters): metadata only" },
    mediaType: { type: "string", description: "From the checked content, never from the client" },
    size: { type: "integer", minimum: 1 },
    sha256,
    state,
  },
};
const EvidenceItem = {
  allOf: [
    ref("EvidenceSummary"),
    {
      type: "object",
      properties: {
        controlId: uuid, requestId: { type: ["string", "null"], format: "uuid" }, description: { type: "string" }, link: { type: ["string", "null"], format: "uri" },
        organisation: named, uploadedBy: named, uploadedAt: { type: "string", format: "date-time" },
        review: { type: ["object", "null"], properties: { by: named, at: { type: "string", format: "date-time" }, reason: { type: ["string", "null"] } } },
        integrityFailed: { type: "boolean", description: "The stored bytes no longer match sha256: the file is not served" },
      },
    },
  ],
};
const errors413415 = {
  "413": err("The file is larger than EVIDENCE_MAX_BYTES (checked while streaming; nothing kept)"),
  "415": err(`File type refused. ${TYPES}`),
  "429": err("Too many evidence uploads by this user: UPLOAD_RATE_LIMIT per UPLOAD_RATE_WINDOW_SECONDS (default 30 per 10 minutes); see Retry-After. Checked before the body is read"),
};

registerPaths(
  {
    "/api/v1/controls/{id}/evidence": {
      get: {
        summary: "Every evidence item of a control, newest first (rejected ones too: history is kept)",
        parameters: [idParam("id")],
        responses: { "200": ok("Items", { type: "object", properties: { items: { type: "array", items: ref("EvidenceItem") } } }), "404": err("No such control readable by the caller"), ...STD_ERRORS },
      },
      post: {
        summary: "Upload one evidence file for a control (a contributor or CSO of the organisation asked, or of the control's owner)",
        parameters: [idParam("id")],
        requestBody: {
          required: true,
          content: {
            "multipart/form-data": {
              schema: {
                type: "object",
                required: ["file", "description"],
                properties: {
                  file: { type: "string", format: "binary", description: TYPES },
                  description: { type: "string", maxLength: 4000 },
                  requestId: { type: "string", format: "uuid", description: "The open evidence request this answers" },
                  link: { type: "string", format: "uri", description: "Optional external link: http or https only" },
                },
              },
            },
          },
        },
        responses: {
          "201": ok("Stored and recorded", ref("EvidenceSummary")),
          "400": err("Bad input: no file, an empty file, a missing description, a bad link or requestId"),
          "403": err("The caller's organisation was not asked for this evidence, or its role may not upload"),
          "404": err("No such control readable by the caller"),
          "422": err("The request has already been fulfilled"),
          ...STD_ERRORS,
          ...errors413415, // after STD_ERRORS: its 429 names the upload limit
        },
      },
    },
    "/api/v1/controls/{id}/evidence-requests": {
      post: {
        summary: "Request evidence for a control from an organisation (CSO of a log showing the control)",
        parameters: [idParam("id")],
        requestBody: { required: true, content: json({ type: "object", additionalProperties: false, required: ["fromOrganisationId", "description"], properties: { fromOrganisationId: uuid, description: { type: "string", maxLength: 2000 }, dueDate: { type: "string", format: "date" } } }) },
        responses: {
          "201": ok("The request", { type: "object", properties: { id: uuid, controlId: uuid, fromOrganisationId: uuid, description: { type: "string" }, dueDate: { type: ["string", "null"], format: "date" }, state: { type: "string", enum: ["open", "fulfilled"] } } }),
          "400": err("Bad input, or an organisation that cannot see the control"), "403": err("Not a CSO of a log showing this control"), "404": err("No such readable control"), ...STD_ERRORS,
        },
      },
    },
    "/api/v1/evidence/{id}/review": {
      post: {
        summary: "Accept, or reject with a reason, an item awaiting review (the requesting organisation's CSO; the control's log owner's CSO for items sent without a request)",
        parameters: [idParam("id")],
        requestBody: { required: true, content: json({ type: "object", additionalProperties: false, required: ["decision"], properties: { decision: { type: "string", enum: ["accept", "reject"] }, reason: { type: "string", maxLength: 2000, description: "Required to reject" } } }) },
        responses: { "200": ok("After the review", ref("EvidenceSummary")), "400": err("Bad input (a rejection needs a reason)"), "403": err("Not the reviewer"), "404": err("No such readable evidence"), "422": err("Already reviewed"), ...STD_ERRORS },
      },
    },
    "/api/v1/evidence/{id}/file": {
      get: {
        summary: "Download the file as an attachment (Content-Disposition with RFC 6266 filename*, X-Content-Type-Options: nosniff, Content-Security-Policy: sandbox). Each download is audited.",
        parameters: [idParam("id")],
        responses: {
          "200": { description: "The bytes, after their SHA-256 was checked", content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } } },
          "404": err("No such evidence readable by the caller"),
          "422": err("Integrity check failed (code integrity_failed): the stored bytes no longer match the recorded SHA-256, so the file is not served"),
          ...STD_ERRORS,
        },
      },
    },
  },
  { EvidenceSummary, EvidenceItem },
);
