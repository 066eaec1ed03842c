// Browser journeys: start the built app on a free port with a fresh embedded database (seeded with
// the demo data), drive Debian's Chromium with playwright-core, take screenshots, run axe.
//
//   const app = await startApp();                 // needs `npm run build` (test:e2e does it)
//   const browser = await launchBrowser();
//   const page = await newPage(browser);          // bypassCSP, so axe can be injected
//   await signIn(page, app.baseUrl, "cso@icb.example");
//   expect(await checkA11y(page)).toEqual([]);
//   await browser.close(); await app.stop();
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const SCREENSHOTS_DIR = join(ROOT, "tests/e2e/screenshots");
export const DEMO_PASSWORD = "demo-password";

// ---------------------------------------------------------------------------------------------
// The app

export type RunningApp = {
  baseUrl: string;
  /** Milliseconds from spawn to the first 200 from /healthz. */
  startupMs: number;
  dataDir: string;
  /** What the server printed so far (stdout and stderr). */
  output: () => string;
  /** Stops the server's whole process group and removes its data folder. */
  stop: () => Promise<void>;
  /** The server process (the primary when it runs several). */
  pid: number;
};

/** Signs in over HTTP (the sign-in form's post): the session cookie to send, and the Set-Cookie header as given. */
export async function signInOverHttp(app: RunningApp, email: string, password = DEMO_PASSWORD): Promise<{ cookie: string; setCookie: string }> {
  const res = await fetch(`${app.baseUrl}/sign-in`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: app.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password, redirectTo: "/" }),
  });
  if (res.status !== 302) throw new Error(`sign-in as ${email} answered ${res.status}`);
  const setCookie = res.headers.get("set-cookie") ?? "";
  return { cookie: setCookie.split(";")[0], setCookie };
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolvePort(address.port) : reject(new Error("no port"))));
    });
  });
}

const running = new Set<ChildProcess>();
function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal); // negative pid: the whole process group (the child leads it)
  } catch {
    // already gone
  }
}
// If the test process ends without stop(), take the servers with it.
process.once("exit", () => {
  for (const child of running) killGroup(child, "SIGKILL");
});

export async function startApp(opts: { env?: Record<string, string | undefined>; timeoutMs?: number } = {}): Promise<RunningApp> {
  const serverBuild = join(ROOT, "build/server/index.js");
  if (!existsSync(serverBuild)) throw new Error(`${serverBuild} is missing: run \`npm run build\` first (npm run test:e2e does)`);
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "cswf-e2e-"));
  const env: Record<string, string | undefined> = { ...process.env };
  // The embedded database in a fresh folder, seeded like `npm start`; nothing from the test runner.
  for (const name of ["DATABASE_URL", "SEED_DEMO", "SESSION_SECRET", "NODE_ENV", "VITEST", "VITEST_POOL_ID", "VITEST_WORKER_ID", "TEST"]) delete env[name];
  Object.assign(env, { PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir, DEMO_PASSWORD }, opts.env ?? {});

  const started = performance.now();
  const child = spawn(process.execPath, ["server/start.js"], {
    cwd: ROOT,
    env: env as NodeJS.ProcessEnv,
    detached: true, // its own process group, so stop() reaches anything it starts
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (process.env.E2E_SERVER_LOG) process.stderr.write(chunk);
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exit = new Promise<void>((done) =>
    child.once("exit", (code, signal) => {
      exited = { code, signal };
      running.delete(child);
      done();
    }),
  );

  const stop = async () => {
    if (!exited) {
      killGroup(child, "SIGTERM");
      const timer = setTimeout(() => killGroup(child, "SIGKILL"), 10_000);
      await exit;
      clearTimeout(timer);
    }
    killGroup(child, "SIGKILL"); // anything left in the group
    rmSync(dataDir, { recursive: true, force: true });
  };

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`The app exited (${JSON.stringify(exited)}) before /healthz answered:\n${output}`);
    }
    try {
      const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(5_000) });
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The app did not answer 200 on ${baseUrl}/healthz within ${opts.timeoutMs ?? 60_000} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return { baseUrl, startupMs: Math.round(performance.now() - started), dataDir, output: () => output, stop, pid: child.pid! };
}

