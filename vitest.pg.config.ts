// `npm run test:pg`: the integration suites plus the PostgreSQL-only ones (concurrency, row locks,
// several connections) against DATABASE_URL (scripts/require-database-url.js checks it first).
import { defineConfig } from "vitest/config";
import { baseTest, resolveAliases } from "./vitest.config.ts";

export default defineConfig({
  resolve: { alias: resolveAliases },
  test: {
    ...baseTest,
    include: ["tests/integration/**/*.test.{ts,tsx}", "tests/pg/**/*.test.{ts,tsx}"],
    fileParallelism: true,
    poolOptions: { forks: { minForks: 1, maxForks: 2 } },
  },
});
