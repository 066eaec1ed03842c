// Row-level security, the second line behind app/domain/permissions.ts (db/schema/rls.ts, migration
// 0005): the app acts as a role that owns no table and cannot bypass the policies, and a query with
// no application filter at all, run as a signed-in caller, sees exactly the logs and hazards
// permissions.ts lets that caller read; the unrelated supplier sees nothing of the platform.
// Runs on PGlite (npm test) and PostgreSQL (npm run test:pg).
import { sql } from "drizzle-orm";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS } from "#db/seed.ts";
import { currentCaller, runInRequestScope } from "#db/request-scope.ts";
import { actingAsCaller } from "#app/auth.server.ts";
import { canReadLog } from "#app/domain/permissions.ts";
import { loadLogsWithFacts } from "#app/permissions.server.ts";
import { loader as hazardLogsApi } from "#app/routes/api.v1.hazard-logs.ts";
import { closeTestDb, openTestDb, queryRows, testDbKind, type Db } from "#tests/setup/test-db.ts";
import { bearer, BASE, context, sessionUserFor } from "#tests/support/requests.ts";

let db: Db;
beforeAll(async () => ({ db } = await openTestDb()));
afterAll(closeTestDb);

const TENANT_TABLES = [
  "hazard_logs", "hazards", "hazard_versions", "controls", "hazard_controls", "safety_cases", "signatures", "baselines",
  "log_issues", "incidents", "evidence_requests", "evidence", "import_previews", "audit_entries",
];

/** Runs `fn` as a signed-in request of `email` would: in a request scope, with that caller set. */
async function asCaller<T>(email: string, fn: () => Promise<T>): Promise<T> {
  const user = await sessionUserFor(db, email);
  return runInRequestScope(async () => {
    actingAsCaller(user);
    return fn();
  });
}

const count = async (table: string) => Number((await queryRows<{ n: number }>(db, sql.raw(`select count(*)::int as n from ${table}`)))[0].n);

describe("the app's database role", () => {
  it("is cswf_app: not a superuser, cannot bypass row-level security, owns no tenant table", async () => {
    const [me] = await queryRows<{ current_user: string; rolsuper: boolean; rolbypassrls: boolean }>(
      db,
      sql`select current_user, r.rolsuper, r.rolbypassrls from pg_roles r where r.rolname = current_user`,
    );
    expect(me).toEqual({ current_user: "cswf_app", rolsuper: false, rolbypassrls: false });
    const tables = await queryRows<{ relname: string; owner: string; rls: boolean; policies: number }>(
      db,
      sql`select c.relname, pg_get_userbyid(c.relowner) as owner, c.relrowsecurity as rls,
            (select count(*)::int from pg_policy p where p.polrelid = c.oid) as policies
          from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'public' and c.relkind = 'r'`,
    );
    expect(tables.filter((t) => t.owner === "cswf_app")).toEqual([]);
    const tenant = tables.filter((t) => TENANT_TABLES.includes(t.relname));
    expect(tenant.map((t) => t.relname).sort()).toEqual([...TENANT_TABLES].sort());
    for (const t of tenant) expect({ table: t.relname, rls: t.rls, policies: t.policies }).toEqual({ table: t.relname, rls: true, policies: 1 });
  });

  it("runs without JIT compilation on PostgreSQL (short queries; a compile cost ~130 ms on a large roll-up)", async () => {
    const [row] = await queryRows<{ jit: string }>(db, sql`select current_setting('jit') as jit`);
    if (testDbKind() === "postgres") expect(row.jit).toBe("off");
    else expect(["on", "off"]).toContain(row.jit); // PGlite is built without LLVM: the setting does nothing there
  });

  it("may not truncate or change the schema", async () => {
    await expect(db.execute(sql`truncate hazards cascade`)).rejects.toThrow();
    await expect(db.execute(sql`alter table hazards disable row level security`)).rejects.toThrow();
  });
});

