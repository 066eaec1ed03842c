// AWS Signature Version 4 for S3-compatible stores (AWS S3, MinIO, Ceph, Garage...), with node:crypto
// only: no SDK for four HTTP calls. Pure, so it is checked against AWS's published example.
import { createHash, createHmac } from "node:crypto";

export type SigV4Credentials = { accessKeyId: string; secretAccessKey: string; region: string; service?: string };

const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data, "utf8").digest();
export const sha256Hex = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");
export const EMPTY_SHA256 = sha256Hex("");

/** RFC 3986 encoding as SigV4 wants it; `/` kept in paths. */
function encode(text: string, keepSlash: boolean) {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(keepSlash ? /%2F/g : /$^/, "/");
}

/** `20130524T000000Z` */
export function amzDate(now: Date) {
  return now.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/**
 * The headers to add to a request (x-amz-date, x-amz-content-sha256, Authorization). `headers`
 * must include `host`; every header given is signed.
 */
export function signV4(
  req: { method: string; url: URL; headers: Record<string, string>; payloadSha256: string },
  creds: SigV4Credentials,
  now = new Date(),
): Record<string, string> {
  const service = creds.service ?? "s3";
  const date = amzDate(now);
  const day = date.slice(0, 8);
  const all: Record<string, string> = { ...req.headers, "x-amz-date": date, "x-amz-content-sha256": req.payloadSha256 };
  const names = Object.keys(all).map((n) => n.toLowerCase()).sort();
  const lower = Object.fromEntries(Object.entries(all).map(([k, v]) => [k.toLowerCase(), v.trim().replace(/\s+/g, " ")]));
  const canonicalHeaders = names.map((n) => `${n}:${lower[n]}\n`).join("");
  const signedHeaders = names.join(";");
  const query = [...req.url.searchParams.entries()]
    .map(([k, v]) => [encode(k, false), encode(v, false)])
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  const path = encode(decodeURIComponent(req.url.pathname), true);
  const canonicalRequest = [req.method, path, query, canonicalHeaders, signedHeaders, req.payloadSha256].join("\n");
  const scope = `${day}/${creds.region}/${service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", date, scope, sha256Hex(canonicalRequest)].join("\n");
  const key = hmac(hmac(hmac(hmac(`AWS4${creds.secretAccessKey}`, day), creds.region), service), "aws4_request");
  const signature = createHmac("sha256", key).update(stringToSign, "utf8").digest("hex");
  return {
    "x-amz-date": date,
    "x-amz-content-sha256": req.payloadSha256,
    Authorization: `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}
