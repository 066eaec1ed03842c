// Large reports render in the report worker thread (server/report-worker.js): started with the
// threshold at 1 hazard, the built app serves every report from the worker, as a complete PDF with
// every hazard ref and the DRAFT banner, while it keeps answering other requests.
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startApp, type RunningApp } from "./harness.ts";

let app: RunningApp;
let token = "";

beforeAll(async () => {
  app = await startApp({ env: { REPORT_WORKER_MIN_HAZARDS: "1" } });
  const res = await fetch(`${app.baseUrl}/api/v1/tokens`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ email: "cso@supplier.example", password: "demo-password" }) });
  token = (await res.json()).token;
});
afterAll(async () => {
  await app?.stop();
});

const get = (path: string) => fetch(`${app.baseUrl}${path}`, { headers: { Authorization: `Bearer ${token}` } });

it("renders the hazard log report in the worker thread, complete, while /healthz still answers", async () => {
  const logs = await (await get("/api/v1/hazard-logs")).json();
  const supplierLog = logs.items.find((l: { scope: string }) => l.scope === "platform");
  const pending = get(`/api/v1/hazard-logs/${supplierLog.id}/report.pdf`);
  const health = await fetch(`${app.baseUrl}/healthz`);
  expect(health.status).toBe(200);
  const res = await pending;
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/pdf");
  expect(res.headers.get("x-report-rendered-by")).toBe("worker");
  const bytes = Buffer.from(await res.arrayBuffer());
  expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
  const text = execFileSync("pdftotext", ["-layout", "-", "-"], { input: bytes }).toString();
  expect(text).toMatch(/DRAFT/);
  for (let n = 1; n <= 30; n++) expect(text).toContain(`H-${String(n).padStart(3, "0")}`);
});

it("renders a safety case report in the worker too", async () => {
  const logs = await (await get("/api/v1/hazard-logs")).json();
  const supplierLog = logs.items.find((l: { scope: string }) => l.scope === "platform");
  const created = await fetch(`${app.baseUrl}/api/v1/safety-cases`, { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: JSON.stringify({ hazardLogId: supplierLog.id, title: "Worker case" }) });
  const { id } = await created.json();
  const res = await get(`/api/v1/safety-cases/${id}/report.pdf`);
  expect(res.status).toBe(200);
  expect(res.headers.get("x-report-rendered-by")).toBe("worker");
  const text = execFileSync("pdftotext", ["-", "-"], { input: Buffer.from(await res.arrayBuffer()) }).toString();
  expect(text).toContain("Worker case");
  expect(text).toContain("Not yet signed");
});
