// Supplier evidence in the browser: the ICB's CSO requests evidence for a supplier control; the
// supplier's engineer sees the request on the home page and uploads a PDF; the ICB's CSO accepts it
// and downloads it as an attachment. Screenshots of each step; axe on every page.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { checkA11y, failOnConsoleErrors, launchBrowser, newPage, screenshot, signIn, startApp, type RunningApp } from "./harness.ts";

const SUPPLIER_LOG = "Wessex Shared EPR — DCB0129 hazard log";
const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
const NEED = "Signed test report showing the allergy banner stays pinned on every prescribing screen";

let app: RunningApp;
let browser: Browser;
let controlUrl = "";

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** Chromium logs every 4xx fetch: `expected400` deliberate invalid posts are allowed, nothing else. */
async function as(email: string, run: (page: Page) => Promise<void>, expected400 = 0) {
  const page = await newPage(browser);
  const errors = failOnConsoleErrors(page);
  try {
    await signIn(page, app.baseUrl, email);
    await run(page);
    const deliberate = errors.errors.filter((e) => /\.data: Failed to load resource: the server responded with a status of 400/.test(e));
    expect(deliberate).toHaveLength(expected400);
    expect(errors.errors.filter((e) => !deliberate.includes(e))).toEqual([]);
  } finally {
    await page.context().close();
  }
}

it("the ICB CSO requests evidence for a supplier control", async () => {
  await as("cso@icb.example", async (page) => {
    // The log page does not link its hazards yet (another branch): find the first one through the API.
    const logs = (await (await page.request.get(`${app.baseUrl}/api/v1/hazard-logs`)).json()) as { items: { id: string; title: string }[] };
    const logId = logs.items.find((l) => l.title === SUPPLIER_LOG)!.id;
    const list = (await (await page.request.get(`${app.baseUrl}/api/v1/hazard-logs/${logId}/hazards?limit=1`)).json()) as { items: { id: string }[] };
    await page.goto(`${app.baseUrl}/hazards/${list.items[0].id}`);
    await screenshot(page, "evidence-00-hazard-controls");
    await page.locator('main a[href^="/controls/"]').first().click();
    await page.waitForURL(/\/controls\/[0-9a-f-]+$/);
    controlUrl = page.url();
    await page.getByRole("button", { name: "Request evidence" }).click(); // empty: the server's messages
    await page.getByText("There is a problem").waitFor();
    expect(await checkA11y(page)).toEqual([]);
    await page.getByLabel("From").selectOption({ label: "Acme Health Systems Ltd" });
    await page.getByLabel("What evidence is needed").fill(NEED);
    await page.getByLabel("Due date (optional)").fill("2026-12-31");
    await page.getByRole("button", { name: "Request evidence" }).click();
    await page.getByText("Evidence was requested.").waitFor();
    expect(await page.getByRole("cell", { name: NEED }).count()).toBe(1);
    await screenshot(page, "evidence-01-requested");
    expect(await checkA11y(page)).toEqual([]);
  }, 1);
});

it("the supplier's engineer sees the request at home and uploads a PDF against it", async () => {
  await as("engineer@supplier.example", async (page) => {
    await page.getByRole("heading", { name: "Evidence requested from you" }).waitFor();
    expect(await page.getByText(NEED).count()).toBe(1);
    await screenshot(page, "evidence-02-home-request");
    expect(await checkA11y(page)).toEqual([]);
    await page.goto(controlUrl);
    await page.getByLabel("File", { exact: true }).setInputFiles({ name: "allergy-banner-test-report.pdf", mimeType: "application/pdf", buffer: PDF });
    await page.getByLabel("What the file shows").fill("Test run TR-118, signed by the test lead");
    await page.getByRole("button", { name: "Upload evidence" }).click();
    await page.getByText("The evidence was uploaded and is awaiting review.").waitFor();
    expect(await page.getByRole("link", { name: "allergy-banner-test-report.pdf" }).count()).toBe(1);
    expect(await page.getByText("Awaiting review").count()).toBeGreaterThan(0);
    await screenshot(page, "evidence-03-uploaded");
    expect(await checkA11y(page)).toEqual([]);
  });
});

it("the ICB CSO accepts it, and downloads it as an attachment", async () => {
  await as("cso@icb.example", async (page) => {
    await page.getByRole("heading", { name: "Evidence awaiting your review" }).waitFor();
    await page.goto(controlUrl);
    await screenshot(page, "evidence-04-to-review");
    expect(await checkA11y(page)).toEqual([]);
    await page.getByRole("button", { name: /^Accept/ }).click();
    await page.getByText("The evidence was accepted.").waitFor();
    expect(await page.locator(".nhsuk-tag", { hasText: "Accepted" }).count()).toBe(1);
    expect(await page.locator(".nhsuk-tag", { hasText: "Fulfilled" }).count()).toBe(1);
    await screenshot(page, "evidence-05-accepted");
    expect(await checkA11y(page)).toEqual([]);
    const href = await page.getByRole("link", { name: "allergy-banner-test-report.pdf" }).getAttribute("href");
    const res = await page.request.get(`${app.baseUrl}${href}`);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-disposition"]).toBe(`attachment; filename="allergy-banner-test-report.pdf"; filename*=UTF-8''allergy-banner-test-report.pdf`);
    expect(res.headers()["x-content-type-options"]).toContain("nosniff");
    expect(res.headers()["content-security-policy"]).toContain("sandbox");
    expect(Buffer.from(await res.body()).equals(PDF)).toBe(true);
  });
});
