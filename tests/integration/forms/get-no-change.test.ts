// "No state change on GET": every route with a loader (the route inventory), called with GET as a
// signed-in CSO (the session cookie for pages, a bearer token for the API), leaves every table's
// row count and every audit chain head as it was.
//
// Allowed, and why: sessions' last_seen_at and api_tokens' last_used_at are touched by reads (an
// UPDATE, not a new row: the idle timeout needs it). Exports and downloads are themselves recorded
// in the audit chain by requirement (README "Decisions": every export is audited, `/audit.csv` is
// recorded, evidence downloads are audited), so on those routes the audit chain may grow and
// nothing else may change.
import { randomUUID } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { closeTestDb, openTestDb, type Db } from "#tests/setup/test-db.ts";
import { dbSnapshot } from "#tests/support/db-snapshot.ts";
import { BASE, bearer, context, settle, sessionUserFor, userId } from "#tests/support/requests.ts";
import { controls, evidence, hazardLogs, hazards, platforms } from "#db/schema/index.ts";
import { startSession } from "#app/auth.server.ts";
import { createSafetyCase } from "#app/safety-cases.server.ts";
import { ACCESS_TABLE, type Subject } from "../access/access-table.ts";
import { inventory, loadRoutes } from "../access/route-inventory.ts";

let db: Db;
beforeAll(async () => ({ db } = await openTestDb()));
afterAll(closeTestDb);

const AUDITED_READS = new Set(["api.v1.hazard-logs.$id.export", "audit[.]csv", "api.v1.evidence.$id.file"]);
const CSO = "cso@icb.example";

test("GET on every page and API route changes no table's rows and no audit chain head", async () => {
  const [log] = await db.select().from(hazardLogs).where(eq(hazardLogs.title, "Wessex Shared EPR — ICB shared DCB0160 hazard log"));
  const [hazard] = await db.select().from(hazards).where(and(eq(hazards.hazardLogId, log.id), isNull(hazards.upstreamHazardId))).limit(1);
  const [platform] = await db.select().from(platforms);
  const safetyCase = await createSafetyCase(await sessionUserFor(db, CSO), { hazardLogId: log.id, title: "GET probe case" }, null);
  const [control] = await db.select().from(controls).where(eq(controls.hazardLogId, log.id)).limit(1);
  const [anyEvidence] = await db.select({ id: evidence.id }).from(evidence).limit(1);
  const subjectId: Record<Subject, string> = {
    none: randomUUID(),
    log: log.id,
    hazard: hazard.id,
    case: safetyCase.id,
    platform: platform.id,
    organisation: "wessex-coast-icb",
    control: control.id,
    evidence: anyEvidence?.id ?? randomUUID(), // the seed holds no evidence: the download then answers 404
  };
  const cookie = (await startSession(new Request(BASE), await userId(db, CSO))).split(";")[0];
  const auth = await bearer(db, CSO);
  const routes = await loadRoutes();
  const withLoader = (await inventory()).filter((r) => r.hasLoader);
  // Every loader is probed (the access table holds one GET probe per loader: inventory.test.ts).
  expect(withLoader.filter((r) => !ACCESS_TABLE[r.id]?.loader).map((r) => r.id)).toEqual([]);

  const changed: string[] = [];
  let before = await dbSnapshot(db);
  let n = 0;
  for (const { id } of withLoader) {
    const route = ACCESS_TABLE[id];
    const access = route.loader!;
    const c = { id: subjectId[access.subject], logId: log.id, caller: { email: CSO, firstOrganisationId: null }, n: ++n };
    const path = access.probe.path(c);
    const headers = route.api && !path.startsWith("/hazard-logs/") ? auth : { Cookie: cookie };
    const request = new Request(`${BASE}${path}`, { headers });
    const loader = routes.get(id)!.loader as (a: unknown) => Promise<unknown>;
    const response = await settle(() => loader({ request, params: { id: c.id, slug: c.id, "*": "no-such" }, context: context() })).catch((e: unknown) => new Response(String(e), { status: 500 }));
    await response.arrayBuffer().catch(() => undefined);
    expect(response.status, `GET ${path}`).toBeLessThan(500);
    const after = await dbSnapshot(db);
    const diff = Object.keys({ ...before, ...after }).filter((k) => before[k] !== after[k]);
    const allowed = AUDITED_READS.has(id) ? diff.filter((k) => k !== "audit_entries" && !k.startsWith("audit head ")) : diff;
    if (allowed.length) changed.push(`GET ${path} (${id}) changed ${allowed.map((k) => `${k}: ${before[k]} → ${after[k]}`).join(", ")}`);
    before = after;
  }
  expect(changed).toEqual([]);
  expect(n).toBeGreaterThan(25);
}, 300_000);
