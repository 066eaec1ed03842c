// `npm test`: unit and integration suites on the embedded database (PGlite), or on PostgreSQL when
// DATABASE_URL says so. Kept apart from vite.config.ts so the Remix plugin never loads under Vitest.
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { defineConfig, type ViteUserConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

/** `#app/x.ts` → app/x.ts (package.json "imports" says the same; this makes it explicit for Vite). */
export const resolveAliases: NonNullable<ViteUserConfig["resolve"]>["alias"] = ["app", "db", "workflows", "tests"].map((folder) => ({
  find: new RegExp(`^#${folder}/(.*)$`),
  replacement: `${root}${folder}/$1`,
}));

/** Settings shared by every test config (default, PostgreSQL, browser). */
export const baseTest = {
  root,
  pool: "forks" as const,
  globalSetup: ["tests/setup/global-setup.ts"],
  testTimeout: 30_000,
  hookTimeout: 120_000,
  teardownTimeout: 30_000,
  env: {
    NODE_ENV: "test" as const,
    DEMO_PASSWORD: "demo-password",
    SESSION_SECRET: "test-session-secret-not-for-production-use-0123456789",
  },
};

export default defineConfig({
  resolve: { alias: resolveAliases },
  test: {
    ...baseTest,
    include: ["tests/unit/**/*.test.{ts,tsx}", "tests/integration/**/*.test.{ts,tsx}"],
    // Each file holds its own in-memory database; two at a time keeps a 2-core machine busy.
    poolOptions: { forks: { minForks: 1, maxForks: Math.max(2, availableParallelism() - 1) } },
  },
});
