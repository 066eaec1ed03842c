// Flat config: @eslint/js and typescript-eslint recommended, few rules on top, so lint catches
// real mistakes without fighting the code style.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/", "public/", "node_modules/", ".cache/", ".data/", "coverage/", "tests/e2e/screenshots/", "bench/results.json"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: "module",
      // TypeScript checks names in .ts/.tsx (typescript-eslint turns no-undef off there); the plain
      // JavaScript files (server/, scripts/) run on Node.
      globals: Object.fromEntries(
        ["process", "console", "Buffer", "URL", "URLSearchParams", "setTimeout", "clearTimeout", "setInterval", "clearInterval",
          "setImmediate", "queueMicrotask", "structuredClone", "fetch", "Response", "Request", "Headers", "TextEncoder", "TextDecoder",
          "AbortController", "performance", "globalThis", "window", "document"].map((name) => [name, "readonly"]),
      ),
    },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
      // Casts at the edges (drivers, XState snapshots, `as never`) are deliberate here.
      "@typescript-eslint/no-explicit-any": "warn",
      "@typescript-eslint/no-non-null-assertion": "off",
      // Stripping control characters from imported and exported text is deliberate here.
      "no-control-regex": "off",
    },
  },
  {
    // Tests spell out edge cases on purpose (RFC 8785's own number examples, for one).
    files: ["tests/**"],
    rules: { "no-loss-of-precision": "off" },
  },
  {
    files: ["**/*.js", "**/*.cjs", "**/*.mjs"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
