// `npm run test:e2e`: browser journeys in Debian's headless Chromium against the built app
// (`npm run build` runs first). One fork, one file at a time: each file starts its own server.
import { defineConfig } from "vitest/config";
import { baseTest, resolveAliases } from "./vitest.config.ts";

export default defineConfig({
  resolve: { alias: resolveAliases },
  test: {
    root: baseTest.root,
    pool: "forks",
    include: ["tests/e2e/**/*.test.ts"],
    fileParallelism: false,
    poolOptions: { forks: { singleFork: true } },
    testTimeout: 120_000,
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
  },
});
