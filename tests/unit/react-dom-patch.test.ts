// patches/react-dom+18.3.1.patch (applied by `npm install`'s postinstall: patch-package) makes
// React's server renderer (the production build the server bundles) append each piece of a
// document to one string and hand the whole string to the destination, instead of UTF-8-encoding
// every piece (a tag, an attribute name, a value, a quote) into a 2 KB buffer with its own
// TextEncoder call: a tenth of a log page's server time on a 2-core machine (issue 9).
//
// It also mends a fault of the published renderer (facebook/react#24985, #31134; fixed only in
// React 19): where a multibyte character did not fit at the end of a 2 KB buffer, the whole buffer
// was written, unused bytes included, so a page could carry NUL bytes ("patient\0\0’s").
//
// The first test undoes the patch's replacements and gets the published file back (SHA-256 of
// react-dom 18.3.1's file in the npm tarball): the patch changes those statements and nothing else.
// The others render the same trees with the published renderer (rebuilt that way) and the patched
// one: the same bytes, but for the NUL bytes the published one inserts.
import fc from "fast-check";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Writable } from "node:stream";
import { createElement, Fragment, Suspense, type ReactNode } from "react";
import { describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
const FILE = join(dirname(require.resolve("react-dom/package.json")), "cjs/react-dom-server.node.production.min.js");
const PUBLISHED_SHA256 = "967e9ceae29baf904e504b102061ca072015678e4e07121f212d5da23a1400af";

/** [patched, published], in the order the patch made them. */
const REPLACEMENTS: [string, string][] = [
  [
    "// Patched (patches/react-dom+18.3.1.patch, issue 9): the document is written as one string, each\n// piece appended to it, instead of each piece UTF-8-encoded into a 2 KB buffer on its own.\n",
    "",
  ],
  ['k="",l=0,q=!0;', "k=null,l=0,q=!0;"],
  [
    'function r(a,b){k+="string"===typeof b?b:chunkDecoder.decode(b)}',
    'function r(a,b){if("string"===typeof b){if(0!==b.length)if(2048<3*b.length)0<l&&(t(a,k.subarray(0,l)),k=new Uint8Array(2048),l=0),t(a,u.encode(b));else{var c=k;0<l&&(c=k.subarray(l));c=u.encodeInto(b,c);var d=c.read;l+=c.written;d<b.length&&(t(a,k),k=new Uint8Array(2048),l=u.encodeInto(b.slice(d),k).written);2048===l&&(t(a,k),k=new Uint8Array(2048),l=0)}}else 0!==b.byteLength&&(2048<b.byteLength?(0<l&&(t(a,k.subarray(0,l)),k=new Uint8Array(2048),l=0),t(a,b)):(c=k.length-l,c<b.byteLength&&(0===c?t(a,\nk):(k.set(b.subarray(0,c),l),l+=c,t(a,k),b=b.subarray(c)),k=new Uint8Array(2048),l=0),k.set(b,l),l+=b.byteLength,2048===l&&(t(a,k),k=new Uint8Array(2048),l=0)))}',
  ],
  ['function ca(a){0<k.length&&a.write(k);k="";l=0;q=!0}', "function ca(a){k&&0<l&&a.write(k.subarray(0,l));k=null;l=0;q=!0}"],
  ["var u=new aa.TextEncoder,chunkDecoder=new aa.TextDecoder;function x(a){return a}", "var u=new aa.TextEncoder;function x(a){return u.encode(a)}"],
  ['k="";l=0;q=!0;', "k=new Uint8Array(2048);l=0;q=!0;"],
];

function published(patched: string): string {
  let text = patched;
  for (const [now, before] of REPLACEMENTS) text = text.split(now).join(before);
  return text;
}

type Renderer = typeof import("react-dom/server");
const patchedRenderer = require(FILE) as Renderer;
const publishedRenderer = (() => {
  const module = { exports: {} as Renderer };
  new Function("require", "module", "exports", published(readFileSync(FILE, "utf8")))(require, module, module.exports);
  return module.exports;
})();

/** The whole document, as the app's entry.server collects it (onAllReady, then piped). */
function render(renderer: Renderer, node: ReactNode, options: { nonce?: string; bootstrapScripts?: string[] } = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const { pipe } = renderer.renderToPipeableStream(node, {
      ...options,
      onAllReady() {
        pipe(
          new Writable({
            write(chunk: Buffer, _encoding, done) {
              chunks.push(Buffer.from(chunk));
              done();
            },
            final(done) {
              resolve(Buffer.concat(chunks));
              done();
            },
          }),
        );
      },
      onShellError: reject,
    });
  });
}

