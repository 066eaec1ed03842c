// Links of the log page: the current query with some parameters changed. Any change of filter or
// sort goes back to the first page (a cursor belongs to the order it was made under).

/** `path?…` with each change applied to `current` (null removes the parameter) and no cursor. */
export function withParams(path: string, current: URLSearchParams | string, changes: Record<string, string | null>): string {
  const next = new URLSearchParams(current);
  next.delete("cursor");
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) next.delete(k);
    else next.set(k, v);
  }
  const s = next.toString();
  return s ? `${path}?${s}` : path;
}

/** `path?…` for another page of the same query. */
export function withCursor(path: string, current: URLSearchParams | string, cursor: string): string {
  const next = new URLSearchParams(current);
  next.set("cursor", cursor);
  return `${path}?${next.toString()}`;
}
