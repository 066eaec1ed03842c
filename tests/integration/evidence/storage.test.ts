// The evidence store: a file whose stored bytes no longer match its SHA-256 is flagged and never
// served (filesystem); the S3-compatible store signs and streams against a local fake bucket; a
// failed database write removes the object it had just stored.
import { createHash } from "node:crypto";
import { chmodSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "#db/client.ts";
import { evidence } from "#db/schema/index.ts";
import { createS3Store } from "#app/storage/s3.server.ts";
import { useEvidenceStore } from "#app/storage/index.server.ts";
import { closeTestDb, openTestDb } from "#tests/setup/test-db.ts";
import { PDF, download, filesOnDisk, flaggedCount, sha256, supplierControls, tokenFor, upload } from "./helpers.ts";

let db: Db;
let controlId: string;
const t: Record<string, string> = {};

beforeAll(async () => {
  ({ db } = await openTestDb());
  controlId = (await supplierControls(db))[0].controlId;
  t.engineer = await tokenFor(db, "engineer@supplier.example");
  t.icb = await tokenFor(db, "cso@icb.example");
});
afterAll(closeTestDb);

describe("integrity", () => {
  it("flags a file whose bytes changed on disk (422, audited) and never serves it again", async () => {
    const res = await upload(controlId, t.engineer, { bytes: PDF, name: "report.pdf" });
    const [row] = await db.select().from(evidence).where(eq(evidence.id, res.body.id));
    const path = join(process.env.DATA_DIR!, "evidence", "files", row.storageKey.slice(0, 2), row.storageKey);
    chmodSync(path, 0o640);
    writeFileSync(path, new TextEncoder().encode("%PDF-1.4 tampered"));
    const first = await download(row.id, t.icb);
    expect(first.status).toBe(422);
    expect(first.body.error).toMatchObject({ code: "integrity_failed" });
    expect(first.body.error.message).toMatch(/Integrity check failed/);
    expect(await flaggedCount(db)).toBe(1);
    writeFileSync(path, PDF); // even restored bytes stay flagged until someone looks into it
    expect((await download(row.id, t.icb)).status).toBe(422);
  });
});

describe("S3-compatible store (SigV4 over HTTP)", () => {
  const objects = new Map<string, Buffer>();
  const seen: { method: string; url: string; auth: string; payload: string }[] = [];
  let server: Server;
  let endpoint = "";

  beforeAll(async () => {
    // why: a fake bucket in-process; no S3 service is reachable from the test machine.
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks);
        seen.push({ method: req.method!, url: req.url!, auth: String(req.headers.authorization), payload: String(req.headers["x-amz-content-sha256"]) });
        if (req.method === "PUT") {
          if (createHash("sha256").update(body).digest("hex") !== req.headers["x-amz-content-sha256"]) return void res.writeHead(400).end("XAmzContentSHA256Mismatch");
          objects.set(req.url!, body);
          return void res.writeHead(200).end();
        }
        if (req.method === "GET") return void (objects.has(req.url!) ? res.writeHead(200).end(objects.get(req.url!)) : res.writeHead(404).end());
        if (req.method === "DELETE") return void (objects.delete(req.url!), res.writeHead(204).end());
        res.writeHead(405).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const address = server.address();
    endpoint = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    useEvidenceStore(createS3Store({ endpoint, bucket: "evidence-bucket", region: "eu-west-2", accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret", prefix: "evidence/" }));
  });
  afterAll(async () => {
    useEvidenceStore(undefined);
    await new Promise((r) => server.close(r));
  });

  it("PUTs the checked file signed with its SHA-256, keeps nothing locally, and GETs it back", async () => {
    const before = filesOnDisk().length;
    const res = await upload(controlId, t.engineer, { bytes: PDF, name: "s3.pdf" });
    expect(res.status).toBe(201);
    const put = seen.find((s) => s.method === "PUT")!;
    expect(put.url).toMatch(/^\/evidence-bucket\/evidence\/[0-9a-f]{32}$/);
    expect(put.payload).toBe(sha256(PDF));
    expect(put.auth).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-2\/s3\/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/);
    expect(filesOnDisk().length).toBe(before);
    const file = await download(res.body.id, t.icb);
    expect(file.status).toBe(200);
    expect(sha256(file.bytes)).toBe(sha256(PDF));
  });

  it("flags an object changed in the bucket", async () => {
    const res = await upload(controlId, t.engineer, { bytes: PDF, name: "s3b.pdf" });
    const [row] = await db.select().from(evidence).where(eq(evidence.id, res.body.id));
    objects.set(`/evidence-bucket/evidence/${row.storageKey}`, Buffer.from("changed"));
    expect((await download(row.id, t.icb)).status).toBe(422);
  });
});
