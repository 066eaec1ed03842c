// The control page with a browser's cookie: what each reader may do, the request form, a browser
// upload (multipart through the page action), review with and without a reason, the home page's
// lists, and the cookie download; strangers get 404.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "#db/client.ts";
import * as controlRoute from "#app/routes/controls.$id.tsx";
import * as homeRoute from "#app/routes/_index.tsx";
import * as fileRoute from "#app/routes/api.v1.evidence.$id.file.ts";
import { context, getRequest, formRequest, protection, settle, BASE } from "#tests/support/requests.ts";
import { closeTestDb, openTestDb } from "#tests/setup/test-db.ts";
import { cookieFor } from "../hazards/page-helpers.ts";
import { PDF, organisationId, supplierControls } from "./helpers.ts";

let db: Db;
let controlId: string;
let supplier: string;

beforeAll(async () => {
  ({ db } = await openTestDb());
  controlId = (await supplierControls(db))[0].controlId;
  supplier = await organisationId(db, "acme-health");
});
afterAll(closeTestDb);

const page = async (email: string) => settle(async () => controlRoute.loader({ request: getRequest(`/controls/${controlId}`, { Cookie: await cookieFor(email) }), params: { id: controlId }, context: context() } as never));
const post = async (email: string, fields: Record<string, string>) => settle(async () => controlRoute.action({ request: formRequest(`/controls/${controlId}`, fields, { Cookie: await cookieFor(email) }), params: { id: controlId }, context: context() } as never));

describe("control page", () => {
  it("shows the control to readers with what each may do, and 404 to strangers", async () => {
    const icb = await (await page("cso@icb.example")).json();
    expect(icb.may).toMatchObject({ request: true, uploadDirect: false, uploadForRequests: [], review: [] });
    const engineer = await (await page("engineer@supplier.example")).json();
    expect(engineer.may).toMatchObject({ request: false, uploadDirect: true });
    expect((await page("cso@othersupplier.example")).status).toBe(404);
  });

  it("requests evidence through the form, with errors for bad input", async () => {
    const bad = await post("cso@icb.example", { intent: "request", fromOrganisationId: supplier, description: "" });
    expect(bad.status).toBe(400);
    const ok = await post("cso@icb.example", { intent: "request", fromOrganisationId: supplier, description: "Penetration test summary", dueDate: "2026-12-01" });
    expect(ok.status).toBe(302);
    expect(ok.headers.get("Location")).toBe(`/controls/${controlId}?done=requested`);
    const home = await (await settle(async () => homeRoute.loader({ request: getRequest("/", { Cookie: await cookieFor("engineer@supplier.example") }), params: {}, context: context() } as never))).json();
    expect(home.evidenceWork.requests.map((r: { description: string }) => r.description)).toContain("Penetration test summary");
  });

  it("uploads from the browser form (multipart) and the requester reviews it", async () => {
    const data = await (await page("engineer@supplier.example")).json();
    const form = new FormData();
    // The hidden token and key come first, as the page's form places them before the file.
    for (const [k, v] of Object.entries(protection(await cookieFor("engineer@supplier.example")))) form.append(k, v);
    form.append("requestId", data.may.uploadForRequests[0]);
    form.append("description", "Summary report");
    form.append("file", new Blob([new Uint8Array(PDF)], { type: "application/pdf" }), "pen-test.pdf");
    const request = new Request(`${BASE}/controls/${controlId}`, { method: "POST", body: form, headers: { Origin: BASE, Cookie: await cookieFor("engineer@supplier.example") } });
    const res = await settle(() => controlRoute.action({ request, params: { id: controlId }, context: context() } as never));
    expect(res.status).toBe(302);
    const icb = await (await page("cso@icb.example")).json();
    const [itemId] = icb.may.review;
    expect(itemId).toBeTruthy();
    const home = await (await settle(async () => homeRoute.loader({ request: getRequest("/", { Cookie: await cookieFor("cso@icb.example") }), params: {}, context: context() } as never))).json();
    expect(home.evidenceWork.toReview.map((i: { id: string }) => i.id)).toContain(itemId);
    const noReason = await post("cso@icb.example", { intent: "review", evidenceId: itemId, decision: "reject", reason: "" });
    expect(noReason.status).toBe(400);
    expect((await post("cso@icb.example", { intent: "review", evidenceId: itemId, decision: "reject", reason: "Summary only: send the full report" })).status).toBe(302);
    const after = await (await page("engineer@supplier.example")).json();
    expect(after.items[0]).toMatchObject({ state: "rejected", review: { reason: "Summary only: send the full report" } });
    const cookieDownload = await fileRoute.loader({ request: getRequest(`/api/v1/evidence/${itemId}/file`, { Cookie: await cookieFor("cso@harbourside.example") }), params: { id: itemId }, context: context() } as never);
    expect(cookieDownload.status).toBe(200);
    expect(cookieDownload.headers.get("Content-Disposition")).toMatch(/^attachment;/);
  });
});
