// The home page: my organisations and roles, and the hazard logs the active organisation reads.
import type { SessionUser } from "./auth.server.ts";
import { countHazards, listReadableLogs } from "./hazard-logs.server.ts";

export async function loadHome(user: SessionUser) {
  const active = user.memberships.find((m) => m.organisationId === user.activeOrganisationId) ?? null;
  const logs = active ? await listReadableLogs(user, [active]) : [];
  const counts = await countHazards(logs.map((l) => l.id));
  return { active, logs: logs.map((l) => ({ ...l, counts: counts[l.id] })) };
}
