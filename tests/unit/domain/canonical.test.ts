import fc from "fast-check";
import { expect, test } from "vitest";
import { canonicalJson, hashCanonical, sha256Hex } from "#app/domain/canonical.ts";

/** The same JSON value with every object's keys in a different (seeded) order. */
function reorderKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((item) => reorderKeys(item, seed));
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value).map(([key, item]) => [key, reorderKeys(item, seed)] as const);
  const rank = (key: string) => (sha256Hex(`${seed}:${key}`).charCodeAt(0) * 31 + key.length) % 97;
  // Object.fromEntries defines own properties, so a "__proto__" key stays an ordinary key.
  return Object.fromEntries(entries.sort(([a], [b]) => rank(a) - rank(b)));
}

/** The text with string literals emptied, so only the structure is left. */
const structureOf = (json: string) => json.replace(/"(?:[^"\\]|\\.)*"/g, '""');

test("property: key order does not change the canonical form or the hash", () => {
  fc.assert(
    fc.property(fc.jsonValue(), fc.integer(), (value, seed) => {
      const reordered = reorderKeys(value, seed);
      expect(canonicalJson(reordered)).toBe(canonicalJson(value));
      expect(hashCanonical(reordered)).toBe(hashCanonical(value));
    }),
  );
});

test("property: output is JSON without whitespace, and canonical again after parsing", () => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      const text = canonicalJson(value);
      expect(structureOf(text)).not.toMatch(/\s/);
      expect(canonicalJson(JSON.parse(text))).toBe(text);
    }),
  );
});

test("RFC 8785 §3.2.2 example: numbers, escapes and literals", () => {
  const value = {
    numbers: [333333333.33333329, 1e30, 4.5, 2e-3, 0.000000000000000000000000001],
    string: "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"/",
    literals: [null, true, false],
  };
  expect(canonicalJson(value)).toBe(
    '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
  );
});

test("RFC 8785 §3.2.3 example: keys sorted by UTF-16 code units", () => {
  const value = {
    "\u20ac": "Euro Sign",
    "\r": "Carriage Return",
    "\ufb33": "Hebrew Letter Dalet With Dagesh",
    "1": "One",
    "\ud83d\ude00": "Emoji: Grinning Face",
    "\u0080": "Control",
    "\u00f6": "Latin Small Letter O With Diaeresis",
  };
  // Compared as text: Object.keys would list the integer-like key "1" first whatever the JSON says.
  const order = ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\ud83d\ude00", "\ufb33"];
  const expected = order.map((key) => `${JSON.stringify(key)}:${JSON.stringify(value[key as keyof typeof value])}`);
  expect(canonicalJson(value)).toBe(`{${expected.join(",")}}`);
});

test("nested arrays keep their order; objects inside them are sorted; undefined properties are left out", () => {
  expect(canonicalJson([[3, [2, [1, []]]], { b: [{ d: 1, c: 2 }], a: undefined }, "x y"])).toBe(
    '[[3,[2,[1,[]]]],{"b":[{"c":2,"d":1}]},"x y"]',
  );
  expect(canonicalJson({ z: { y: null, x: -0 }, a: [] })).toBe('{"a":[],"z":{"x":0,"y":null}}');
  expect(canonicalJson(1e21)).toBe("1e+21");
});

test.each([
  ["NaN", { a: Number.NaN }],
  ["Infinity", [Number.POSITIVE_INFINITY]],
  ["a Date", { at: new Date(0) }],
  ["undefined at the top", undefined],
  ["undefined in an array", [undefined]],
  ["a bigint", { n: 1n }],
  ["a Map", new Map()],
  ["a function", { f: () => 1 }],
])("%s is refused", (_label, value) => {
  expect(() => canonicalJson(value)).toThrow(TypeError);
});

test("a cycle is refused, a shared (acyclic) reference is fine", () => {
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  expect(() => canonicalJson(cyclic)).toThrow(/cycle/);
  const shared = { n: 1 };
  expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"n":1},"b":{"n":1}}');
});

test("SHA-256 known vectors, and hashCanonical hashes the canonical text", () => {
  expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  expect(hashCanonical({ b: 1, a: "é" })).toBe(sha256Hex('{"a":"é","b":1}'));
});

test("deep nesting (past the fast writer's depth) and a __proto__ key come out the same as shallow ones", () => {
  let deep: unknown = { b: 1, a: [2] };
  for (let i = 0; i < 300; i++) deep = { z: i, a: [deep] };
  const text = canonicalJson(deep);
  expect(text.startsWith('{"a":[{"a":[{"a":[')).toBe(true);
  expect(canonicalJson(JSON.parse(text))).toBe(text);
  expect(text.length).toBe(JSON.stringify(deep).length);
  expect(canonicalJson(JSON.parse('{"b":{"__proto__":1},"a":2}'))).toBe('{"a":2,"b":{"__proto__":1}}');
});
