// Evidence in an S3-compatible bucket, path-style (`<endpoint>/<bucket>/<prefix><key>`), signed
// with SigV4 over node:http(s) so uploads stream from the checked temp file with a Content-Length
// (S3 refuses chunked PUTs without it). The payload hash signed is the SHA-256 taken at upload.
import { createReadStream } from "node:fs";
import { rm } from "node:fs/promises";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Readable } from "node:stream";
import { EMPTY_SHA256, signV4 } from "./sigv4.ts";
import { assertKey, type EvidenceStore } from "./types.ts";

export type S3Config = { endpoint: string; bucket: string; region: string; accessKeyId: string; secretAccessKey: string; prefix: string };

export function createS3Store(config: S3Config): EvidenceStore {
  const urlOf = (key: string) => {
    assertKey(key);
    const base = config.endpoint.replace(/\/+$/, "");
    return new URL(`${base}/${encodeURIComponent(config.bucket)}/${config.prefix}${key}`);
  };
  function send(method: string, url: URL, payloadSha256: string, extra: Record<string, string> = {}, body?: Readable): Promise<IncomingMessage> {
    const headers = { host: url.host, ...extra };
    const signed = signV4({ method, url, headers, payloadSha256 }, config);
    const request = url.protocol === "https:" ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = request(url, { method, headers: { ...headers, ...signed } }, resolve);
      req.on("error", reject);
      if (body) {
        body.on("error", (e) => req.destroy(e));
        body.pipe(req);
      } else req.end();
    });
  }
  async function expectOk(res: IncomingMessage, what: string) {
    if (res.statusCode && res.statusCode >= 200 && res.statusCode < 300) return;
    res.resume();
    throw new Error(`S3 ${what} answered ${res.statusCode}`);
  }
  return {
    kind: "s3",
    async putFile(key, localPath, meta) {
      const res = await send("PUT", urlOf(key), meta.sha256, { "content-length": String(meta.size), "content-type": "application/octet-stream" }, createReadStream(localPath));
      await expectOk(res, "PUT");
      res.resume();
      await rm(localPath, { force: true });
    },
    async read(key) {
      const res = await send("GET", urlOf(key), EMPTY_SHA256);
      await expectOk(res, "GET");
      return res;
    },
    async remove(key) {
      const res = await send("DELETE", urlOf(key), EMPTY_SHA256);
      res.resume();
      if (res.statusCode !== 404) await expectOk(res, "DELETE");
    },
  };
}
