// The foundation journey: the server starts, sign-in, the home page with the readable hazard logs,
// the organisation switcher, sign-out; axe on each page; and another supplier sees nothing of the
// Wessex platform.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkA11y, failOnConsoleErrors, launchBrowser, newPage, screenshot, signIn, signOut, startApp, type RunningApp } from "./harness.ts";

const WESSEX_SUPPLIER_LOG = "Wessex Shared EPR — DCB0129 hazard log";

let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  app = await startApp();
  console.log(`[e2e] app answered /healthz after ${app.startupMs} ms at ${app.baseUrl}`);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe("harness", () => {
  it("serves /healthz with 200 and a JSON status", async () => {
    const res = await fetch(`${app.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("loads /sign-in under the app's real CSP with no console errors and hydrates", async () => {
    const page = await newPage(browser, { bypassCSP: false });
    const consoleErrors = failOnConsoleErrors(page);
    const response = await page.goto(`${app.baseUrl}/sign-in`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-/);
    await expect.poll(() => page.evaluate(() => "__remixContext" in window), { timeout: 10_000 }).toBe(true);
    await page.waitForLoadState("networkidle");
    consoleErrors.assertNone();
    await page.context().close();
  });
});

describe("cso@icb.example", () => {
  let page: Page;
  let consoleErrors: ReturnType<typeof failOnConsoleErrors>;

  beforeAll(async () => {
    page = await newPage(browser);
    consoleErrors = failOnConsoleErrors(page);
  });
  afterAll(async () => {
    await page?.context().close();
  });

  it("sees an accessible sign-in page", async () => {
    await page.goto(`${app.baseUrl}/sign-in`);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toMatch(/sign in/i);
    await screenshot(page, "foundation-01-sign-in");
    expect(await checkA11y(page)).toEqual([]);
  });

  it("signs in and lands on the home page with their name and the readable hazard logs", async () => {
    await signIn(page, app.baseUrl, "cso@icb.example");
    expect(new URL(page.url()).pathname).toBe("/");
    await expect.poll(() => page.getByRole("heading", { level: 1 }).innerText()).toContain("Dr Amara Okafor");
    const logs = page.getByRole("link", { name: WESSEX_SUPPLIER_LOG });
    expect(await logs.count()).toBeGreaterThanOrEqual(1);
    // the ICB reads all four logs of the platform
    expect(await page.getByRole("link", { name: /^Wessex Shared EPR — / }).count()).toBe(4);
    await screenshot(page, "foundation-02-home-icb");
  });

  it("has an organisation switcher in the header", async () => {
    const select = page.locator("header form select[name=organisationId], form select[name=organisationId]").first();
    expect(await select.count()).toBe(1);
    expect(await select.locator("option").allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining("NHS Wessex Coast ICB")]));
  });

  it("home page has no serious or critical accessibility violations", async () => {
    expect(await checkA11y(page)).toEqual([]);
  });

  it("signs out with the Sign out button and returns to /sign-in", async () => {
    await signOut(page);
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    await screenshot(page, "foundation-03-signed-out");
    // The session is gone: the home page sends the browser back to sign in.
    await page.goto(`${app.baseUrl}/`);
    expect(new URL(page.url()).pathname).toBe("/sign-in");
  });

  it("reported no console errors on the way", () => {
    consoleErrors.assertNone();
  });
});

describe("cso@othersupplier.example", () => {
  it("sees no Wessex log", async () => {
    const page = await newPage(browser);
    const consoleErrors = failOnConsoleErrors(page);
    await signIn(page, app.baseUrl, "cso@othersupplier.example");
    await expect.poll(() => page.getByRole("heading", { level: 1 }).innerText()).toContain("Dr Leo Brandt");
    expect(await page.getByText(/Wessex/).count()).toBe(0);
    await screenshot(page, "foundation-04-home-other-supplier");
    consoleErrors.assertNone();
    await page.context().close();
  });
});

describe("consultant@wessex.example (viewer at both trusts)", () => {
  it("switches organisation and the home page follows the active organisation", async () => {
    const page = await newPage(browser);
    const consoleErrors = failOnConsoleErrors(page);
    await signIn(page, app.baseUrl, "consultant@wessex.example");
    await expect.poll(() => page.getByRole("heading", { level: 2, name: /Hazard logs readable by/ }).innerText()).toContain("Harbourside");
    expect(await page.getByRole("link", { name: "Wessex Shared EPR — Harbourside DCB0160 hazard log" }).count()).toBe(1);
    expect(await page.getByRole("link", { name: "Wessex Shared EPR — Northcliff DCB0160 hazard log" }).count()).toBe(0);
    await page.getByLabel("Organisation").selectOption({ label: "Northcliff Community Health NHS Trust (viewer)" });
    await page.getByRole("button", { name: "Switch" }).click();
    await expect.poll(() => page.getByRole("heading", { level: 2, name: /Hazard logs readable by/ }).innerText()).toContain("Northcliff");
    expect(await page.getByRole("link", { name: "Wessex Shared EPR — Northcliff DCB0160 hazard log" }).count()).toBe(1);
    expect(await page.getByRole("link", { name: "Wessex Shared EPR — Harbourside DCB0160 hazard log" }).count()).toBe(0);
    await screenshot(page, "foundation-05-switched-organisation");
    expect(await checkA11y(page)).toEqual([]);
    await signOut(page);
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    consoleErrors.assertNone();
    await page.context().close();
  });
});

describe("cso@harbourside.example", () => {
  it("opens its local log from the home page and sees its hazards with risk as colour and text", async () => {
    const page = await newPage(browser);
    const consoleErrors = failOnConsoleErrors(page);
    await signIn(page, app.baseUrl, "cso@harbourside.example");
    await page.getByRole("link", { name: "Wessex Shared EPR — Harbourside DCB0160 hazard log" }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).innerText()).toContain("Harbourside DCB0160 hazard log");
    expect(await page.getByRole("cell", { name: "H-001", exact: true }).count()).toBe(1);
    expect(await page.getByText("Showing 1–43 of 43 hazards").count()).toBe(1);
    expect(await page.getByText("Undesirable").count()).toBeGreaterThan(0);
    await screenshot(page, "foundation-06-harbourside-log");
    expect(await checkA11y(page)).toEqual([]);
    consoleErrors.assertNone();
    await page.context().close();
  });
});
