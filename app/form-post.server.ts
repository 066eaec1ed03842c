// Web defences for the browser's form posts, in one place (issue 8):
//
// - CSRF: a state-changing post must come from our own origin (Origin, or Referer when a browser
//   sends no Origin) AND carry the session's token: HMAC-SHA256 under SESSION_SECRET of the
//   session's stored id hash, so it cannot be made without the cookie's session and changes at
//   every sign-in. Checked before the database is read or written; refusals answer 403.
// - Idempotency: every form render carries a fresh submission key. The first post with a key
//   inserts a `form_submissions` row (ON CONFLICT DO NOTHING), runs, and stores its outcome (the
//   redirect, or a small JSON body); a repeat with the same key replays that outcome without running
//   again; a repeat while the first is still running waits briefly, then replays or answers 409.
//   A refused first post (4xx) deletes its row, so the corrected form can be sent again with the
//   same key. Keys belong to the user who first sent them; rows older than a day are deleted.
//
// Page actions call `readFormPost` instead of `request.formData()`, then wrap the state change in
// `once`. Multipart uploads, whose token arrives in a field before the file (or a header the
// upload script sets), use `MultipartGuard`. The JSON API is not handled here: bearer tokens need
// no CSRF defence and cookie calls get the Origin check in app/api.server.ts.
import { redirect, type TypedResponse } from "@remix-run/node";
import { eq, lt } from "drizzle-orm";
import { createHash, createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { formSubmissions } from "#db/schema/index.ts";
import type { SessionUser } from "./auth.server.ts";
import { getDb } from "./db.server.ts";
import { getEnv } from "./env.server.ts";
import { AppError } from "./errors.server.ts";

/** Hidden field names (and the headers the upload script may send instead). */
export const CSRF_FIELD = "_csrf";
export const KEY_FIELD = "_key";
export const CSRF_HEADER = "X-CSRF-Token";
export const KEY_HEADER = "X-Form-Key";

/** How long a repeat waits for the first post of its key to finish before answering 409. */
export const WAIT_FOR_FIRST_MS = 5_000;
const DAY_MS = 24 * 60 * 60_000;
const KEY_PATTERN = /^[A-Za-z0-9_-]{16,100}$/;
/** Never part of a fingerprint (it is kept for a day): passwords. */
const SECRET_FIELDS = new Set(["password", "temporaryPassword"]);

export const REFUSED = {
  origin: "This form was sent from another website, so nothing was done. If you sent it, open this service's page again and send the form from there.",
  token: "This form has expired or was not sent from your own session, so nothing was done. Reload the page and send the form again.",
  noKey: "This form has no submission key, so nothing was done. Reload the page and send the form again.",
  otherUser: "This form belongs to another session, so nothing was done. Reload the page and send the form again.",
  changed: "This form was already sent with different answers. Reload the page to send it again.",
  running: "This form is still being processed from your first click. Wait a moment, then reload the page to see the result.",
} as const;

// ---------------------------------------------------------------------------------------------
// Tokens and keys

/** The session's CSRF token: never derivable without the session (its id hash) and the secret. */
export function csrfToken(sessionIdHash: string): string {
  return createHmac("sha256", getEnv().sessionSecret).update(`csrf-v1:${sessionIdHash}`).digest("base64url");
}

/** What every page's forms embed (root loader): the session's token and a fresh submission key. */
export function formProtection(user: Pick<SessionUser, "sessionIdHash"> | null): { token: string; key: string } | null {
  return user?.sessionIdHash ? { token: csrfToken(user.sessionIdHash), key: randomUUID() } : null;
}

/** Constant-time comparison, whatever the lengths (both sides are hashed first). */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

// ---------------------------------------------------------------------------------------------
// Origin

/** The host the browser addressed (behind a proxy, the one it forwarded). */
function requestHost(request: Request): string {
  return request.headers.get("X-Forwarded-Host") ?? request.headers.get("Host") ?? new URL(request.url).host;
}

/**
 * Same origin as the request: the Origin header's host, or when the browser sent no Origin (older
 * browsers, some same-origin posts) the Referer's. Neither, or `Origin: null`, is refused.
 */
export function isSameOriginPost(request: Request): boolean {
  const origin = request.headers.get("Origin");
  const source = origin ?? request.headers.get("Referer");
  if (!source || source === "null") return false;
  try {
    return new URL(source).host === requestHost(request);
  } catch {
    return false;
  }
}

export function checkOrigin(request: Request): void {
  if (!isSameOriginPost(request)) throw new AppError("forbidden", REFUSED.origin);
}

/** The token of a signed-in browser session (a bearer caller has no session and needs none). */
export function checkToken(user: Pick<SessionUser, "sessionIdHash">, given: string | null | undefined): void {
  if (!user.sessionIdHash || !given || !sameSecret(given, csrfToken(user.sessionIdHash))) throw new AppError("forbidden", REFUSED.token);
}

/** A refusal as the page shows it: the route's error boundary reads `refused` (see error-boundary.tsx). */
export function refusalResponse(error: AppError): Response {
  return Response.json({ refused: error.message }, { status: error.status });
}

function asPageRefusal<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof AppError) throw refusalResponse(error);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Reading a form post

