// Import journey (cso@supplier.example): a file with an error shows the problem by row and column
// and writes nothing; a good file → preview → confirm (with progress) → the created hazards show
// in the log. Screenshots and axe on each step.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COL, hazardToRow } from "#app/domain/nhs-template.ts";
import { writeCsv } from "#app/domain/spreadsheet.ts";
import type { RiskScheme } from "#app/domain/risk.ts";
import { NHS_RISK_SCHEME } from "#db/seed-data/nhs-risk-scheme.ts";
import { loadDcspHazards, viewFromInput } from "#tests/fixtures/dcsp-markdown.ts";
import { generatedHazard } from "#tests/fixtures/generated-log.ts";
import { checkA11y, failOnConsoleErrors, launchBrowser, newPage, screenshot, signIn, startApp, type RunningApp } from "./harness.ts";

const SUPPLIER_LOG = "Wessex Shared EPR — DCB0129 hazard log";
const scheme: RiskScheme = { ...NHS_RISK_SCHEME, id: "00000000-0000-4000-8000-000000000001" };

/** The DCSP sample as a CSV of new hazards (no Ref, no Version: every row creates one). */
function sampleCsv(change?: { row: number; letter: string; value: string }, inputs = loadDcspHazards().map((h) => h.input)): Buffer {
  const rows = inputs.map((input, i) => {
    const row = hazardToRow(viewFromInput(input, scheme, i + 1, "00000000-0000-4000-8000-0000000000aa"), new Map());
    row[COL.ref] = null;
    row[COL.version] = null;
    for (const c of [COL.no, COL.dateAdded]) row[c] = null;
    // Evidence cells name an organisation by id here; leave them out (controls keep their text).
    for (const letter of ["H", "J", "L", "R", "T", "V"]) row[letter] = null;
    if (change && i === change.row) row[change.letter] = change.value;
    return row;
  });
  return Buffer.from(writeCsv(rows), "utf8");
}

let app: RunningApp;
let browser: Browser;
let page: Page;
let consoleErrors: ReturnType<typeof failOnConsoleErrors>;
let logId: string;

async function hazardCount(): Promise<number> {
  const res = await page.request.get(`${app.baseUrl}/api/v1/hazard-logs/${logId}/hazards?limit=1`);
  return ((await res.json()) as { total: number }).total;
}

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
  page = await newPage(browser);
  consoleErrors = failOnConsoleErrors(page);
  await signIn(page, app.baseUrl, "cso@supplier.example");
  await page.getByRole("link", { name: SUPPLIER_LOG }).first().click();
  await page.waitForURL(/\/hazard-logs\/[0-9a-f-]{36}$/);
  logId = new URL(page.url()).pathname.split("/")[2];
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe("import into the supplier's hazard log", () => {
  it("shows the import page with export links and an upload form", async () => {
    await page.goto(`${app.baseUrl}/hazard-logs/${logId}/import`);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Import and export");
    expect(await page.getByRole("link", { name: /Excel workbook/ }).getAttribute("href")).toBe(`/api/v1/hazard-logs/${logId}/export?format=xlsx`);
    const download = await page.request.get(`${app.baseUrl}/api/v1/hazard-logs/${logId}/export?format=csv`);
    expect(download.headers()["content-disposition"]).toMatch(/^attachment; filename=".*\.csv"/);
    await screenshot(page, "import-01-upload");
    expect(await checkA11y(page)).toEqual([]);
  });

  it("a file with an error: the problem by row and column, no Confirm, nothing written", async () => {
    const before = await hazardCount();
    await page.goto(`${app.baseUrl}/hazard-logs/${logId}/import`);
    await page.locator("#import-file").setInputFiles({ name: "with-error.csv", mimeType: "text/csv", buffer: sampleCsv({ row: 1, letter: "M", value: "Extreme" }) });
    await page.getByRole("button", { name: "Upload and check" }).click();
    await page.waitForURL(/preview=/);
    const problems = page.getByRole("table", { name: "Problems by row and column" });
    await problems.waitFor();
    expect(await problems.locator("tbody tr").allInnerTexts()).toEqual([expect.stringMatching(/^3\s+M\s+Initial Risk - Severity: "Extreme" is not a severity/)]);
    expect(await page.getByRole("button", { name: "Confirm import" }).count()).toBe(0);
    await screenshot(page, "import-02-problems");
    expect(await checkA11y(page)).toEqual([]);
    expect(await hazardCount()).toBe(before);
    await page.getByRole("button", { name: "Cancel" }).click();
    await page.waitForURL((url) => !url.search.includes("preview"));
  });

  it("a good file: preview lists the creates, confirm writes them, the log shows them", async () => {
    const before = await hazardCount();
    await page.locator("#import-file").setInputFiles({ name: "dcsp-sample.csv", mimeType: "text/csv", buffer: sampleCsv() });
    await page.getByRole("button", { name: "Upload and check" }).click();
    await page.waitForURL(/preview=/);
    await page.getByRole("button", { name: "Confirm import" }).waitFor();
    expect(await page.getByText("9 rows read: 9 to create, 0 to update, 0 unchanged.").count()).toBe(1);
    expect(await page.getByRole("table", { name: "What the import will do" }).locator("tbody tr").count()).toBe(9);
    await screenshot(page, "import-03-preview");
    expect(await checkA11y(page)).toEqual([]);
    expect(await hazardCount()).toBe(before); // still nothing written

    await page.getByRole("button", { name: "Confirm import" }).click();
    await page.getByTestId("import-applied").waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("import-applied").innerText()).toMatch(/9 created, 0 updated/);
    await screenshot(page, "import-04-applied");
    expect(await hazardCount()).toBe(before + 9);

    await page.getByRole("link", { name: "View the hazard log" }).click();
    await page.waitForURL(new RegExp(`/hazard-logs/${logId}$`));
    await page.goto(`${app.baseUrl}/hazard-logs/${logId}?q=Lack of Accessibility`);
    expect(await page.getByRole("cell", { name: "Lack of Accessibility" }).count()).toBe(1);
    await screenshot(page, "import-05-log");
    consoleErrors.assertNone();
  });

  it("a long import shows a progress bar while it is applied", async () => {
    // Long enough that the bulk path writes it in several chunks, each reported as it lands.
    const inputs = Array.from({ length: 1500 }, (_, i) => generatedHazard(i, ["00000000-0000-4000-8000-0000000000aa"]));
    await page.goto(`${app.baseUrl}/hazard-logs/${logId}/import`);
    await page.locator("#import-file").setInputFiles({ name: "long.csv", mimeType: "text/csv", buffer: sampleCsv(undefined, inputs) });
    await page.getByRole("button", { name: "Upload and check" }).click();
    await page.getByRole("button", { name: "Confirm import" }).click();
    const label = page.locator("label[for=confirm-progress]");
    // The progress bar shows while the rows are written (the counts per chunk are an integration test:
    // the bulk path writes 1,500 hazards and their downstream copies in a few seconds).
    await expect(label.textContent()).resolves.toMatch(/Writing hazards: \d+ of 1500/);
    await screenshot(page, "import-06-progress");
    await page.getByTestId("import-applied").waitFor({ timeout: 60_000 });
    expect(await page.getByTestId("import-applied").innerText()).toMatch(/1500 created/);
    consoleErrors.assertNone();
  });
});
