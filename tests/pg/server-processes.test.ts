// With PostgreSQL the built server runs one process per core (WEB_CONCURRENCY, server/start.js):
// the primary prepares the database and forks workers sharing one port, replaces a worker that
// dies, and stops them all when stopped. (The embedded database refuses more than one process:
// tests/unit/server-settings.test.ts.)
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startApp, type RunningApp } from "#tests/e2e/harness.ts";
import { closeTestDb, currentTestDbUrl, openTestDb } from "#tests/setup/test-db.ts";

let app: RunningApp;
beforeAll(async () => {
  await openTestDb();
  // test:pg runs before test:e2e builds the app in CI: build it here when it is missing.
  if (!existsSync("build/server/index.js")) execFileSync("npm", ["run", "build"], { stdio: "ignore" });
  app = await startApp({ env: { DATABASE_URL: currentTestDbUrl()!, WEB_CONCURRENCY: "2", SEED_DEMO: "false" }, timeoutMs: 120_000 });
}, 240_000);
afterAll(async () => {
  await app?.stop();
  await closeTestDb();
});

/** The server's worker processes (children of the primary), from /proc. */
function workersOf(pid: number): number[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/stat`, "utf8").split(") ")[1].split(" ")[1] === String(pid);
      } catch {
        return false;
      }
    })
    .map(Number);
}
const alive = (pid: number) => existsSync(`/proc/${pid}`) && !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));

test("serves from two processes on one port, replaces one that dies, and stops them all", async () => {
  const workers = workersOf(app.pid);
  expect(workers).toHaveLength(2);
  await expect.poll(() => app.output(), { timeout: 30_000 }).toMatch(/ready on .* 2 processes\)/);
  const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(`${app.baseUrl}/healthz`).then((r) => r.status)));
  expect(answers).toEqual(Array(20).fill(200));

  process.kill(workers[0], "SIGKILL");
  await expect.poll(() => workersOf(app.pid).filter((p) => !workers.includes(p)).length, { timeout: 30_000 }).toBe(1);
  await expect.poll(async () => (await Promise.all(Array.from({ length: 10 }, () => fetch(`${app.baseUrl}/sign-in`).then((r) => r.status)))).every((s) => s === 200), { timeout: 30_000 }).toBe(true);
  expect(app.output()).toMatch(/stopped \(SIGKILL\); starting another/);

  const now = workersOf(app.pid);
  process.kill(app.pid, "SIGTERM"); // the primary alone: it stops its workers
  await expect.poll(() => [app.pid, ...now].some(alive), { timeout: 15_000 }).toBe(false);
}, 120_000);