export type FormPost = {
  formData: FormData;
  user: Pick<SessionUser, "id" | "sessionIdHash">;
  /** The submission key the form carried (null when it carried none). */
  key: string | null;
  /** SHA-256 over the path and the fields (passwords left out): a reused key with other answers is refused. */
  fingerprint: string;
  /** Where a replayed success without a redirect of its own sends the browser. */
  path: string;
};

function fingerprintOf(path: string, entries: Iterable<[string, string]>): string {
  const parts = [...entries].filter(([k]) => !SECRET_FIELDS.has(k) && k !== CSRF_FIELD && k !== KEY_FIELD).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash("sha256").update(JSON.stringify([path, parts])).digest("hex");
}

function keyFrom(value: unknown): string | null {
  if (typeof value !== "string" || value === "") return null;
  if (!KEY_PATTERN.test(value)) throw new AppError("bad_request", REFUSED.noKey);
  return value;
}

/**
 * The one way a page action reads its form: checks the Origin and the session's token first
 * (403, nothing read from or written to the database), then hands back the fields without the
 * token and key. A refusal is thrown as a Response the route's error boundary shows.
 */
export async function readFormPost(request: Request, user: Pick<SessionUser, "id" | "sessionIdHash">): Promise<FormPost> {
  asPageRefusal(() => checkOrigin(request));
  if (/^multipart\/form-data/i.test(request.headers.get("Content-Type") ?? "")) throw refusalResponse(new AppError("bad_request", "This form cannot be sent as a file upload"));
  // No form body at all (a bare POST) reads as an empty form: no token, so refused below.
  const formData = await request.formData().catch(() => new FormData());
  const token = request.headers.get(CSRF_HEADER) ?? formData.get(CSRF_FIELD);
  asPageRefusal(() => checkToken(user, typeof token === "string" ? token : null));
  const key = asPageRefusal(() => keyFrom(formData.get(KEY_FIELD) ?? request.headers.get(KEY_HEADER)));
  formData.delete(CSRF_FIELD);
  formData.delete(KEY_FIELD);
  const path = new URL(request.url).pathname;
  const fields = [...formData].filter((e): e is [string, string] => typeof e[1] === "string");
  return { formData, user, key, fingerprint: fingerprintOf(path, fields), path };
}

/**
 * A post made without a session (sign-in) or that only ends one (sign-out) has no token to check
 * or nothing to protect beyond the origin; this is the origin check alone, thrown as the page's 403.
 */
export function requireSameOrigin(request: Request): void {
  asPageRefusal(() => checkOrigin(request));
}

