// Sign-off across organisations: the supplier's CSO starts a safety case on the supplier log, adds
// the ICB and both trusts as signatories, submits and signs; the ICB CSO, the ICB approver and both
// trust CSOs then sign in turn, each in their own browser context; the case shows approved with every
// signature's manifestation (name, role, organisation, meaning, UTC time, baseline SHA-256).
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { asUser, checkA11y, launchBrowser, screenshot, startApp, type RunningApp } from "./harness.ts";

const SUPPLIER_LOG = "Wessex Shared EPR — DCB0129 hazard log";
let app: RunningApp;
let browser: Browser;
let caseUrl = "";

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const as = (email: string, run: (page: Page) => Promise<void>) => asUser(browser, app.baseUrl, email, run);

async function signCase(page: Page, shot: string) {
  await page.goto(caseUrl);
  await page.getByLabel("What your signature means").selectOption("approved");
  await page.getByLabel("Your password").fill("demo-password");
  await page.getByRole("button", { name: "Sign", exact: true }).click();
  await page.getByText("Your signature was recorded.").waitFor();
  await screenshot(page, shot);
}

it("the supplier CSO starts, scopes and submits a safety case, and signs it", async () => {
  await as("cso@supplier.example", async (page) => {
    await page.getByRole("link", { name: SUPPLIER_LOG }).click();
    await page.waitForURL(/\/hazard-logs\/[0-9a-f-]+$/);
    await page.goto(`${page.url()}/safety-cases`);
    await page.getByLabel("Title").fill("Go-live safety case, release 4.2");
    await page.getByRole("button", { name: "Start safety case" }).click();
    await page.waitForURL(/\/safety-cases\/[0-9a-f-]+$/);
    caseUrl = page.url();
    for (const label of [
      "NHS Wessex Coast ICB — Clinical safety officer",
      "NHS Wessex Coast ICB — Approver",
      "Harbourside Hospital NHS Foundation Trust — Clinical safety officer",
      "Northcliff Community Health NHS Trust — Clinical safety officer",
    ])
      await page.getByLabel(label).check();
    await page.getByRole("button", { name: "Save signatories" }).click();
    await page.getByText("The required signatories were saved.").waitFor();
    await screenshot(page, "sign-off-01-draft");
    expect(await checkA11y(page)).toEqual([]);
    await page.getByRole("button", { name: "Submit for sign-off" }).click();
    await page.getByText("Its baseline is frozen").waitFor();
    expect(await page.getByText(/SHA-256 [0-9a-f]{64}/).first().isVisible()).toBe(true);
    await signCase(page, "sign-off-02-supplier-signed");
    expect(await checkA11y(page)).toEqual([]);
  });
});

it("the supplier CSO issues a version of the log: review, then issue with its baseline hash", async () => {
  await as("cso@supplier.example", async (page) => {
    await page.getByRole("link", { name: SUPPLIER_LOG }).click();
    await page.waitForURL(/\/hazard-logs\/[0-9a-f-]+$/);
    await page.goto(`${page.url()}/issue`);
    await page.getByRole("button", { name: "Submit for review" }).click();
    await page.getByRole("button", { name: "Issue this version" }).click();
    await page.getByRole("button", { name: "Start the next version" }).waitFor();
    const issued = page.getByRole("table", { name: /Issued versions/ });
    expect(await issued.innerText()).toMatch(/[0-9a-f]{64}/);
    await screenshot(page, "sign-off-08-log-issued");
    expect(await checkA11y(page)).toEqual([]);
  });
});

it("the ICB CSO, the ICB approver and both trust CSOs sign in turn; the case is approved", async () => {
  // Each sees the case in "Awaiting your signature" on their home page first.
  for (const [email, shot] of [
    ["cso@icb.example", "sign-off-03-icb-cso"],
    ["approver@icb.example", "sign-off-04-icb-approver"],
    ["cso@harbourside.example", "sign-off-05-harbourside"],
    ["cso@northcliff.example", "sign-off-06-northcliff"],
  ] as const) {
    await as(email, async (page) => {
      const awaiting = page.getByRole("table", { name: /Awaiting your signature/ });
      expect(await awaiting.getByRole("link", { name: "Go-live safety case, release 4.2" }).isVisible()).toBe(true);
      if (email === "cso@icb.example") {
        await screenshot(page, "sign-off-02b-home-awaiting");
        expect(await checkA11y(page)).toEqual([]);
      }
      await signCase(page, shot);
    });
  }
  await as("cso@supplier.example", async (page) => {
    await page.goto(caseUrl);
    expect(await page.getByText("Approved", { exact: true }).first().isVisible()).toBe(true);
    const blocks = page.locator(".app-signature");
    expect(await blocks.count()).toBe(5);
    const text = await page.locator("main").innerText();
    for (const org of ["Acme Health Systems Ltd", "NHS Wessex Coast ICB", "Harbourside Hospital NHS Foundation Trust", "Northcliff Community Health NHS Trust"]) expect(text).toContain(org);
    expect(text).toMatch(/Meaning: Approved · Signed \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    await screenshot(page, "sign-off-07-approved");
    expect(await checkA11y(page)).toEqual([]);
    await page.goto(app.baseUrl);
    expect(await page.getByRole("table", { name: /Safety cases you submitted/ }).innerText()).toMatch(/5 of 5 signed/);
  });
});
