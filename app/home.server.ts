// The home page: my organisations and roles, and the hazard logs the active organisation reads.
import type { SessionUser } from "./auth.server.ts";
import { canReadLog } from "./domain/permissions.ts";
import { countHazards, listReadableLogs } from "./hazard-logs.server.ts";
import { getDb } from "./db.server.ts";
import { loadLogsWithFacts } from "./permissions.server.ts";

export async function loadHome(user: SessionUser) {
  const active = user.memberships.find((m) => m.organisationId === user.activeOrganisationId) ?? null;
  const all = await listReadableLogs(user);
  const facts = await loadLogsWithFacts(await getDb(), all.map((l) => l.id));
  const visibleToActive = new Set(facts.filter((f) => active && canReadLog([active], f.facts)).map((f) => f.id));
  const logs = all.filter((l) => visibleToActive.has(l.id));
  const counts = await countHazards(logs.map((l) => l.id));
  return { active, logs: logs.map((l) => ({ ...l, counts: counts[l.id] })) };
}