// ---------------------------------------------------------------------------------------------
// Idempotency

export type Outcome = { status: number; location?: string; body?: unknown; fingerprint?: string };

/**
 * A repeat found the first post's answer: the caller answers `response` instead of running. Typed
 * as a redirect's response so that routes' action data types stay as they were (a replay is a
 * redirect, or the JSON the first post answered).
 */
export class Replayed extends Error {
  readonly response: TypedResponse<never>;
  constructor(response: Response) {
    super("replayed");
    this.response = response as TypedResponse<never>;
  }
}

let lastSweep = 0;
/** Opportunistic clean-up, at most every ten minutes per process: keys older than a day. */
export async function sweep(now = Date.now(), force = false) {
  if (!force && now - lastSweep < 10 * 60_000) return;
  lastSweep = now;
  await (await getDb()).delete(formSubmissions).where(lt(formSubmissions.createdAt, new Date(now - DAY_MS)));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Claims `key` for `userId`: returns once this post may run (its row inserted), or throws
 * `Replayed` with the first post's answer, or an AppError (another user's key 403; different
 * answers or still running after the wait 409).
 */
export async function claimKey(userId: string, key: string, fingerprint: string, replay: (outcome: Outcome) => Response): Promise<void> {
  const db = await getDb();
  const deadline = Date.now() + WAIT_FOR_FIRST_MS;
  for (;;) {
    const inserted = await db.insert(formSubmissions).values({ key, userId }).onConflictDoNothing().returning({ key: formSubmissions.key });
    if (inserted.length) return void (await sweep().catch(() => undefined));
    const [row] = await db.select().from(formSubmissions).where(eq(formSubmissions.key, key));
    if (!row) continue; // the first post failed and let its key go: this one runs
    if (row.userId !== userId) throw new AppError("forbidden", REFUSED.otherUser);
    const outcome = row.outcome as Outcome | null;
    if (outcome) {
      if (outcome.fingerprint && outcome.fingerprint !== fingerprint) throw new AppError("stale_version", REFUSED.changed);
      throw new Replayed(replay(outcome));
    }
    if (Date.now() > deadline) throw new AppError("stale_version", REFUSED.running);
    await sleep(100);
  }
}

export async function finishKey(key: string, outcome: Outcome): Promise<void> {
  await (await getDb()).update(formSubmissions).set({ outcome }).where(eq(formSubmissions.key, key));
}

export async function releaseKey(key: string): Promise<void> {
  await (await getDb()).delete(formSubmissions).where(eq(formSubmissions.key, key));
}

type DataResult = { type: "DataWithResponseInit"; data: unknown; init: ResponseInit | null };
const isDataResult = (v: unknown): v is DataResult => typeof v === "object" && v !== null && (v as { type?: unknown }).type === "DataWithResponseInit";

/** What to keep of a finished post: null for a refusal (4xx/5xx), which frees the key. */
async function outcomeOf(result: unknown): Promise<Omit<Outcome, "fingerprint"> | null> {
  if (result instanceof Response) {
    if (result.status >= 400) return null;
    const location = result.headers.get("Location");
    if (location) return { status: result.status, location };
    if ((result.headers.get("Content-Type") ?? "").includes("application/json")) return { status: result.status, body: await result.clone().json() };
    return { status: result.status };
  }
  const status = isDataResult(result) ? (result.init?.status ?? 200) : 200;
  return status >= 400 ? null : { status };
}

function replayFor(path: string, custom?: () => unknown) {
  return (outcome: Outcome): Response => {
    if (outcome.location) return redirect(outcome.location, outcome.status);
    if (outcome.body !== undefined) return Response.json(outcome.body, { status: outcome.status });
    if (custom) return Response.json(custom(), { status: outcome.status });
    return redirect(path, 303);
  };
}

