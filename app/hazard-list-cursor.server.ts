// The list's paging cursor: opaque to clients (base64url JSON), holding the sort keys of the row at
// the page boundary (keyset paging), the direction, the sort it belongs to and a position used only
// for "Showing 51–100 of N".
import { z } from "zod";
import { AppError } from "./errors.server.ts";

export type Cursor = { sort: string; direction: "next" | "prev"; keys: (string | null)[]; position: number };

const Wire = z.object({
  s: z.string(),
  d: z.enum(["n", "p"]),
  k: z.array(z.string().max(400).nullable()).min(1).max(4),
  o: z.number().int().min(0),
});

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify({ s: c.sort, d: c.direction === "next" ? "n" : "p", k: c.keys, o: c.position })).toString("base64url");
}

const refuse = (message: string) => new AppError("bad_request", "Some query parameters are not valid", { fields: { cursor: message } });

/** The cursor, or null for the first page; 400 for one we did not give out or one of another sort. */
export function decodeCursor(cursor: string | undefined, sort: string): Cursor | null {
  if (!cursor) return null;
  let wire: z.infer<typeof Wire>;
  try {
    wire = Wire.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    throw refuse("is not a cursor this API gave out");
  }
  // A cursor holds the keys of one order; read under another it would skip or repeat hazards.
  if (wire.s !== sort) throw refuse(`belongs to the sort "${wire.s}": start again from the first page`);
  return { sort: wire.s, direction: wire.d === "n" ? "next" : "prev", keys: wire.k, position: wire.o };
}
