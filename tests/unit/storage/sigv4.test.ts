import { describe, expect, it } from "vitest";
import { EMPTY_SHA256, signV4 } from "#app/storage/sigv4.ts";

describe("signV4", () => {
  // AWS's published example "GET Object" (Amazon S3 API reference, Signature Version 4 examples).
  it("matches AWS's worked example for a GET Object with a Range header", () => {
    const url = new URL("https://examplebucket.s3.amazonaws.com/test.txt");
    const signed = signV4(
      { method: "GET", url, headers: { host: "examplebucket.s3.amazonaws.com", range: "bytes=0-9" }, payloadSha256: EMPTY_SHA256 },
      { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1" },
      new Date("2013-05-24T00:00:00Z"),
    );
    expect(signed.Authorization).toBe(
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
    );
  });
});
