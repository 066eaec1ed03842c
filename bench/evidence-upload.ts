// Evidence upload throughput and memory: a 20 MB PDF sent as a streamed multipart body through the
// real API route (POST /api/v1/controls/{id}/evidence: busboy → temp file with SHA-256 → content
// check → evidence store → row + audit), several times, while RSS and heap are sampled every 10 ms.
// Streaming means memory stays flat: the peak over the idle baseline should be a few MB, not 20.
//   npx tsx bench/evidence-upload.ts            (BENCH_UPLOADS=5, BENCH_UPLOAD_MB=20)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { openDb } from "#db/client.ts";
import { controls, hazardLogs } from "#db/schema/index.ts";
import { seedDemo } from "#db/seed.ts";
import { useDatabase } from "#app/db.server.ts";
import { createToken } from "#app/tokens.server.ts";
import { users } from "#db/schema/index.ts";

const UPLOADS = Number(process.env.BENCH_UPLOADS ?? 5);
const MB = Number(process.env.BENCH_UPLOAD_MB ?? 20);
const SIZE = MB * 1024 * 1024;
const CHUNK = 64 * 1024;

const dataDir = mkdtempSync(join(tmpdir(), "bench-evidence-"));
process.env.DATA_DIR = dataDir;
process.env.NODE_ENV = "test";
process.env.SESSION_SECRET ??= "bench-session-secret-not-for-production-use-000000";

/** A multipart body produced chunk by chunk: the client side holds no 20 MB buffer either. */
function multipartStream(boundary: string, size: number): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  const head = enc.encode(`--${boundary}\r\nContent-Disposition: form-data; name="description"\r\n\r\nBench upload\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n`);
  const tail = enc.encode(`\n%%EOF\r\n--${boundary}--\r\n`);
  const filler = new Uint8Array(CHUNK).map((_, i) => 32 + (i % 90)); // printable, no boundary in it
  let sent = 0;
  const body = size - 9 - 7; // "%PDF-1.7\n" and "\n%%EOF" around the filler
  let stage: "head" | "body" | "tail" | "done" = "head";
  return new ReadableStream({
    pull(controller) {
      if (stage === "head") { controller.enqueue(head); stage = "body"; return; }
      if (stage === "body") {
        const n = Math.min(CHUNK, body - sent);
        controller.enqueue(filler.slice(0, n));
        sent += n;
        if (sent >= body) stage = "tail";
        return;
      }
      if (stage === "tail") { controller.enqueue(tail); stage = "done"; return; }
      controller.close();
    },
  });
}

async function main() {
  const open = await openDb("pglite://memory");
  useDatabase(open);
  await seedDemo(open.db, { password: "demo-password" });
  const route = await import("#app/routes/api.v1.controls.$id.evidence.ts");
  const [control] = await open.db
    .select({ id: controls.id })
    .from(controls)
    .innerJoin(hazardLogs, eq(hazardLogs.id, controls.hazardLogId))
    .where(and(eq(hazardLogs.scope, "platform"), eq(controls.ownerOrganisationId, hazardLogs.organisationId)))
    .limit(1);
  const [engineer] = await open.db.select().from(users).where(eq(users.email, "engineer@supplier.example"));
  const { token } = await createToken(engineer.id, "bench");

  const upload = async () => {
    const boundary = `bench${Math.random().toString(16).slice(2)}`;
    const request = new Request(`http://localhost/api/v1/controls/${control.id}/evidence`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": `multipart/form-data; boundary=${boundary}` },
      body: multipartStream(boundary, SIZE),
      duplex: "half",
    } as RequestInit);
    const res = await route.action({ request, params: { id: control.id }, context: { requestId: "bench", cspNonce: "n", clientIp: "127.0.0.1" } } as never);
    if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
    await res.text();
  };

  await upload(); // warm-up (module loading, first store directories)
  global.gc?.();
  await new Promise((r) => setTimeout(r, 200));
  const baseline = process.memoryUsage();
  let peakRss = baseline.rss;
  let peakHeap = baseline.heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 10);
  const times: number[] = [];
  for (let i = 0; i < UPLOADS; i++) {
    const t0 = performance.now();
    await upload();
    times.push(performance.now() - t0);
  }
  clearInterval(sampler);
  const totalS = times.reduce((a, b) => a + b, 0) / 1000;
  const toMb = (b: number) => Math.round((b / (1024 * 1024)) * 10) / 10;
  const results = [
    { metric: "evidence_upload_throughput", value: Math.round(((MB * UPLOADS) / totalS) * 10) / 10, unit: "MB/s", uploads: UPLOADS, fileMB: MB },
    { metric: "evidence_upload_ms", value: Math.round(times.reduce((a, b) => a + b, 0) / times.length), unit: "ms per upload", min: Math.round(Math.min(...times)), max: Math.round(Math.max(...times)) },
    { metric: "evidence_upload_rss_growth", value: toMb(peakRss - baseline.rss), unit: "MB over baseline", baselineMB: toMb(baseline.rss), peakMB: toMb(peakRss) },
    { metric: "evidence_upload_heap_growth", value: toMb(peakHeap - baseline.heapUsed), unit: "MB over baseline", baselineMB: toMb(baseline.heapUsed), peakMB: toMb(peakHeap) },
  ];
  for (const r of results) console.log(JSON.stringify(r));
  await open.close();
  rmSync(dataDir, { recursive: true, force: true });
}

await main();
