// Generated reports in the browser: the supplier CSO starts a safety case, submits and signs it;
// the case page's "Download the safety case report (PDF)" link answers a PDF (content type, %PDF
// magic, no DRAFT banner once approved, DRAFT before), the issue page's per-version link and the log
// page's board report link answer PDFs too, and axe stays clean on the pages that gained links.
import { execFileSync } from "node:child_process";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { checkA11y, failOnConsoleErrors, launchBrowser, newPage, screenshot, signIn, startApp, type RunningApp } from "./harness.ts";

const SUPPLIER_LOG = "Wessex Shared EPR — DCB0129 hazard log";
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

/** Follows a link's href with the page's own session cookie, as a click on the download would. */
async function fetchLink(page: Page, name: string | RegExp) {
  const href = await page.getByRole("link", { name }).first().getAttribute("href");
  expect(href).toBeTruthy();
  const res = await page.request.get(new URL(href!, app.baseUrl).toString());
  return { status: res.status(), type: res.headers()["content-type"], disposition: res.headers()["content-disposition"], body: Buffer.from(await res.body()) };
}

const text = (pdf: Buffer) => execFileSync("pdftotext", ["-layout", "-", "-"], { input: pdf }).toString("utf8");

it("the case page's download link answers the safety case report as a PDF, DRAFT until approved", async () => {
  const page = await newPage(browser);
  const errors = failOnConsoleErrors(page);
  try {
    await signIn(page, app.baseUrl, "cso@supplier.example");
    await page.getByRole("link", { name: SUPPLIER_LOG }).click();
    await page.waitForURL(/\/hazard-logs\/[0-9a-f-]+$/);
    const logUrl = page.url();
    expect(await checkA11y(page)).toEqual([]);
    const board = await fetchLink(page, /Board assurance report/);
    expect(board.status).toBe(200);
    expect(board.type).toBe("application/pdf");
    expect(board.body.subarray(0, 4).toString()).toBe("%PDF");

    await page.goto(`${logUrl}/safety-cases`);
    await page.getByLabel("Title").fill("Report journey case");
    await page.getByRole("button", { name: "Start safety case" }).click();
    await page.waitForURL(/\/safety-cases\/[0-9a-f-]+$/);
    const draft = await fetchLink(page, "Download the safety case report (PDF)");
    expect(draft.status).toBe(200);
    expect(draft.type).toBe("application/pdf");
    expect(draft.disposition).toMatch(/^attachment; filename=".+\.pdf"$/);
    expect(draft.body.subarray(0, 4).toString()).toBe("%PDF");
    expect(text(draft.body)).toMatch(/\bDRAFT\b/);

    await page.getByRole("button", { name: "Submit for sign-off" }).click();
    await page.getByText("Its baseline is frozen").waitFor();
    await page.getByLabel("What your signature means").selectOption("approved");
    await page.getByLabel("Your password").fill("demo-password");
    await page.getByRole("button", { name: "Sign", exact: true }).click();
    await page.getByText("Your signature was recorded.").waitFor();
    await screenshot(page, "reports-01-case-with-download-link");
    expect(await checkA11y(page)).toEqual([]);
    const approved = await fetchLink(page, "Download the safety case report (PDF)");
    expect(approved.status).toBe(200);
    expect(approved.body.subarray(0, 4).toString()).toBe("%PDF");
    const approvedText = text(approved.body);
    expect(approvedText).not.toMatch(/\bDRAFT\b/);
    expect(approvedText).toContain("Dr James Whitfield");

    await page.goto(`${logUrl}/issue`);
    await page.getByRole("button", { name: "Submit for review" }).click();
    await page.getByRole("button", { name: "Issue this version" }).click();
    await page.getByRole("button", { name: "Start the next version" }).waitFor();
    expect(await checkA11y(page)).toEqual([]);
    const issued = await fetchLink(page, /Hazard log report \(PDF\)/);
    expect(issued.status).toBe(200);
    expect(issued.body.subarray(0, 4).toString()).toBe("%PDF");
    expect(text(issued.body)).not.toMatch(/\bDRAFT\b/);
    errors.assertNone();
  } finally {
    await page.context().close();
  }
});
