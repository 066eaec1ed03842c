// Security headers on every answer of the built server (server/start.js + server/security-headers.js):
// every GET route of the route inventory (pages, JSON API, CSV/xlsx/PDF downloads, evidence files,
// 405s and 404s) plus static assets, signed in and signed out, on a development instance and on a
// second instance started with NODE_ENV=production (SESSION_SECRET then required). Each answer must
// carry a CSP whose script-src has a per-request nonce and no 'unsafe-inline', frame-ancestors
// 'none', X-Content-Type-Options nosniff and a Referrer-Policy; HSTS only in production. Every
// inline <script> of an HTML page carries that answer's nonce. The session cookie is HttpOnly,
// SameSite=Lax, and Secure in production only.
import { randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCESS_TABLE, type ProbeContext, type Subject } from "../integration/access/access-table.ts";
import { routeFiles } from "../integration/access/route-inventory.ts";
import { signInOverHttp, startApp, type RunningApp } from "./harness.ts";

const SUPPLIER_LOG = "Wessex Shared EPR — DCB0129 hazard log";
const REFERRER_POLICIES = ["no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"];

type Ids = Record<Subject, string>;

/** Real objects for the probes: the supplier's log, a hazard and control of it, a case, an uploaded item. */
async function objects(app: RunningApp, cookie: string): Promise<Ids> {
  const h = { Cookie: cookie };
  const logs = (await (await fetch(`${app.baseUrl}/api/v1/hazard-logs`, { headers: h })).json()) as { items: { id: string; title: string; platform: { id: string } }[] };
  const log = logs.items.find((l) => l.title === SUPPLIER_LOG)!;
  const list = (await (await fetch(`${app.baseUrl}/api/v1/hazard-logs/${log.id}/hazards?limit=5`, { headers: h })).json()) as { items: { id: string; controls: { id: string; ownerOrganisationId: string }[] }[] };
  const hazard = list.items.find((x) => x.controls.length)!;
  const post = (path: string, body: BodyInit, type?: string) =>
    fetch(`${app.baseUrl}${path}`, { method: "POST", headers: { ...h, Origin: app.baseUrl, ...(type ? { "Content-Type": type } : {}) }, body });
  const created = await post("/api/v1/safety-cases", JSON.stringify({ hazardLogId: log.id, title: "Security headers case" }), "application/json");
  expect(created.status).toBe(201);
  const control = hazard.controls[0].id;
  const form = new FormData();
  form.set("description", "Security headers evidence");
  form.set("file", new Blob(["Test report: passed.\n"], { type: "text/plain" }), "report.txt");
  const uploaded = await post(`/api/v1/controls/${control}/evidence`, form);
  expect(uploaded.status).toBe(201);
  return {
    none: randomUUID(),
    log: log.id,
    hazard: hazard.id,
    case: ((await created.json()) as { id: string }).id,
    platform: log.platform.id,
    organisation: "acme-health",
    control,
    evidence: ((await uploaded.json()) as { id: string }).id,
  };
}

/** Every GET path: one per loader in the route inventory (through the access table's probes), downloads in each format, 404s, assets. */
function paths(ids: Ids): string[] {
  const out: string[] = [];
  for (const { id } of routeFiles()) {
    const loader = ACCESS_TABLE[id]?.loader;
    if (!loader) continue;
    const c: ProbeContext = { id: ids[loader.subject], logId: ids.log, caller: null, n: 1 };
    out.push(loader.probe.path(c));
  }
  const assets = readdirSync(fileURLToPath(new URL("../../build/client/assets/", import.meta.url)));
  out.push(
    `/api/v1/hazard-logs/${ids.log}/export?format=xlsx`,
    `/api/v1/hazard-logs/${ids.log}/export?format=csv`,
    `/hazard-logs/${randomUUID()}`,
    `/api/v1/hazards/${randomUUID()}`,
    `/api/v1/evidence/${randomUUID()}/file`,
    "/no/such/page",
    "/api/v1/no-such-endpoint",
    `/assets/${assets.find((f) => f.endsWith(".js"))}`,
    `/assets/${assets.find((f) => f.endsWith(".css"))}`,
    "/assets/no-such-file.js",
    "/nhsuk/nhsuk-frontend.min.css",
    "/favicon.ico",
  );
  return out;
}

type Checked = { answers: number; statuses: Record<string, number>; problems: string[]; nonces: string[] };

function directives(csp: string): Map<string, string[]> {
  // Several CSP headers arrive joined by ", "; each policy is enforced, so every directive counts.
  const out = new Map<string, string[]>();
  for (const policy of csp.split(","))
    for (const d of policy.split(";")) {
      const [name, ...values] = d.trim().split(/\s+/);
      if (name) out.set(name.toLowerCase(), [...(out.get(name.toLowerCase()) ?? []), ...values]);
    }
  return out;
}

