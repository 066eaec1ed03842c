// Canonical JSON (in the style of RFC 8785, JCS) so a hash means "this content", whatever key order
// the object was built or stored in (jsonb reorders keys). Used for the audit chain and for the
// baselines that safety-case signatures bind to.
import * as crypto from "node:crypto";

/**
 * Object keys sorted by UTF-16 code units (JavaScript's default string sort, as JCS requires), no
 * whitespace, arrays in order, `undefined` properties left out. Strings and numbers are written by
 * `JSON.stringify`, which is what JCS specifies. Anything that would not survive a JSON round trip
 * unchanged throws instead of hashing silently: non-finite numbers, Dates (they come back from
 * jsonb as strings; pass an ISO string), other class instances, bigint, functions, cycles.
 */
export function canonicalJson(value: unknown): string {
  // The fast writer covers every value that has a canonical form; on anything else it gives up and
  // the careful writer below, which tracks where it is, throws the error naming the place.
  try {
    return writeFast(value, 0);
  } catch (error) {
    if (error !== GIVE_UP) throw error;
    return write(value, new Set(), "$");
  }
}

const GIVE_UP = Symbol("not plain JSON");
/** Deeper than this is treated as a possible cycle and handed to the careful writer to decide. */
const MAX_FAST_DEPTH = 200;

/**
 * The same output as `write`, without the cycle set and path strings it keeps for its messages
 * (they were most of the cost of verifying an audit chain, 500,000 entries in the benchmark).
 */
function writeFast(value: unknown, depth: number): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null) return "null";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw GIVE_UP;
    return JSON.stringify(value);
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value !== "object" || depth > MAX_FAST_DEPTH) throw GIVE_UP;
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item === undefined) throw GIVE_UP;
      out += (i === 0 ? "" : ",") + writeFast(item, depth + 1);
    }
    return out + "]";
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) throw GIVE_UP;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = "{";
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const item = record[key];
    if (item === undefined) continue;
    out += (first ? "" : ",") + quotedKey(key) + ":" + writeFast(item, depth + 1);
    first = false;
  }
  return out + "}";
}

// Entries of one kind share their keys: quoting each key once saves a JSON.stringify per member.
const quotedKeys = new Map<string, string>();
function quotedKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < 1000) quotedKeys.set(key, quoted);
  }
  return quoted;
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
  // crypto.hash (Node 20.12+) is the one-shot form, about twice as fast for short texts as a Hash object.
  return typeof crypto.hash === "function" ? crypto.hash("sha256", text, "hex") : crypto.createHash("sha256").update(text, "utf8").digest("hex");
}

export function hashCanonical(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