const withoutNul = (bytes: Buffer) => Buffer.from(bytes.filter((b) => b !== 0));

// Text that crosses the old 2 KB buffer's edges in every way: multibyte letters, emoji (surrogate
// pairs), characters React escapes, long runs.
// (No NUL in the text itself: the comparison removes the published renderer's.)
const text = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 40 }).map((s) => s.replaceAll("\0", "")),
  fc.constantFrom("Allergy “alert” — naïve 🚑", '<script>&"\'', "é".repeat(1500), "🚑".repeat(700), "x".repeat(3000)),
);
const attributes = fc.record({ className: text, title: fc.option(text, { nil: undefined }), "data-ref": fc.option(text, { nil: undefined }) }, { requiredKeys: [] });
const TAGS = ["div", "span", "p", "td", "li", "a", "strong"] as const;
const tree: fc.Arbitrary<ReactNode> = fc.letrec<{ node: ReactNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    text,
    fc.integer(),
    fc.tuple(fc.constantFrom(...TAGS), attributes, fc.array(tie("node"), { maxLength: 4 })).map(([tag, props, children]) => createElement(tag, props, ...children)),
    fc.array(tie("node"), { maxLength: 4 }).map((children) => createElement(Fragment, null, ...children)),
    tie("node").map((child) => createElement(Suspense, { fallback: "Loading…" }, child)),
  ),
})).node;

describe("the patched React server renderer", () => {
  it("is the published file with the writing statements replaced and nothing else changed", () => {
    const patched = readFileSync(FILE, "utf8");
    for (const [now] of REPLACEMENTS) expect(patched.includes(now), now.slice(0, 60)).toBe(true);
    expect(patched).not.toContain("encodeInto");
    expect(createHash("sha256").update(published(patched)).digest("hex")).toBe(PUBLISHED_SHA256);
  });

  it("writes every tree byte for byte as the published renderer does, without its NUL bytes", async () => {
    await fc.assert(
      fc.asyncProperty(tree, async (node) => {
        const page = createElement("html", { lang: "en-GB" }, createElement("body", null, node));
        const mine = await render(patchedRenderer, page);
        expect(mine.includes(0)).toBe(false);
        expect(mine.equals(withoutNul(await render(publishedRenderer, page)))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("writes a document of a log page's size, with a script, as the published renderer does", async () => {
    const rows = Array.from({ length: 300 }, (_, i) =>
      createElement("tr", { key: i }, createElement("td", null, `H-${i}`), createElement("td", { title: "naïve “quote” 🚑" }, "Wrong patient’s record shown — ", i)),
    );
    const page = createElement("html", null, createElement("body", null, createElement("table", null, createElement("tbody", null, rows))));
    const options = { bootstrapScripts: ["/assets/entry.js"] };
    const [mine, theirs] = await Promise.all([render(patchedRenderer, page, options), render(publishedRenderer, page, options)]);
    expect(mine.length).toBeGreaterThan(20_000);
    // The published renderer's fault, on this document: a curly apostrophe at a buffer's end.
    expect(/patient\0+’s/.test(theirs.toString("utf8"))).toBe(true);
    expect(mine.includes(0)).toBe(false);
    expect(mine.equals(withoutNul(theirs))).toBe(true);
    expect(mine.toString("utf8").endsWith('<script src="/assets/entry.js" async=""></script>')).toBe(true);
  });
});
