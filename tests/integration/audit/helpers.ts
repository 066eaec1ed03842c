// Calls the audit routes as the demo accounts: pages with a session cookie, the API with a token.
import { eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.ts";
import { hazards, organisations } from "#db/schema/index.ts";
import { startSession } from "#app/auth.server.ts";
import { loader as auditPage } from "#app/routes/audit.tsx";
import { loader as auditCsv } from "#app/routes/audit[.]csv.ts";
import { loader as verifyApi } from "#app/routes/api.v1.audit.verify.ts";
import { BASE, context, getRequest, settle, userId } from "#tests/support/requests.ts";

export async function sessionCookie(db: Db, email: string): Promise<string> {
  return (await startSession(new Request(BASE), await userId(db, email))).split(";")[0];
}

export async function organisationId(db: Db, slugPrefix: string): Promise<string> {
  const [o] = await db.select({ id: organisations.id }).from(organisations).where(sql`${organisations.slug} like ${`${slugPrefix}%`}`);
  if (!o) throw new Error(`no organisation ${slugPrefix}`);
  return o.id;
}

export async function hazardRef(db: Db, id: string) {
  const [h] = await db.select({ ref: hazards.ref }).from(hazards).where(eq(hazards.id, id));
  return h.ref;
}

export const openAuditPage = (cookie: string, query: string) =>
  settle(() => auditPage({ request: getRequest(`/audit?${query}`, { Cookie: cookie }), params: {}, context: context() } as never));

export const downloadCsv = (cookie: string, query: string) =>
  settle(() => auditCsv({ request: getRequest(`/audit.csv?${query}`, { Cookie: cookie }), params: {}, context: { ...context(), requestId: "csv-request" } } as never));

export const callVerify = (headers: Record<string, string>, query = "") =>
  settle(() => verifyApi({ request: getRequest(`/api/v1/audit/verify${query}`, headers), params: {}, context: context() } as never));

/** The database's own message for a refused statement (drizzle wraps it in a query error). */
export async function refusal(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause;
    return String(cause?.message ?? (error as Error).message);
  }
  return "not refused";
}