async function sweep(app: RunningApp, list: string[], cookie: string | null, production: boolean, out: Checked, label: string) {
  for (const path of list) {
    const res = await fetch(`${app.baseUrl}${path}`, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
    const where = `${label} GET ${path} (${res.status})`;
    out.answers++;
    out.statuses[String(res.status)] = (out.statuses[String(res.status)] ?? 0) + 1;
    const problem = (text: string) => out.problems.push(`${where}: ${text}`);
    if (res.status >= 500) problem("5xx");
    const csp = res.headers.get("content-security-policy");
    let nonce: string | null = null;
    if (!csp) problem("no Content-Security-Policy");
    else {
      const d = directives(csp);
      const script = d.get("script-src") ?? [];
      nonce = script.find((v) => /^'nonce-[A-Za-z0-9+/=]{16,}'$/.test(v))?.slice(7, -1) ?? null;
      if (!nonce) problem(`script-src has no nonce: ${csp}`);
      if (script.includes("'unsafe-inline'") || script.includes("'unsafe-eval'")) problem(`script-src allows inline or eval: ${csp}`);
      if ((d.get("default-src") ?? []).includes("'unsafe-inline'")) problem("default-src allows inline");
      if (!(d.get("frame-ancestors") ?? []).includes("'none'")) problem(`frame-ancestors is not 'none': ${csp}`);
      if (nonce) out.nonces.push(nonce);
    }
    // Routes that set nosniff themselves (downloads) repeat the server's header: "nosniff, nosniff" (browsers read the first value).
    const nosniff = (res.headers.get("x-content-type-options") ?? "").split(",").map((v) => v.trim());
    if (!nosniff.length || nosniff.some((v) => v !== "nosniff")) problem(`X-Content-Type-Options ${res.headers.get("x-content-type-options")}`);
    if (!REFERRER_POLICIES.includes(res.headers.get("referrer-policy") ?? "")) problem(`Referrer-Policy ${res.headers.get("referrer-policy")}`);
    const hsts = res.headers.get("strict-transport-security");
    if (production && !/max-age=\d{7,}/.test(hsts ?? "")) problem(`no HSTS in production: ${hsts}`);
    if (!production && hsts) problem(`HSTS outside production: ${hsts}`);
    if (res.headers.get("x-powered-by")) problem("X-Powered-By present");
    const type = res.headers.get("content-type") ?? "";
    if (type.includes("text/html")) {
      const html = await res.text();
      // Every <script> the server writes carries this answer's nonce (inline or not).
      for (const tag of html.match(/<script\b[^>]*>/gi) ?? []) if (!nonce || !tag.includes(`nonce="${nonce}"`)) problem(`script without the nonce: ${tag.slice(0, 120)}`);
    } else await res.arrayBuffer();
  }
}

function checkCookie(setCookie: string, production: boolean): string[] {
  const attrs = setCookie.split(";").map((a) => a.trim().toLowerCase());
  const problems: string[] = [];
  if (!attrs.includes("httponly")) problems.push("session cookie not HttpOnly");
  if (!attrs.includes("samesite=lax")) problems.push("session cookie not SameSite=Lax");
  if (production !== attrs.includes("secure")) problems.push(`session cookie Secure=${attrs.includes("secure")} with production=${production}`);
  if (!attrs.includes("path=/")) problems.push("session cookie not Path=/");
  return problems;
}

const SECRET = "e2e-production-session-secret-0123456789abcdef";

for (const production of [false, true]) {
  describe(production ? "NODE_ENV=production" : "development (NODE_ENV unset)", () => {
    let app: RunningApp;
    beforeAll(async () => {
      // Production start-up hashes the demo passwords at full cost: slow on a busy 2-core machine.
      app = await startApp({ env: production ? { NODE_ENV: "production", SESSION_SECRET: SECRET } : {}, timeoutMs: 240_000 });
    }, 300_000);
    afterAll(async () => {
      await app?.stop();
    });

    it("every GET route, download, 404 and asset carries the security headers, signed in and signed out; the session cookie's flags", async () => {
      const { cookie, setCookie } = await signInOverHttp(app, "cso@supplier.example");
      expect(checkCookie(setCookie, production)).toEqual([]);
      const ids = await objects(app, cookie);
      const list = paths(ids);
      const checked: Checked = { answers: 0, statuses: {}, problems: [], nonces: [] };
      await sweep(app, list, cookie, production, checked, "signed in");
      await sweep(app, list, null, production, checked, "signed out");
      // Another organisation's view of the same objects: 404s carry the headers too.
      const stranger = await signInOverHttp(app, "cso@othersupplier.example");
      await sweep(app, list, stranger.cookie, production, checked, "other supplier");
      console.log(
        `security headers (${production ? "production" : "development"}): ${list.length} paths × 3 callers = ${checked.answers} answers; statuses ${JSON.stringify(checked.statuses)}; ` +
          `problems ${checked.problems.length}; distinct nonces ${new Set(checked.nonces).size} of ${checked.nonces.length}`,
      );
      expect(checked.problems).toEqual([]);
      expect(new Set(checked.nonces).size).toBe(checked.nonces.length);
      expect(checked.answers).toBeGreaterThan(100);
    }, 300_000);

    if (production)
      it("refuses to start in production without SESSION_SECRET, naming it", async () => {
        await expect(startApp({ env: { NODE_ENV: "production" }, timeoutMs: 30_000 })).rejects.toThrow(/SESSION_SECRET/);
      }, 120_000);
  });
}
