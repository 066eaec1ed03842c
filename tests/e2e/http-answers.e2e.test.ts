// How the built server sends a page and a JSON answer: with their length (Content-Length, one
// write, not chunked with a closing chunk of their own: issue 9), byte for byte what the length
// says, and compressed when the client accepts gzip (the browser's case), the length then dropped.
import http from "node:http";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInOverHttp, startApp, type RunningApp } from "./harness.ts";

let app: RunningApp;
beforeAll(async () => {
  app = await startApp({ timeoutMs: 240_000 });
}, 300_000);
afterAll(async () => {
  await app?.stop();
});

/** node:http, so no Accept-Encoding is sent unless asked for (fetch always asks for gzip). */
function get(path: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${app.baseUrl}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on("error", reject);
  });
}

describe("answers of the built server", () => {
  it("a log page and the hazard list carry their length, and are gzipped for a client that accepts it", async () => {
    const { cookie } = await signInOverHttp(app, "cso@supplier.example");
    const logs = (await (await fetch(`${app.baseUrl}/api/v1/hazard-logs`, { headers: { Cookie: cookie } })).json()) as { items: { id: string; standard: string }[] };
    const log = logs.items.find((l) => l.standard === "DCB0129")!;
    for (const [path, type, mark] of [
      [`/hazard-logs/${log.id}`, "text/html", "Wrong patient"],
      [`/api/v1/hazard-logs/${log.id}/hazards`, "application/json", '"items":['],
    ]) {
      const plain = await get(path, { Cookie: cookie });
      expect(plain.status, path).toBe(200);
      expect(plain.headers["content-type"]).toContain(type);
      expect(plain.headers["transfer-encoding"], path).toBeUndefined();
      expect(Number(plain.headers["content-length"]), path).toBe(plain.body.length);
      expect(plain.body.toString("utf8")).toContain(mark);
      expect(plain.body.includes(0), `${path}: no NUL byte`).toBe(false);

      const gzipped = await get(path, { Cookie: cookie, "Accept-Encoding": "gzip" });
      expect(gzipped.status, path).toBe(200);
      expect(gzipped.headers["content-encoding"], path).toBe("gzip");
      expect(gzipped.headers["content-length"], path).toBeUndefined();
      expect(gunzipSync(gzipped.body).toString("utf8")).toContain(mark);
    }
  }, 120_000);
});