/**
 * Runs a form's state change at most once per submission key. A missing key is refused (400):
 * every form that changes something carries one. `replay` gives the answer for a repeated post
 * whose first answer was neither a redirect nor JSON (default: back to the page, 303).
 */
export async function once<T>(post: FormPost, run: () => Promise<T>, opts: { replay?: () => unknown } = {}): Promise<T | TypedResponse<never>> {
  if (!post.key) throw refusalResponse(new AppError("bad_request", REFUSED.noKey));
  const key = post.key;
  try {
    await claimKey(post.user.id, key, post.fingerprint, replayFor(post.path, opts.replay));
  } catch (error) {
    if (error instanceof Replayed) return error.response;
    if (error instanceof AppError) throw refusalResponse(error);
    throw error;
  }
  let result: T;
  try {
    result = await run();
  } catch (error) {
    // A thrown redirect is a success like a returned one; anything else frees the key.
    if (error instanceof Response && error.status >= 300 && error.status < 400 && error.headers.get("Location")) {
      await finishKey(key, { status: error.status, location: error.headers.get("Location")!, fingerprint: post.fingerprint });
    } else await releaseKey(key).catch(() => undefined);
    throw error;
  }
  const outcome = await outcomeOf(result);
  if (outcome) await finishKey(key, { ...outcome, fingerprint: post.fingerprint });
  else await releaseKey(key);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Multipart uploads

/**
 * CSRF and idempotency for a streamed multipart upload, whose fields are read as the body streams.
 * The Origin is checked at once; the token comes from a header (the upload script) or from the
 * `_csrf` field, which the form places before the file: `checkFields` runs as the file part starts
 * (or at the end when there is none), so a bad token stops the upload before a byte of the file is
 * kept. `claim` runs after the file is checked and before anything is stored. A bearer caller (no
 * session) needs neither.
 */
export class MultipartGuard {
  private key: string | null = null;
  private claimed = false;
  private checked = false;
  private fingerprint = "";
  private readonly path: string;
  private readonly bearer: boolean;

  constructor(private readonly request: Request, private readonly user: Pick<SessionUser, "id" | "sessionIdHash">) {
    this.bearer = !user.sessionIdHash;
    this.path = new URL(request.url).pathname;
    if (this.bearer) return;
    checkOrigin(request);
  }

  /** Checks and removes the token and key fields (throws AppError 403/400). */
  checkFields = (fields: Record<string, string>): void => {
    if (this.bearer || this.checked) return;
    const token = this.request.headers.get(CSRF_HEADER) ?? fields[CSRF_FIELD];
    checkToken(this.user, token);
    this.key = keyFrom(fields[KEY_FIELD] ?? this.request.headers.get(KEY_HEADER));
    delete fields[CSRF_FIELD];
    delete fields[KEY_FIELD];
    this.checked = true;
  };

  /** Before storing: claims the key (400 without one); throws `Replayed` for a repeat. */
  claim = async (fields: Record<string, string> = {}, file?: { sha256: string }): Promise<void> => {
    if (this.bearer) return;
    if (!this.checked) this.checkFields(fields);
    if (!this.key) throw new AppError("bad_request", REFUSED.noKey);
    this.fingerprint = fingerprintOf(this.path, [...Object.entries(fields), ["file", file?.sha256 ?? ""]]);
    await claimKey(this.user.id, this.key, this.fingerprint, replayFor(this.path));
    this.claimed = true;
  };

  /** After the post: keeps a success's answer for repeats, or frees the key after a refusal. */
  settle = async (result: unknown): Promise<void> => {
    if (!this.claimed || !this.key) return;
    const outcome = await outcomeOf(result);
    if (outcome) await finishKey(this.key, { ...outcome, fingerprint: this.fingerprint });
    else await releaseKey(this.key);
    this.claimed = false;
  };

  release = async (): Promise<void> => {
    if (this.claimed && this.key) await releaseKey(this.key).catch(() => undefined);
    this.claimed = false;
  };
}
