// Stored XSS against the built server: fast-check generates text with script and HTML fragments,
// quotes and unicode; it is stored through the API (hazard title, description, causes, effect, a
// control, an incident, an evidence request, a safety case title) and every page that shows it —
// hazard page, log page, safety case page, control page, audit trail — is fetched as HTML. No page may
// carry a <script> without the answer's CSP nonce, an inline event-handler attribute or a javascript:
// URL, and the fragment must appear escaped as text where the page shows the field.
import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import { signInOverHttp, startApp, type RunningApp } from "./harness.ts";

const SUPPLIER_LOG = "Wessex Shared EPR — DCB0129 hazard log";
let app: RunningApp;
let cookie: string;
let logId: string;
let supplierOrg: string;
let tried = 0;
let pages = 0;
let fiveHundreds = 0;

beforeAll(async () => {
  app = await startApp({ timeoutMs: 240_000 });
  cookie = (await signInOverHttp(app, "cso@supplier.example")).cookie;
  const logs = (await (await fetch(`${app.baseUrl}/api/v1/hazard-logs`, { headers: { Cookie: cookie } })).json()) as { items: { id: string; title: string; organisation: { id: string } }[] };
  const log = logs.items.find((l) => l.title === SUPPLIER_LOG)!;
  logId = log.id;
  supplierOrg = log.organisation.id;
}, 300_000);
afterAll(async () => {
  console.log(`stored XSS (built server): ${tried} generated inputs, ${pages} pages checked, ${fiveHundreds} 5xx`);
  await app?.stop();
});

async function post(path: string, body: unknown): Promise<{ id: string; controls?: { id: string }[] }> {
  const res = await fetch(`${app.baseUrl}${path}`, { method: "POST", headers: { Cookie: cookie, Origin: app.baseUrl, "Content-Type": "application/json" }, body: JSON.stringify(body) });
  if (res.status >= 500) fiveHundreds++;
  expect(res.status, `${path}: ${await res.clone().text()}`).toBe(201);
  return res.json() as Promise<{ id: string; controls?: { id: string }[] }>;
}

/** React's text escaping. */
const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#x27;");

async function page(path: string, shown: string[]): Promise<string[]> {
  const res = await fetch(`${app.baseUrl}${path}`, { headers: { Cookie: cookie }, redirect: "manual" });
  pages++;
  if (res.status >= 500) fiveHundreds++;
  const html = await res.text();
  const problems: string[] = [];
  if (res.status !== 200) return [`${path}: ${res.status}`];
  const nonce = /'nonce-([^']+)'/.exec(res.headers.get("content-security-policy") ?? "")?.[1];
  for (const tag of html.match(/<script\b[^>]*>/gi) ?? []) if (!nonce || !tag.includes(`nonce="${nonce}"`)) problems.push(`${path}: script without the nonce: ${tag.slice(0, 100)}`);
  for (const m of html.match(/<[a-z][^<>]*\son[a-z]+\s*=[^<>]*>/gi) ?? []) problems.push(`${path}: event-handler attribute: ${m.slice(0, 120)}`);
  for (const m of html.match(/\s(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:/gi) ?? []) problems.push(`${path}: javascript: URL ${m}`);
  for (const text of shown) if (!html.includes(escapeHtml(text))) problems.push(`${path}: does not show ${JSON.stringify(text)} escaped`);
  return problems;
}

const FRAGMENTS = ["<script>alert(1)</script>", `"><img src=x onerror=alert(1)>`, `' onmouseover='alert(1)`, "<svg/onload=alert(1)>", "javascript:alert(1)", "</textarea></title></style><script>alert(2)</script>", "<!--", "&lt;&amp;", "{{7*7}}", "𝕳😷", "\u202e", "e\u0301", "Zoë"];
const extra = fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ unit: "grapheme", maxLength: 8 }).map((s) => s.replace(/[\u0000-\u001f\u007f]/g, ""))), { maxLength: 3 }).map((p) => p.join(" "));

test("property: text with script and HTML fragments is shown escaped on every page that displays it", async () => {
  const problems: string[] = [];
  await fc.assert(
    fc.asyncProperty(extra, extra, async (a, b) => {
      const n = ++tried;
      // A script fragment carrying a marker, so each run's text is found on its pages.
      const mark = (field: string) => `<script>alert("XSS${n}${field}")</script>`;
      const title = `${mark("t")} ${a}`.trim().slice(0, 200);
      const hazard = await post(`/api/v1/hazard-logs/${logId}/hazards`, {
        title, description: `${mark("d")} ${b}`, causes: [`${mark("c")} ${a}`], effect: `${mark("e")}"'><img src=x onerror=alert(1)>`,
        controls: [{ kind: "existing", type: "design", description: `${mark("k")} ${b}` }],
      });
      const controlId = hazard.controls![0].id;
      await post(`/api/v1/hazards/${hazard.id}/incidents`, { kind: "near_miss", occurredOn: "2025-05-01", description: `${mark("i")} ${a}` });
      await post(`/api/v1/controls/${controlId}/evidence-requests`, { fromOrganisationId: supplierOrg, description: `${mark("r")} ${b}` });
      const safetyCase = await post("/api/v1/safety-cases", { hazardLogId: logId, title: `${mark("s")} ${a}`.trim().slice(0, 200) });
      problems.push(
        ...(await page(`/hazards/${hazard.id}`, [mark("t"), mark("d"), mark("c"), mark("e"), mark("k"), mark("i")])),
        ...(await page(`/hazard-logs/${logId}?q=${encodeURIComponent(`XSS${n}t`)}`, [mark("t")])),
        ...(await page(`/safety-cases/${safetyCase.id}`, [mark("s")])),
        ...(await page(`/controls/${controlId}`, [mark("k"), mark("r")])),
        ...(await page(`/audit?entityType=hazard&entityId=${hazard.id}`, [])),
      );
    }),
    { numRuns: 15 },
  );
  expect(problems).toEqual([]);
}, 600_000);

test("property: an organisation member's name with script and HTML fragments is shown escaped on the organisation page", async () => {
  const admin = (await signInOverHttp(app, "admin@supplier.example")).cookie;
  const problems: string[] = [];
  await fc.assert(
    fc.asyncProperty(extra, async (a) => {
      const n = ++tried;
      const name = `<script>alert("XSS${n}m")</script> ${a}`.trim().slice(0, 200);
      // As a browser would: the rendered form's CSRF token and this render's submission key.
      const form = await (await fetch(`${app.baseUrl}/organisations/acme-health`, { headers: { Cookie: admin } })).text();
      const hidden = (field: string) => new RegExp(`name="${field}" value="([^"]+)"`).exec(form)?.[1] ?? "";
      const added = await fetch(`${app.baseUrl}/organisations/acme-health`, {
        method: "POST",
        redirect: "manual",
        headers: { Cookie: admin, Origin: app.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ _csrf: hidden("_csrf"), _key: hidden("_key"), intent: "add", name, email: `xss-${n}@supplier.example`, role: "viewer", temporaryPassword: "temporary-password-123" }),
      });
      if (added.status >= 500) fiveHundreds++;
      expect(added.status, await added.clone().text()).toBeLessThan(400);
      const saved = cookie;
      cookie = admin;
      try {
        problems.push(...(await page("/organisations/acme-health", [`<script>alert("XSS${n}m")</script>`])));
      } finally {
        cookie = saved;
      }
    }),
    { numRuns: 5 },
  );
  expect(problems).toEqual([]);
}, 300_000);
