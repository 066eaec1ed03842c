// Text a user sends may hold any Unicode except U+0000: PostgreSQL's text type cannot store NUL, so
// a NUL is refused as bad input (400 naming the field) before it reaches the database.
export const NUL_MESSAGE = "must not contain the NUL character (U+0000)";

export const hasNoNul = (s: string) => !s.includes("\u0000");

/** Every string in `value` (objects and arrays walked) holding a NUL, keyed by its path ("causes.0"). */
export function nulFields(value: unknown, path: (string | number)[] = [], out: Record<string, string> = {}, depth = 0): Record<string, string> {
  if (depth > 64) return out; // bodies are size-limited and parsed already; this only bounds the walk
  if (typeof value === "string") {
    if (!hasNoNul(value)) out[path.join(".") || "body"] ??= NUL_MESSAGE;
  } else if (Array.isArray(value)) value.forEach((v, i) => nulFields(v, [...path, i], out, depth + 1));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) {
    if (!hasNoNul(k)) out[[...path, k.replace(/\u0000/g, "\\u0000")].join(".")] ??= NUL_MESSAGE;
    nulFields(v, [...path, k], out, depth + 1);
  }
  return out;
}
