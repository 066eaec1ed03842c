// Paging of GET /api/v1/platforms/{id}/rollup: `limit` lines a page (1–100, default 50, larger
// values clamped, as the hazard list) and an opaque `cursor`, the `nextCursor` of the page before.
// The cursor holds the position of the next line (base64url JSON); clients never read it.
import { z } from "zod";
import { AppError, fieldErrors } from "./errors.server.ts";

export const ROLLUP_PAGE_DEFAULT = 50;
export const ROLLUP_PAGE_MAX = 100;

const Query = z.object({
  limit: z
    .string()
    .regex(/^-?\d+$/, `must be a whole number from 1 to ${ROLLUP_PAGE_MAX}`)
    .transform((s) => Math.min(ROLLUP_PAGE_MAX, Math.max(1, Number(s))))
    .optional(),
  cursor: z.string().max(200).optional(),
});
const Wire = z.object({ o: z.number().int().min(0).max(10_000_000) });

const encode = (offset: number) => Buffer.from(JSON.stringify({ o: offset })).toString("base64url");

export function parseRollupPaging(params: URLSearchParams) {
  const raw: Record<string, string> = {};
  for (const k of ["limit", "cursor"]) if (params.get(k)) raw[k] = params.get(k)!;
  const parsed = Query.safeParse(raw);
  if (!parsed.success) throw new AppError("bad_request", "Some query parameters are not valid", { fields: fieldErrors(parsed.error.issues) });
  const limit = parsed.data.limit ?? ROLLUP_PAGE_DEFAULT;
  let offset = 0;
  if (parsed.data.cursor) {
    try {
      offset = Wire.parse(JSON.parse(Buffer.from(parsed.data.cursor, "base64url").toString("utf8"))).o;
    } catch {
      throw new AppError("bad_request", "Some query parameters are not valid", { fields: { cursor: "is not a cursor this API gave out" } });
    }
  }
  return { limit, offset, nextCursor: (total: number) => (offset + limit < total ? encode(offset + limit) : null) };
}
