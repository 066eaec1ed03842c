// Shared risk across organisations: the supplier's CSO changes a hazard; Harbourside's CSO sees the
// field-by-field diff on the inherited hazard and accepts it; the ICB's CSO sees on the platform
// roll-up that Harbourside has accepted and Northcliff is still pending.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { asUser, checkA11y, launchBrowser, screenshot, startApp, type RunningApp } from "./harness.ts";

let app: RunningApp;
let browser: Browser;
const ids: { supplier?: string; icb?: string; harbourside?: string; northcliff?: string; platform?: string } = {};
const NEW_HARM = "Delayed escalation of a deteriorating patient overnight";

async function api(email: string, path: string) {
  const token = await fetch(`${app.baseUrl}/api/v1/tokens`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ email, password: "demo-password" }) }).then((r) => r.json());
  return fetch(`${app.baseUrl}${path}`, { headers: { Authorization: `Bearer ${token.token}` } }).then((r) => r.json());
}

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
  // Find a supplier hazard that the ICB and both trusts have accepted, through the roll-up.
  const logs = await api("cso@icb.example", "/api/v1/hazard-logs");
  ids.platform = logs.items[0].platform.id;
  const rollup = await api("cso@icb.example", `/api/v1/platforms/${ids.platform}/rollup`);
  const [supplierOrg, icbOrg, harbourOrg, northOrg] = rollup.organisations.map((o: { id: string }) => o.id);
  const line = rollup.hazards.find((h: { byOrganisation: Record<string, { upstreamAccepted: boolean | null }> }) =>
    [icbOrg, harbourOrg, northOrg].every((o) => h.byOrganisation[o]?.upstreamAccepted === true));
  ids.supplier = line.byOrganisation[supplierOrg].hazardId;
  ids.icb = line.byOrganisation[icbOrg].hazardId;
  ids.harbourside = line.byOrganisation[harbourOrg].hazardId;
  ids.northcliff = line.byOrganisation[northOrg].hazardId;
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const as = (email: string, run: (page: Page) => Promise<void>) => asUser(browser, app.baseUrl, email, run);

it("the supplier CSO changes the potential harm of a hazard, with a reason", async () => {
  await as("cso@supplier.example", async (page) => {
    await page.goto(`${app.baseUrl}/hazards/${ids.supplier}/edit`);
    await page.getByLabel("Potential clinical harm").fill(NEW_HARM);
    await page.getByLabel(/Reason for the change/).fill("Harm restated after a trust incident review");
    await page.locator("button.nhsuk-button[name=intent][value=save]").click();
    await page.waitForURL(new RegExp(`/hazards/${ids.supplier}$`));
    // Remix changes the URL before it renders the new page: wait for the saved text itself.
    await page.getByText(NEW_HARM).first().waitFor();
  });
});

it("Harbourside's CSO sees what changed upstream and accepts it", async () => {
  await as("cso@harbourside.example", async (page) => {
    await page.goto(`${app.baseUrl}/hazards/${ids.harbourside}`);
    const panel = page.getByRole("region", { name: /Changed upstream since you accepted/ });
    expect(await panel.innerText()).toContain(NEW_HARM);
    await screenshot(page, "inheritance-01-harbourside-diff");
    expect(await checkA11y(page)).toEqual([]);
    await panel.getByRole("button", { name: /Accept upstream version/ }).click();
    await page.getByRole("region", { name: /Changed upstream since you accepted/ }).waitFor({ state: "detached" });
    expect(await page.locator("main").innerText()).toMatch(/up to date/);
    await screenshot(page, "inheritance-02-harbourside-accepted");
    // An incident against the shared hazard: it flags the hazard here and upstream for review.
    await page.getByText("Record an incident").click();
    await page.getByLabel("Date it happened").fill("2026-11-20");
    await page.getByLabel("What happened").fill("Wrong patient opened from the ward list; caught before any order was placed");
    await page.getByRole("button", { name: "Record incident" }).click();
    await page.getByRole("cell", { name: /Wrong patient opened from the ward list/ }).waitFor();
    expect(await page.getByRole("heading", { name: /Review needed/ }).count()).toBe(1);
    await screenshot(page, "inheritance-02b-incident");
    expect(await checkA11y(page)).toEqual([]);
  });
});

it("the ICB CSO sees Harbourside accepted and Northcliff pending on the roll-up", async () => {
  await as("cso@icb.example", async (page) => {
    await page.goto(`${app.baseUrl}/platforms/${ids.platform}?pending=true`);
    const row = page.getByRole("row").filter({ has: page.locator(`a[href="/hazards/${ids.supplier}"]`) });
    const cells = row.getByRole("cell");
    expect(await cells.count()).toBe(4);
    const [supplier, icb, harbourside, northcliff] = await cells.allInnerTexts();
    expect(supplier).not.toContain("Pending");
    expect(icb).toContain("Pending");
    expect(harbourside).not.toContain("Pending");
    expect(northcliff).toContain("Pending");
    await screenshot(page, "inheritance-03-icb-rollup");
    expect(await checkA11y(page)).toEqual([]);
    // A cell is a plain link (app/components/client-links.tsx) that opens the hazard within the app.
    await page.evaluate(() => { (window as unknown as { stayed: boolean }).stayed = true; });
    await row.locator(`a.app-rollup-cell[href="/hazards/${ids.supplier}"]`).click();
    await page.waitForURL(new RegExp(`/hazards/${ids.supplier}$`));
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed === true)).toBe(true);
  });
});

it("the ICB CSO reads the transferred controls and the board assurance summary", async () => {
  await as("cso@icb.example", async (page) => {
    await page.goto(`${app.baseUrl}/platforms/${ids.platform}/transferred`);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Transferred controls");
    expect(await page.locator("main tbody").innerText()).toMatch(/Planned/);
    await screenshot(page, "inheritance-04-transferred");
    expect(await checkA11y(page)).toEqual([]);
    await page.goto(`${app.baseUrl}/platforms/${ids.platform}/board`);
    expect(await page.getByRole("table", { name: /Principal risks/ }).count()).toBe(1);
    await screenshot(page, "inheritance-05-board");
    expect(await checkA11y(page)).toEqual([]);
  });
});
