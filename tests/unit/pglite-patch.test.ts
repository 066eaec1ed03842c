// patches/@electric-sql+pglite+0.5.16.patch (applied by `npm install`'s postinstall: patch-package)
// makes PGlite measure a text parameter's UTF-8 length with Buffer.byteLength (native) instead of a
// JavaScript loop over every character, which it ran twice per parameter: for a 5,000-hazard import
// (JSON parameters of several MB) about a fifth of the apply's time (issue 9). The patch file is
// large only because the package's files are minified onto one line; the first test proves it
// inserts one statement and changes nothing else (the published files' SHA-256, from the npm
// tarball of 0.5.16).
import { PGlite } from "@electric-sql/pglite";
import fc from "fast-check";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const INSERTED = 'if(typeof Buffer<"u")return Buffer.byteLength(e,"utf8");';
const PUBLISHED: Record<string, string> = {
  "chunk-Y6PULSM7.js": "c8f22366cdad658701476a26b79fe55482fe4c514766d0c941bc434a5e6bad68",
  "index.cjs": "794503693efbf49dedfbf0ce75acb3d343ced7bf9dc08a492343b762c8c2de88",
};
const dist = fileURLToPath(new URL("../../node_modules/@electric-sql/pglite/dist/", import.meta.url));

let db: PGlite;
beforeAll(async () => {
  db = new PGlite();
  await db.waitReady;
});
afterAll(() => db.close());

describe("the patched PGlite", () => {
  it("inserts the one statement into each entry point and changes nothing else", () => {
    for (const [file, sha256] of Object.entries(PUBLISHED)) {
      const text = readFileSync(dist + file, "utf8");
      expect(text.split(INSERTED).length - 1, file).toBe(1);
      expect(createHash("sha256").update(text.replace(INSERTED, "")).digest("hex"), file).toBe(sha256);
    }
  });

  it("sends long text with multibyte characters exactly", async () => {
    const text = "Allergy “alert” — naïve 🚑 ".repeat(40_000);
    const { rows } = await db.query<{ t: string; n: number }>("select $1::text as t, octet_length($1::text) as n", [text]);
    expect(rows[0].t).toBe(text);
    expect(rows[0].n).toBe(Buffer.byteLength(text, "utf8"));
  });

  it("property: any text parameter arrives as its UTF-8 (lone surrogates as U+FFFD, as TextEncoder writes them)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "binary", maxLength: 300 }).map((s) => s.replaceAll("\u0000", "")), async (text) => {
        const { rows } = await db.query<{ t: string }>("select $1::text as t", [text]);
        expect(rows[0].t).toBe(new TextDecoder().decode(new TextEncoder().encode(text)));
      }),
      { numRuns: 200 },
    );
  });
});
