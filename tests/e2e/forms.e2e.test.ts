// Issue 8 in the browser: a double-click on "Raise hazard" makes one hazard, with JavaScript (the
// Remix form) and without it (the browser's own form post, sent twice); every form carries the
// hidden token and submission key.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, failOnConsoleErrors, launchBrowser, newPage, signIn, startApp, type RunningApp } from "./harness.ts";

const SUPPLIER_LOG = "Wessex Shared EPR — DCB0129 hazard log";

let app: RunningApp;
let browser: Browser;
let token = "";
let logId = "";

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
  const res = await fetch(`${app.baseUrl}/api/v1/tokens`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ email: "cso@supplier.example", password: DEMO_PASSWORD }) });
  token = ((await res.json()) as { token: string }).token;
  const logs = (await (await fetch(`${app.baseUrl}/api/v1/hazard-logs`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { items: { id: string; title: string }[] };
  logId = logs.items.find((l) => l.title === SUPPLIER_LOG)!.id;
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function hazardsTitled(title: string): Promise<number> {
  const res = await fetch(`${app.baseUrl}/api/v1/hazard-logs/${logId}/hazards?q=${encodeURIComponent(title)}&limit=100`, { headers: { Authorization: `Bearer ${token}` } });
  const body = (await res.json()) as { items: { title: string }[] };
  return body.items.filter((h) => h.title === title).length;
}

async function raiseByDoubleClick(page: Page, title: string) {
  await page.goto(`${app.baseUrl}/hazard-logs/${logId}/hazards/new`);
  const form = page.locator("form.app-hazard-form");
  expect(await form.locator('input[type="hidden"][name="_csrf"]').count()).toBe(1);
  expect(await form.locator('input[type="hidden"][name="_key"]').getAttribute("value")).toMatch(/^[0-9a-f-]{36}$/);
  await page.locator("#field-title").fill(title);
  await page.locator("#field-description").fill("Raised by a double-click in the browser test.");
  await page.locator("#field-causes-0").fill("A cause");
  await page.getByRole("button", { name: "Raise hazard" }).last().dblclick();
  await page.waitForURL((url) => /^\/hazards\/[0-9a-f-]{36}$/.test(url.pathname), { timeout: 30_000 });
  await page.getByRole("heading", { level: 1, name: title }).waitFor({ timeout: 15_000 });
}

describe("a double-click on Raise hazard makes one hazard", () => {
  it("with JavaScript", async () => {
    const page = await newPage(browser);
    const errors = failOnConsoleErrors(page);
    await signIn(page, app.baseUrl, "cso@supplier.example");
    await expect.poll(() => page.evaluate(() => "__remixContext" in window)).toBe(true);
    const title = "Double-click hazard with JavaScript";
    await raiseByDoubleClick(page, title);
    await new Promise((r) => setTimeout(r, 1_000)); // let a second post, if any, land
    expect(await hazardsTitled(title)).toBe(1);
    // The next form render has a new key: a second hazard is a second record.
    await raiseByDoubleClick(page, `${title} (second)`);
    expect(await hazardsTitled(`${title} (second)`)).toBe(1);
    errors.assertNone();
    await page.context().close();
  });

  it("without JavaScript", async () => {
    const page = await newPage(browser, { javaScriptEnabled: false });
    await signIn(page, app.baseUrl, "cso@supplier.example");
    const title = "Double-click hazard without JavaScript";
    await raiseByDoubleClick(page, title);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await hazardsTitled(title)).toBe(1);
    await page.context().close();
  });
});