// ---------------------------------------------------------------------------------------------
// The browser

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/** Debian's Chromium (never a downloaded one): CHROMIUM_PATH, else /usr/bin/chromium. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
  if (!existsSync(executablePath))
    throw new Error(`Chromium not found at ${executablePath}: install Debian's package (apt-get install chromium) or set CHROMIUM_PATH. Never \`npx playwright install\`.`);
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}

/**
 * A page in a new context. The app sends a strict CSP with script nonces, which would block axe's
 * injected script, so contexts bypass CSP unless asked not to (`{ bypassCSP: false }` to test the
 * CSP itself).
 */
export async function newPage(browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  const context: BrowserContext = await browser.newContext({ bypassCSP: true, locale: "en-GB", viewport: { width: 1280, height: 900 }, ...options });
  return context.newPage();
}

/** Signs in through the form; resolves once the browser has left /sign-in (throws with the page's error otherwise). */
export async function signIn(page: Page, baseUrl: string, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  try {
    await page.waitForURL((url) => url.pathname !== "/sign-in", { timeout: 15_000 });
    // A client-side navigation changes the URL before React renders the new page: wait for the
    // sign-in form to go too.
    await page.getByRole("button", { name: "Sign in" }).waitFor({ state: "detached", timeout: 15_000 });
  } catch {
    const text = (await page.locator("main").innerText().catch(() => "")).slice(0, 500);
    throw new Error(`Sign-in as ${email} did not leave /sign-in: ${text}`);
  }
  await page.waitForLoadState("load");
}

/** Signs out with the header's "Sign out" button; resolves once the sign-in page shows. */
export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL((url) => url.pathname === "/sign-in", { timeout: 15_000 });
  await page.getByRole("button", { name: "Sign in" }).waitFor({ state: "visible", timeout: 15_000 });
}

/** A full-page screenshot into tests/e2e/screenshots/<name>.png (git-ignored). Returns the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const path = join(SCREENSHOTS_DIR, `${name.replace(/[^\w.-]+/g, "-")}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export type A11yViolation = { id: string; impact: string; help: string; helpUrl: string; targets: string[] };

/** Runs axe-core on the page; returns the serious and critical violations (none is the goal). */
export async function checkA11y(page: Page): Promise<A11yViolation[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== "undefined");
  if (!loaded) await page.addScriptTag({ path: join(ROOT, "node_modules/axe-core/axe.min.js") });
  return page.evaluate(async () => {
    type AxeResult = { violations: { id: string; impact?: string | null; help: string; helpUrl: string; nodes: { target: unknown[] }[] }[] };
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<AxeResult> } }).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({ id: v.id, impact: v.impact ?? "", help: v.help, helpUrl: v.helpUrl, targets: v.nodes.map((n) => n.target.map(String).join(" ")) }));
  });
}

export type ConsoleErrors = {
  /** Console errors and uncaught page errors so far. */
  errors: string[];
  /** Throws listing them, if any. */
  assertNone: () => void;
};

/** Starts collecting the page's console errors and uncaught exceptions, for an assertion later. */
export function failOnConsoleErrors(page: Page): ConsoleErrors {
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(`console.error at ${msg.location().url || page.url()}: ${msg.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`uncaught at ${page.url()}: ${error.message}`));
  return {
    errors,
    assertNone: () => {
      if (errors.length) throw new Error(`The browser reported ${errors.length} error(s):\n${errors.join("\n")}`);
    },
  };
}

/** Runs `run` as `email` in a browser context of its own (signed in), failing on console errors. */
export async function asUser(browser: Browser, baseUrl: string, email: string, run: (page: Page) => Promise<void>): Promise<void> {
  const page = await newPage(browser);
  const errors = failOnConsoleErrors(page);
  try {
    await signIn(page, baseUrl, email);
    await run(page);
    errors.assertNone();
  } finally {
    await page.context().close();
  }
}