describe("a query bypassing the application filter, as each demo account", () => {
  const emails = [...new Set(DEMO_ACCOUNTS.map((a) => a.email))];

  it.each(emails)("%s sees exactly the logs and hazards permissions.ts lets it read", async (email) => {
    const user = await sessionUserFor(db, email);
    // The application's rule, evaluated by the service (no caller: every row).
    const logs = await loadLogsWithFacts(db);
    const readable = logs.filter((l) => canReadLog(user.memberships, l.facts)).map((l) => l.id).sort();
    const hazardsByLog = await queryRows<{ id: string; n: number }>(db, sql`select hazard_log_id as id, count(*)::int as n from hazards group by hazard_log_id`);
    const expectedHazards = hazardsByLog.filter((r) => readable.includes(r.id)).reduce((sum, r) => sum + r.n, 0);

    const seen = await asCaller(email, async () => ({
      logs: (await queryRows<{ id: string; organisation_id: string }>(db, sql`select id, organisation_id from hazard_logs`)).map((r) => r.id).sort(),
      hazards: await count("hazards"),
      // Even naming another organisation's log outright finds nothing.
      unreadable: await queryRows(db, sql`select id from hazards where hazard_log_id = any(${`{${logs.map((l) => l.id).filter((id) => !readable.includes(id)).join(",")}}`}::uuid[])`),
    }));
    expect(seen.logs).toEqual(readable);
    expect(seen.hazards).toBe(expectedHazards);
    expect(seen.unreadable).toEqual([]);
  });

  it("the unrelated supplier sees no platform row in any tenant table", async () => {
    const counts = await asCaller("cso@othersupplier.example", async () => Object.fromEntries(await Promise.all(TENANT_TABLES.map(async (t) => [t, await count(t)] as const))));
    expect(counts).toEqual(Object.fromEntries(TENANT_TABLES.map((t) => [t, 0])));
    // ...while the service (no caller) sees the platform.
    expect(await count("hazards")).toBeGreaterThan(0);
    expect(await count("hazard_versions")).toBeGreaterThan(0);
  });

  it("a trust sees neither the other trust's local log nor its hazards", async () => {
    const [northcliffLog] = await queryRows<{ id: string }>(db, sql`select l.id from hazard_logs l join organisations o on o.id = l.organisation_id where o.slug = 'northcliff'`);
    const seen = await asCaller("cso@harbourside.example", async () => ({
      log: await queryRows(db, sql`select id from hazard_logs where id = ${northcliffLog.id}`),
      hazards: await queryRows(db, sql`select id from hazards where hazard_log_id = ${northcliffLog.id}`),
      versions: await queryRows(db, sql`select v.id from hazard_versions v join hazards h on h.id = v.hazard_id where h.hazard_log_id = ${northcliffLog.id}`),
    }));
    expect(seen).toEqual({ log: [], hazards: [], versions: [] });
  });

  it("the log search function (migration 0009) answers a log's matching own hazards only to a caller who may read that log", async () => {
    const [northcliffLog] = await queryRows<{ id: string }>(db, sql`select l.id from hazard_logs l join organisations o on o.id = l.organisation_id where o.slug = 'northcliff'`);
    const search = () => queryRows<{ ids: string[] }>(db, sql`select cswf_log_search(${northcliffLog.id}, '%') as ids`).then(([r]) => [...r.ids].sort());
    // The service and the trust itself find every own (not inherited) hazard of the log; another trust finds nothing.
    const all = (await queryRows<{ id: string }>(db, sql`select id from hazards where hazard_log_id = ${northcliffLog.id} and upstream_hazard_id is null`)).map((r) => r.id).sort();
    expect(all.length).toBeGreaterThan(0);
    expect(await search()).toEqual(all);
    expect(await asCaller("cso@northcliff.example", search)).toEqual(all);
    expect(await asCaller("cso@harbourside.example", search)).toEqual([]);
    expect(await asCaller("cso@othersupplier.example", search)).toEqual([]);
  });

  it("a request scope with no caller yet (signed out) reads no tenant row", async () => {
    expect(await runInRequestScope(() => count("hazard_logs"))).toBe(0);
  });

  it("a failing query as a caller leaves no transaction or caller behind on the connection (PostgreSQL sends it as one pipeline)", async () => {
    const all = await count("hazard_logs");
    const trust = await asCaller("cso@harbourside.example", () => count("hazard_logs"));
    expect(trust).toBeGreaterThan(0);
    expect(trust).toBeLessThan(all);
    for (let round = 0; round < 3; round++) {
      // Many at once, so every pooled connection has had a failed pipeline.
      const failures = await asCaller("cso@harbourside.example", () => Promise.allSettled(Array.from({ length: 12 }, () => queryRows(db, sql`select 1 / 0`))));
      expect(failures.map((r) => (r.status === "rejected" ? String((r.reason as { cause?: unknown }).cause ?? r.reason) : "fulfilled")).filter((m) => !/division by zero/.test(m))).toEqual([]);
      // Afterwards: the service still sees every log, each caller exactly their own, and nothing is left open.
      expect(await Promise.all(Array.from({ length: 12 }, () => count("hazard_logs")))).toEqual(Array(12).fill(all));
      expect(await asCaller("cso@harbourside.example", () => Promise.all(Array.from({ length: 12 }, () => count("hazard_logs"))))).toEqual(Array(12).fill(trust));
      const open = await asCaller("cso@harbourside.example", () => Promise.all(Array.from({ length: 12 }, () => queryRows<{ setting: string | null }>(db, sql`select current_setting('cswf.caller_orgs', true) as setting`))));
      expect(open.every(([r]) => r.setting !== "" && r.setting !== null)).toBe(true);
      const service = await Promise.all(Array.from({ length: 12 }, () => queryRows<{ setting: string | null; tx: string }>(db, sql`select coalesce(current_setting('cswf.caller_orgs', true), '') as setting, now()::text as tx`)));
      expect(service.every(([r]) => r.setting === "")).toBe(true);
    }
  });
});

