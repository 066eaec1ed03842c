// The OpenAPI 3.1 document of /api/v1: every endpoint, field and error. Kept beside the routes it
// describes; a test checks every API route file has an entry here.
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ "application/json": { schema } });
const err = (description: string) => ({ description, content: json(ref("Error")) });
const ok = (description: string, schema: unknown) => ({ description, content: json(schema) });
const uuid = { type: "string", format: "uuid" };
const STD_ERRORS = { "401": err("Not signed in, or the token is unknown, expired or revoked"), "429": err("Too many requests") };
const idParam = (name: string) => ({ name, in: "path", required: true, schema: uuid });

const severity = { type: "string", enum: ["minor", "significant", "considerable", "major", "catastrophic"] };
const likelihood = { type: "string", enum: ["very_low", "low", "medium", "high", "very_high"] };

export const openApiDocument = {
  openapi: "3.1.0",
  info: {
    title: "Clinical safety workflow API",
    version: "1.0.0",
    description: "Hazard logs (DCB0129/DCB0160), safety cases and sign-off. Authenticate with `Authorization: Bearer <token>` from POST /api/v1/tokens, or the browser session cookie (state-changing calls then need a same-origin `Origin` header). Risk ratings are always computed by the server from the risk matrix and never accepted as input.",
  },
  servers: [{ url: "/" }],
  components: {
    securitySchemes: { bearer: { type: "http", scheme: "bearer" }, cookie: { type: "apiKey", in: "cookie", name: "__session" } },
    schemas: {
      Error: {
        type: "object",
        required: ["error"],
        properties: {
          error: {
            type: "object",
            required: ["code", "message"],
            properties: {
              code: { type: "string", enum: ["bad_request", "unauthorised", "forbidden", "not_found", "stale_version", "too_large", "unsupported_type", "not_allowed", "import_errors", "too_many_requests", "integrity_failed", "internal"] },
              message: { type: "string" },
              fields: { type: "object", additionalProperties: { type: "string" }, description: "Per-field messages (400)" },
              current: { description: "The current object (409)" },
              rows: { type: "array", items: { type: "object", properties: { row: { type: "integer" }, column: { type: "string" }, message: { type: "string" } } } },
            },
          },
        },
      },
      Organisation: { type: "object", required: ["id", "name", "kind"], properties: { id: uuid, name: { type: "string" }, kind: { type: "string", enum: ["icb", "supplier", "deployer"] } } },
      Role: { type: "string", enum: ["cso", "contributor", "approver", "viewer", "admin"] },
      HazardLog: {
        type: "object",
        required: ["id", "title", "standard", "scope", "organisation", "platform", "canEdit"],
        properties: {
          id: uuid,
          title: { type: "string" },
          standard: { type: "string", enum: ["DCB0129", "DCB0160"] },
          scope: { type: "string", enum: ["platform", "shared", "local"] },
          organisation: { type: "object", properties: { id: uuid, name: { type: "string" } } },
          platform: { type: "object", properties: { id: uuid, name: { type: "string" } } },
          canEdit: { type: "boolean", description: "Whether the caller may raise and edit hazards in this log" },
        },
      },
      Severity: severity,
      Likelihood: likelihood,
    } as Record<string, unknown>,
  },
  security: [{ bearer: [] }, { cookie: [] }],
  paths: {
    "/healthz": {
      get: { summary: "Health check", security: [], responses: { "200": ok("The database answers", { type: "object", properties: { status: { const: "ok" } } }), "503": ok("The database does not answer", { type: "object" }) } },
    },
    "/api/v1/openapi.json": { get: { summary: "This document", security: [], responses: { "200": ok("OpenAPI 3.1 document", { type: "object" }) } } },
    "/api/v1/tokens": {
      post: {
        summary: "Create an API token",
        description: "Wrong or unknown credentials answer 401 with the same body. Repeated failures answer 429, counted per account and per client. Tokens expire after 90 days and can be revoked from the settings page.",
        security: [],
        requestBody: { required: true, content: json({ type: "object", additionalProperties: false, required: ["email", "password"], properties: { email: { type: "string" }, password: { type: "string" }, name: { type: "string", maxLength: 100 } } }) },
        responses: { "201": ok("Created; the token is shown only once", { type: "object", required: ["token", "expiresAt"], properties: { token: { type: "string" }, expiresAt: { type: "string", format: "date-time" } } }), "400": err("Bad input"), ...STD_ERRORS },
      },
    },
    "/api/v1/me": {
      get: {
        summary: "The caller and their memberships",
        responses: {
          "200": ok("The caller", { type: "object", properties: { user: { type: "object", properties: { id: uuid, email: { type: "string" }, name: { type: "string" } } }, memberships: { type: "array", items: { type: "object", properties: { organisation: ref("Organisation"), role: ref("Role") } } } } }),
          ...STD_ERRORS,
        },
      },
    },
    "/api/v1/risk-matrix": {
      get: {
        summary: "The risk matrix (NHS scheme of domain reference §4.3)",
        responses: {
          "200": ok("Severity and likelihood codes, the rating of each cell (likelihood → severity → 1..5) and the acceptability text of each rating", {
            type: "object",
            properties: {
              scheme: { type: "object", properties: { id: uuid, name: { type: "string" }, version: { type: "integer" } } },
              severities: { type: "array", items: severity },
              likelihoods: { type: "array", items: likelihood },
              rating: { type: "object", additionalProperties: { type: "object", additionalProperties: { type: "integer", minimum: 1, maximum: 5 } } },
              acceptability: { type: "object", additionalProperties: { type: "string" } },
              labels: { type: "object", additionalProperties: { type: "string" } },
              colours: { type: "object", additionalProperties: { type: "string" } },
            },
          }),
          ...STD_ERRORS,
        },
      },
    },
    "/api/v1/hazard-logs": {
      get: { summary: "Hazard logs the caller may read", responses: { "200": ok("Readable logs only", { type: "object", properties: { items: { type: "array", items: ref("HazardLog") } } }), ...STD_ERRORS } },
    },
  } as Record<string, unknown>,
};

export { idParam, ok, err, json, ref, STD_ERRORS, uuid };

/** Later features add their paths and schemas here. */
export function registerPaths(paths: Record<string, unknown>, schemas: Record<string, unknown> = {}) {
  Object.assign(openApiDocument.paths, paths);
  Object.assign(openApiDocument.components.schemas, schemas);
}
