// The log view journey: the ICB's CSO opens the shared log, sees both heatmaps and the table,
// clicks a residual heatmap cell, and the table shows only that cell's hazards; filters, sort and
// paging; axe on each state; a viewer gets no "Raise a hazard" button.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkA11y, failOnConsoleErrors, launchBrowser, newPage, screenshot, SCREENSHOTS_DIR, signIn, startApp, type RunningApp } from "./harness.ts";

const ICB_LOG = "Wessex Shared EPR — ICB shared DCB0160 hazard log";

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

const showing = (page: Page) => page.locator("#results").innerText();
const tableRows = (page: Page) => page.locator("#hazards tbody tr");

describe("cso@icb.example on the ICB shared log", () => {
  let page: Page;
  let consoleErrors: ReturnType<typeof failOnConsoleErrors>;
  beforeAll(async () => {
    page = await newPage(browser);
    consoleErrors = failOnConsoleErrors(page);
    await signIn(page, app.baseUrl, "cso@icb.example");
  });
  afterAll(async () => {
    consoleErrors.assertNone();
    await page?.context().close();
  });

  it("opens the log with two heatmaps, the table, counts and the actions", async () => {
    await page.getByRole("link", { name: ICB_LOG }).first().click();
    await page.getByRole("heading", { level: 1, name: ICB_LOG }).waitFor();
    expect(await page.locator("table[data-heatmap]").count()).toBe(2);
    expect(await page.getByRole("table", { name: "Residual risk" }).locator("tbody tr").count()).toBe(5);
    expect(await showing(page)).toBe("Showing 1–38 of 38 hazards");
    expect(await tableRows(page).count()).toBe(38);
    expect(await page.getByRole("button", { name: "Raise a hazard" }).getAttribute("href")).toMatch(/\/hazard-logs\/[\w-]+\/hazards\/new$/);
    expect(await page.getByRole("link", { name: "Export xlsx" }).getAttribute("href")).toMatch(/\/api\/v1\/hazard-logs\/[\w-]+\/export\?format=xlsx$/);
    expect(await page.getByRole("link", { name: "H-001" }).getAttribute("href")).toMatch(/^\/hazards\/[\w-]+$/);
    await screenshot(page, "log-view-01-icb-log");
    await page.screenshot({ path: `${SCREENSHOTS_DIR}/log-view-01-top.png`, fullPage: true, clip: { x: 0, y: 100, width: 1280, height: 900 } });
    expect(await checkA11y(page)).toEqual([]);
  });

  it("filters the table when a residual heatmap cell is clicked, marks the cell, and clears it", async () => {
    const residual = page.getByRole("table", { name: "Residual risk" });
    const cell = residual.locator("td a").first();
    const count = Number(await cell.locator(".app-heatmap__count").innerText());
    expect(count).toBeGreaterThan(0);
    // The cells are plain anchors (app/components/client-links.tsx): the click must still navigate
    // within the app, keeping this document (and the scroll position), not load a new page.
    await page.evaluate(() => { (window as unknown as { stayed: boolean }).stayed = true; window.scrollTo(0, 200); });
    await cell.click();
    await page.waitForURL(/residualCell=/);
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed === true)).toBe(true);
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    await expect.poll(() => showing(page)).toBe(`Showing 1–${count} of ${count} ${count === 1 ? "hazard" : "hazards"}`);
    expect(await tableRows(page).count()).toBe(count);
    const selected = residual.locator("a[aria-current=true]");
    expect(await selected.count()).toBe(1);
    expect((await selected.innerText()).toLowerCase()).toContain("selected");
    await screenshot(page, "log-view-02-residual-cell");
    await page.screenshot({ path: `${SCREENSHOTS_DIR}/log-view-02-top.png`, fullPage: true, clip: { x: 0, y: 100, width: 1280, height: 900 } });
    expect(await checkA11y(page)).toEqual([]);
    await page.getByRole("link", { name: "Clear the residual risk cell filter" }).click();
    await expect.poll(() => showing(page)).toBe("Showing 1–38 of 38 hazards");
    // A hazard's ref opens its page, also within the app.
    const first = tableRows(page).first().locator("a").first();
    const title = await tableRows(page).first().locator("td").nth(1).innerText();
    await first.click();
    await page.waitForURL(/\/hazards\/[0-9a-f-]{36}$/);
    await page.getByRole("heading", { level: 1, name: title.split("\n")[0] }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed === true)).toBe(true);
    await page.goBack();
    await expect.poll(() => showing(page)).toBe("Showing 1–38 of 38 hazards");
  });

  it("searches, filters by status and sorts by residual risk from the form", async () => {
    await page.getByLabel("Search titles, descriptions and causes").fill("medication");
    await page.getByLabel("Sort by").selectOption("-residualRisk");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL(/q=medication/);
    // The URL can change a moment before the results do: wait for the searched count.
    await expect.poll(() => showing(page)).not.toBe("Showing 1–38 of 38 hazards");
    const text = await showing(page);
    expect(text).toMatch(/^Showing 1–\d+ of \d+ hazards?$/);
    const n = Number(text.split(" of ")[1].split(" ")[0]);
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(38);
    await page.getByLabel("Open", { exact: true }).check();
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL(/status=open/);
    const statuses = await tableRows(page).locator("td:nth-child(3)").allInnerTexts();
    expect(statuses.every((s) => s === "Open")).toBe(true);
    await screenshot(page, "log-view-03-search-sorted");
    const top = await page.locator("#results").evaluate((e) => e.getBoundingClientRect().top + window.scrollY);
    await page.screenshot({ path: `${SCREENSHOTS_DIR}/log-view-03-table.png`, fullPage: true, clip: { x: 0, y: top - 40, width: 1280, height: 900 } });
    expect(await checkA11y(page)).toEqual([]);
  });

  it("pages with Next and Previous and counts the rows shown", async () => {
    const url = new URL(page.url());
    await page.goto(`${url.origin}${url.pathname}?limit=10&sort=-residualRisk`);
    expect(await showing(page)).toBe("Showing 1–10 of 38 hazards");
    const firstPage = await tableRows(page).locator("td:first-child").allInnerTexts();
    await page.getByRole("link", { name: "Next page" }).click();
    await expect.poll(() => showing(page)).toBe("Showing 11–20 of 38 hazards");
    await page.getByRole("link", { name: "Previous page" }).click();
    await expect.poll(() => showing(page)).toBe("Showing 1–10 of 38 hazards");
    expect(await tableRows(page).locator("td:first-child").allInnerTexts()).toEqual(firstPage);
  });
});

describe("auditor@icb.example (viewer)", () => {
  it("reads the log but is not offered Raise a hazard or Import", async () => {
    const page = await newPage(browser);
    await signIn(page, app.baseUrl, "auditor@icb.example");
    await page.getByRole("link", { name: ICB_LOG }).first().click();
    await page.getByRole("heading", { level: 1, name: ICB_LOG }).waitFor();
    expect(await page.getByRole("button", { name: "Raise a hazard" }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "Import" }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "Export csv" }).count()).toBe(1);
    await page.context().close();
  });
});