describe("the request path", () => {
  it("server/start.js's middleware keeps the scope through compression, static files and the route, which names the caller", async () => {
    const express = (await import("express")).default;
    const compression = (await import("compression")).default;
    const { requestScope } = await import("../../../server/request-scope.js");
    const entry = await import("#app/entry.server.tsx");
    const headers = await bearer(db, "cso@harbourside.example");
    const user = await sessionUserFor(db, "cso@harbourside.example");
    const readable = (await loadLogsWithFacts(db)).filter((l) => canReadLog(user.memberships, l.facts)).map((l) => l.id).sort();
    // The same order of middleware as server/start.js; a static folder that misses, so the request
    // reaches the route through an fs callback, as every page and API call does.
    const app = express();
    app.use(compression());
    app.use(requestScope(entry));
    app.use(express.static(join(tmpdir(), "cswf-no-such-static-folder")));
    app.get("/probe", (req, res, next) => {
      void (async () => {
        const response = await hazardLogsApi({ request: new Request(`${BASE}/api/v1/hazard-logs`, { headers }), params: {}, context: context() } as never);
        const rows = await queryRows<{ id: string }>(db, sql`select id from hazard_logs`);
        res.json({ status: response.status, caller: currentCaller(), logs: rows.map((r) => r.id).sort() });
      })().catch(next);
    });
    const server = app.listen(0);
    try {
      const { port } = server.address() as AddressInfo;
      const body = await (await fetch(`http://127.0.0.1:${port}/probe`)).json();
      expect(body).toEqual({ status: 200, caller: user.memberships.map((m) => m.organisationId), logs: readable });
    } finally {
      server.close();
    }
  });

  it("requireApiUser names the caller in the request scope that server/start.js enters", async () => {
    const headers = await bearer(db, "cso@othersupplier.example");
    const user = await sessionUserFor(db, "cso@othersupplier.example");
    const { runInRequestScope: serverScope } = await import("#app/entry.server.tsx");
    const result = await serverScope(async () => {
      const response = await hazardLogsApi({ request: new Request(`${BASE}/api/v1/hazard-logs`, { headers }), params: {}, context: context() } as never);
      return { status: response.status, caller: currentCaller(), logs: await count("hazard_logs") };
    });
    expect(result).toEqual({ status: 200, caller: user.memberships.map((m) => m.organisationId), logs: 0 });
  });
});
