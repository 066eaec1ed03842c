// One error type for expected refusals: a user-facing message, an HTTP status and, for forms and
// the API, per-field messages. Never patient data, tokens or SQL in it.
export type ErrorCode =
  | "bad_request" | "unauthorised" | "forbidden" | "not_found" | "stale_version" | "too_large"
  | "unsupported_type" | "not_allowed" | "import_errors" | "too_many_requests" | "integrity_failed";

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400, unauthorised: 401, forbidden: 403, not_found: 404, stale_version: 409, too_large: 413,
  unsupported_type: 415, not_allowed: 422, import_errors: 422, too_many_requests: 429,
  integrity_failed: 422,
};

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: { fields?: Record<string, string>; current?: unknown; rows?: unknown[]; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

export const notFound = (what = "Page") => new AppError("not_found", `${what} not found`);
export const forbidden = (message = "You do not have permission to do that") => new AppError("forbidden", message);

/** zod issues → { "a.b": "message" } with the path of each field. */
export function fieldErrors(issues: { path: PropertyKey[]; message: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of issues) {
    const key = i.path.map(String).join(".") || "body";
    out[key] ??= i.message;
  }
  return out;
}
