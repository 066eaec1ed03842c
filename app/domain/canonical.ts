// Canonical JSON (in the style of RFC 8785, JCS) so a hash means "this content", whatever key order
// the object was built or stored in (jsonb reorders keys). Used for the audit chain and for the
// baselines that safety-case signatures bind to.
import { createHash } from "node:crypto";

/**
 * Object keys sorted by UTF-16 code units (JavaScript's default string sort, as JCS requires), no
 * whitespace, arrays in order, `undefined` properties left out. Strings and numbers are written by
 * `JSON.stringify`, which is what JCS specifies. Anything that would not survive a JSON round trip
 * unchanged throws instead of hashing silently: non-finite numbers, Dates (they come back from
 * jsonb as strings; pass an ISO string), other class instances, bigint, functions, cycles.
 */
export function canonicalJson(value: unknown): string {
  return write(value, new Set(), "$");
}

function write(value: unknown, ancestors: Set<object>, path: string): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: non-finite number at ${path}`);
    return JSON.stringify(value);
  }
  if (typeof value !== "object") throw new TypeError(`canonicalJson: ${typeof value} at ${path} is not JSON`);
  if (value instanceof Date) throw new TypeError(`canonicalJson: Date at ${path}; pass an ISO string`);
  if (ancestors.has(value)) throw new TypeError(`canonicalJson: cycle at ${path}`);
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      // An undefined element has no JSON form (JSON.stringify would quietly write null).
      return `[${value.map((item, i) => write(item, ancestors, `${path}[${i}]`)).join(",")}]`;
    }
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      throw new TypeError(`canonicalJson: ${prototype?.constructor?.name ?? "object"} at ${path} is not a plain object`);
    }
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${write(record[key], ancestors, `${path}.${key}`)}`);
    return `{${members.join(",")}}`;
  } finally {
    ancestors.delete(value);
  }
}

/** Lower-case hex SHA-256 of the text's UTF-8 bytes. */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

export function hashCanonical(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
