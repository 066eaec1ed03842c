import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkLink, contentDisposition, extensionOf, isAllowedExtension, looksLikeMarkup, sanitiseFilename, zipDirectoryProblem } from "#app/domain/evidence-files.ts";

describe("sanitiseFilename", () => {
  it.each([
    ["../../etc/passwd.pdf", "passwd.pdf"],
    ["..\\..\\Windows\\evil.exe", "evil.exe"],
    ["..\uFF0F..\uFF0Findex.html", "index.html"],
    ["invoice\u202Efdp.exe", "invoicefdp.exe"],
    ["rep\u200Bort\u2066.pdf\u2069.exe", "report.pdf.exe"],
    ["a\u0000b\u0007c\r\n.pdf", "abc.pdf"],
    ["  .hidden.pdf  ", "hidden.pdf"],
    ['what?<>:"|*.pdf', "what_______.pdf"],
    ["CON.pdf", "_CON.pdf"],
    ["Résumé — test plan.docx", "Résumé — test plan.docx"],
  ])("%j → %j", (raw, expected) => expect(sanitiseFilename(raw)).toBe(expected));

  it("keeps the extension when it cuts a very long name to 120 characters", () => {
    const out = sanitiseFilename(`${"a".repeat(500)}.xlsx`);
    expect(out).toHaveLength(120);
    expect(out.endsWith(".xlsx")).toBe(true);
  });

  it("never yields separators, control or bidi characters, whatever the input", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 400 }), (raw) => {
      const out = sanitiseFilename(raw);
      expect(out.length).toBeLessThanOrEqual(120);
      expect(out).not.toMatch(/[/\\\p{Cc}\p{Cf}]/u);
      expect(out.startsWith(".")).toBe(false);
    }));
  });
});

describe("types, links, markup, zip directories", () => {
  it("allows only the listed extensions", () => {
    expect(["pdf", "docx", "xlsx", "csv", "txt", "png", "jpg", "jpeg"].every(isAllowedExtension)).toBe(true);
    expect(["svg", "html", "htm", "exe", "js", "docm", "xlsm", "zip", "", "constructor", "__proto__"].some(isAllowedExtension)).toBe(false);
    expect(extensionOf("A.PDF")).toBe("pdf");
    expect(extensionOf("pdf")).toBe("");
  });

  it("accepts http(s) links only", () => {
    expect(checkLink("https://example.org/a b")).toEqual({ ok: true, url: "https://example.org/a%20b" });
    for (const bad of ["javascript:alert(1)", "data:,x", "//evil.example", "file:///etc/passwd", "https://u:p@x.example"]) expect(checkLink(bad).ok).toBe(false);
  });

  it("spots markup at the start of a text file", () => {
    expect(looksLikeMarkup("\uFEFF  <!DOCTYPE html><p>")).toBe(true);
    expect(looksLikeMarkup("<svg onload=x>")).toBe(true);
    expect(looksLikeMarkup("a < b, c > d")).toBe(false);
  });

  it("refuses zip bombs, too many entries and macros; tolerates well-compressed small XML", () => {
    expect(zipDirectoryProblem([{ name: "word/document.xml", compressedSize: 1000, uncompressedSize: 500_000 }])).toBeNull();
    expect(zipDirectoryProblem([{ name: "x.bin", compressedSize: 50_000, uncompressedSize: 60_000_000 }])).toMatch(/zip bomb/);
    expect(zipDirectoryProblem(Array.from({ length: 300 }, (_, i) => ({ name: `p${i}`, compressedSize: 1_000_000, uncompressedSize: 1_000_000 })))).toMatch(/zip bomb/);
    expect(zipDirectoryProblem(Array.from({ length: 2001 }, (_, i) => ({ name: `p${i}`, compressedSize: 1, uncompressedSize: 1 })))).toMatch(/too many/);
    expect(zipDirectoryProblem([{ name: "word/vbaProject.bin", compressedSize: 10, uncompressedSize: 10 }])).toMatch(/macros/);
  });
});

describe("contentDisposition (RFC 6266)", () => {
  it("gives an ASCII fallback and the exact UTF-8 name", () => {
    expect(contentDisposition("Résumé \"v2\"; 100%.pdf")).toBe(`attachment; filename="R_sum_ _v2__ 100_.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22v2%22%3B%20100%25.pdf`);
    expect(contentDisposition("test's (1).txt")).toBe(`attachment; filename="test's (1).txt"; filename*=UTF-8''test%27s%20%281%29.txt`);
  });
});
