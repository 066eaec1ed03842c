// The SessionUser of a demo account, for calling report services directly.
import { eq } from "drizzle-orm";
import type { Db } from "#db/client.ts";
import { users } from "#db/schema/index.ts";
import { loadMemberships, type SessionUser } from "#app/auth.server.ts";

export async function sessionUserFor(db: Db, email: string): Promise<SessionUser> {
  const [u] = await db.select().from(users).where(eq(users.email, email));
  const memberships = await loadMemberships(db, u.id);
  return { id: u.id, email: u.email, name: u.name, memberships, activeOrganisationId: memberships[0]?.organisationId ?? null, sessionIdHash: null };
}
