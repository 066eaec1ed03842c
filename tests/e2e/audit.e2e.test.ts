// The audit journey: a supplier CSO edits a hazard through the API, opens the hazard's audit trail
// and sees the change (who, old → new, why), downloads the CSV; axe on the page.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { checkA11y, DEMO_PASSWORD, failOnConsoleErrors, launchBrowser, newPage, screenshot, signIn, startApp, type RunningApp } from "./harness.ts";

let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function api(path: string, init: RequestInit & { token?: string } = {}) {
  const headers: Record<string, string> = { "Content-Type": "application/json", ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}) };
  const res = await fetch(`${app.baseUrl}${path}`, { ...init, headers });
  return { status: res.status, body: await res.json() };
}

it("a CSO sees their edit of a hazard in its audit trail", async () => {
  const { body: tokenBody } = await api("/api/v1/tokens", { method: "POST", body: JSON.stringify({ email: "cso@supplier.example", password: DEMO_PASSWORD }) });
  const token = tokenBody.token as string;
  const logs = (await api("/api/v1/hazard-logs", { token })).body.items as { id: string; scope: string }[];
  const supplierLog = logs.find((l) => l.scope === "platform")!;
  const [hazard] = (await api(`/api/v1/hazard-logs/${supplierLog.id}/hazards?limit=1`, { token })).body.items;
  const edit = await api(`/api/v1/hazards/${hazard.id}`, {
    method: "PATCH",
    token,
    body: JSON.stringify({ version: hazard.version, owner: "Chief clinical information officer", reason: "Ownership moved after the governance review" }),
  });
  expect(edit.status).toBe(200);

  const page = await newPage(browser);
  const consoleErrors = failOnConsoleErrors(page);
  await signIn(page, app.baseUrl, "cso@supplier.example");
  await page.goto(`${app.baseUrl}/audit?entityType=hazard&entityId=${hazard.id}`);
  await expect.poll(() => page.getByRole("heading", { level: 1 }).innerText()).toContain(hazard.ref);
  const row = page.getByRole("row").filter({ hasText: "Hazard changed" });
  expect(await row.count()).toBe(1);
  const text = await row.innerText();
  expect(text).toContain("Dr James Whitfield");
  expect(text).toContain("Acme Health Systems Ltd");
  expect(text).toContain("Chief clinical information officer");
  expect(text).toContain("Ownership moved after the governance review");
  expect(text).toMatch(/\d{2}:\d{2}:\d{2} (GMT|BST)/);
  await screenshot(page, "audit-01-hazard-trail");
  expect(await checkA11y(page)).toEqual([]);

  const href = await page.getByRole("link", { name: "Download the audit trail as CSV" }).getAttribute("href");
  const csv = await page.request.get(`${app.baseUrl}${href}`);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toBe("text/csv; charset=utf-8");
  expect(await csv.text()).toContain("Ownership moved after the governance review");
  consoleErrors.assertNone();
  await page.context().close();
});

it("another supplier's CSO gets 404 for that trail", async () => {
  const page = await newPage(browser);
  await signIn(page, app.baseUrl, "cso@othersupplier.example");
  const { body } = await api("/api/v1/tokens", { method: "POST", body: JSON.stringify({ email: "cso@supplier.example", password: DEMO_PASSWORD }) });
  const logs = (await api("/api/v1/hazard-logs", { token: body.token })).body.items as { id: string; scope: string }[];
  const [hazard] = (await api(`/api/v1/hazard-logs/${logs.find((l) => l.scope === "platform")!.id}/hazards?limit=1`, { token: body.token })).body.items;
  const response = await page.goto(`${app.baseUrl}/audit?entityType=hazard&entityId=${hazard.id}`);
  expect(response?.status()).toBe(404);
  await page.context().close();
});
