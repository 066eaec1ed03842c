// Per-user upload limits (issue 8: "rate limits on … upload"): evidence uploads and import uploads
// are each counted per user in a window (UPLOAD_RATE_LIMIT per UPLOAD_RATE_WINDOW_SECONDS); past
// the limit the API and the browser forms answer 429 with Retry-After and a clear message, before a
// byte of the body is read, and nothing is kept. Other users, and the other kind of upload, go on.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "#db/client.ts";
import { signInThrottle } from "#db/schema/index.ts";
import * as controlRoute from "#app/routes/controls.$id.tsx";
import * as importPageRoute from "#app/routes/hazard-logs.$id_.import.tsx";
import * as importUploadRoute from "#app/routes/hazard-logs.$id_.import.upload.ts";
import { takeUploadSlot, uploadKey } from "#app/throttle.server.ts";
import { BASE, context, userId } from "#tests/support/requests.ts";
import { closeTestDb, openTestDb } from "#tests/setup/test-db.ts";
import { cookieFor } from "../hazards/page-helpers.ts";
import { counts, emptyLog, importVia, multipart } from "../import-export/helpers.ts";
import { PDF, evidenceCount, filesOnDisk, sendUpload, supplierControls, tokenFor, upload } from "./helpers.ts";

// Read once by getEnv() in this file's own process.
const LIMIT = 3;
process.env.UPLOAD_RATE_LIMIT = String(LIMIT);
process.env.UPLOAD_RATE_WINDOW_SECONDS = "600";

let db: Db;
let controlId: string;
const t: Record<string, string> = {};
const pdf = { bytes: PDF, name: "report.pdf", type: "application/pdf" };

/** A page action's answer with its headers (settle() keeps only the status of data(…, init)). */
async function formAnswer(run: () => Promise<unknown>): Promise<Response> {
  const result = (await run()) as { type?: string; data?: unknown; init?: ResponseInit };
  if (result instanceof Response) return result;
  expect(result.type).toBe("DataWithResponseInit");
  return Response.json(result.data, result.init);
}

/** A body that fails the moment anyone reads it: a 429 proves the limit came first. */
function unreadableBody(): ReadableStream<Uint8Array> {
  return new ReadableStream({ pull: (controller) => controller.error(new Error("the body was read")) });
}

beforeAll(async () => {
  ({ db } = await openTestDb());
  controlId = (await supplierControls(db))[0].controlId;
  t.engineer = await tokenFor(db, "engineer@supplier.example");
  t.cso = await tokenFor(db, "cso@supplier.example");
});
afterAll(closeTestDb);

describe("evidence uploads per user", () => {
  it(`allows ${LIMIT} in the window, then answers 429 with Retry-After before reading the body; nothing is kept`, async () => {
    for (let i = 0; i < LIMIT; i++) expect((await upload(controlId, t.engineer, pdf)).status).toBe(201);
    const rows = await evidenceCount(db);
    const files = filesOnDisk().length;

    const refused = await upload(controlId, t.engineer, pdf);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("too_many_requests");
    expect(refused.body.error.message).toMatch(new RegExp(`uploaded ${LIMIT} evidence files in the last 10 minutes.*Nothing was uploaded; try again in \\d+ (seconds|minutes)`));
    const retryAfter = Number(refused.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(600);

    const request = new Request(`http://localhost/api/v1/controls/${controlId}/evidence`, {
      method: "POST", body: unreadableBody(), duplex: "half",
      headers: { Authorization: `Bearer ${t.engineer}`, "Content-Type": "multipart/form-data; boundary=x" },
    } as RequestInit);
    expect((await sendUpload(controlId, request)).status).toBe(429);

    expect(await evidenceCount(db)).toBe(rows);
    expect(filesOnDisk()).toHaveLength(files); // no stored file, no temp file
  });

  it("the browser form answers 429 with Retry-After and the message for the error summary", async () => {
    const form = new FormData();
    form.append("description", "Summary report");
    form.append("file", new Blob([new Uint8Array(PDF)], { type: "application/pdf" }), "pen-test.pdf");
    const request = new Request(`${BASE}/controls/${controlId}`, { method: "POST", body: form, headers: { Origin: BASE, Cookie: await cookieFor("engineer@supplier.example") } });
    const res = await formAnswer(() => controlRoute.action({ request, params: { id: controlId }, context: context() } as never));
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(0);
    const body = await res.json();
    expect(body.formError).toMatch(/uploaded 3 evidence files .*try again in/);
  });

  it("counts per user: another member of the organisation still uploads", async () => {
    expect((await upload(controlId, t.cso, pdf)).status).toBe(201);
  });

  it("opens again once the window has passed", async () => {
    const engineer = await userId(db, "engineer@supplier.example");
    const rate = { limit: LIMIT, windowMs: 600_000 };
    await expect(takeUploadSlot(db, "evidence", engineer, new Date(), rate)).rejects.toMatchObject({ status: 429 });
    const later = new Date(Date.now() + 601_000);
    await expect(takeUploadSlot(db, "evidence", engineer, later, rate)).resolves.toBeUndefined();
    const [row] = await db.select().from(signInThrottle).where(eq(signInThrottle.key, uploadKey("evidence", engineer)));
    expect(row.failures).toBe(1); // a new window counts from one
  });
});

describe("import uploads per user", () => {
  it(`allows ${LIMIT} (API, page form, progress-bar upload alike), then 429 with Retry-After; nothing written`, async () => {
    const log = await emptyLog(db, "Rate-limited import");
    // Three attempts count, whatever their outcome (here: a file with wrong headings, 422).
    for (let i = 0; i < LIMIT; i++) expect((await importVia(db, "cso@supplier.example", log, multipart("not,a,template\n1,2,3\n", "x.csv"))).status).toBe(422);
    const before = await counts(db);

    const api = await importVia(db, "cso@supplier.example", log, unreadableBody(), { "Content-Type": "multipart/form-data; boundary=x" });
    expect(api.status).toBe(429);
    expect(api.body.error.message).toMatch(/uploaded 3 import files in the last 10 minutes.*try again in/);

    const cookie = await cookieFor("cso@supplier.example");
    const pageForm = new Request(`${BASE}/hazard-logs/${log}/import`, { method: "POST", body: multipart("a,b\n1,2\n", "x.csv"), headers: { Origin: BASE, Cookie: cookie } });
    const page = await formAnswer(() => importPageRoute.action({ request: pageForm, params: { id: log }, context: context() } as never));
    expect(page.status).toBe(429);
    expect(Number(page.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect((await page.json()).formError).toMatch(/try again in/);

    const xhr = new Request(`${BASE}/hazard-logs/${log}/import/upload`, { method: "POST", body: multipart("a,b\n1,2\n", "x.csv"), headers: { Origin: BASE, Cookie: cookie } });
    const progressUpload = await importUploadRoute.action({ request: xhr, params: { id: log }, context: context() } as never);
    expect(progressUpload.status).toBe(429);
    expect(Number(progressUpload.headers.get("Retry-After"))).toBeGreaterThan(0);

    expect(await counts(db)).toEqual(before);
  });

  it("the evidence and import limits are counted apart", async () => {
    // The supplier's CSO has used up the import allowance above, and one evidence upload of three.
    expect((await upload(controlId, t.cso, pdf)).status).toBe(201);
  });
});
