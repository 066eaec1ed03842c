// OpenAPI entry for the audit chain check (contract §4).
import { err, json, registerPaths, STD_ERRORS, uuid } from "./openapi.ts";

const ChainReport = {
  type: "object",
  required: ["organisation", "ok", "entries", "head", "firstBrokenAt", "problem"],
  properties: {
    organisation: { type: "object", required: ["id", "name"], properties: { id: uuid, name: { type: "string" } } },
    ok: { type: "boolean", description: "Every entry's hash, previous-hash link and sequence check out, and the chain head matches the last entry" },
    entries: { type: "integer", minimum: 0, description: "Entries checked (up to the chain head as read when the check started)" },
    head: { type: "string", pattern: "^[0-9a-f]{64}$", description: "SHA-256 of the last entry checked; 64 zeros for an empty chain" },
    firstBrokenAt: { type: ["integer", "null"], minimum: 1, description: "Sequence number of the first entry that is altered, missing or out of place; null when ok" },
    problem: { type: ["string", "null"], description: "What is wrong at firstBrokenAt, in words; null when ok" },
  },
};

registerPaths(
  {
    "/api/v1/audit/verify": {
      get: {
        summary: "Recompute an organisation's audit chain",
        description:
          "Each entry's hash is SHA-256 of the previous entry's hash followed by the entry's canonical JSON (sorted keys, no whitespace); the chain is recomputed in sequence order. For clinical safety officers, approvers and viewers of that organisation.",
        parameters: [{ name: "organisationId", in: "query", required: false, schema: uuid, description: "One of the caller's organisations; default the active one (for a bearer token, the first by name)" }],
        responses: {
          "200": { description: "The chain report (a broken chain is still 200, with ok false)", content: json(ChainReport) },
          "400": err("organisationId is not an id"),
          "403": err("The caller's role in that organisation may not read its audit trail"),
          "404": err("The caller is not a member of that organisation"),
          ...STD_ERRORS,
        },
      },
    },
  },
  { AuditChainReport: ChainReport },
);
