// Sign-in throttling, counted per account and per client, kept in the database so every app
// instance shares it. After too many failures in the window the key is locked for a while.
// The same table (text keys) also counts uploads per user: `upload:evidence:<user id>` and
// `upload:import:<user id>`, a fixed window of UPLOAD_RATE_WINDOW_SECONDS allowing UPLOAD_RATE_LIMIT.
import { eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.ts";
import { signInThrottle } from "#db/schema/index.ts";
import { getEnv } from "./env.server.ts";
import { AppError } from "./errors.server.ts";

export const THROTTLE = {
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
  maxFailures: { account: 5, client: 20 },
} as const;

type KeyKind = keyof typeof THROTTLE.maxFailures;
export const throttleKey = (kind: KeyKind, value: string) => `${kind}:${value.toLowerCase()}`;

/** Seconds until the first locked key opens again, or 0 when none is locked. */
export async function lockedForSeconds(db: Db, keys: string[], now = new Date()): Promise<number> {
  let wait = 0;
  for (const key of keys) {
    const [row] = await db.select().from(signInThrottle).where(eq(signInThrottle.key, key));
    if (row?.lockedUntil && row.lockedUntil > now) wait = Math.max(wait, Math.ceil((row.lockedUntil.getTime() - now.getTime()) / 1000));
  }
  return wait;
}

export async function recordFailure(db: Db, key: string, now = new Date()) {
  const kind = key.split(":")[0] as KeyKind;
  const windowStart = new Date(now.getTime() - THROTTLE.windowMs);
  const lockUntil = new Date(now.getTime() + THROTTLE.lockMs);
  await db
    .insert(signInThrottle)
    .values({ key, failures: 1, windowStartedAt: now })
    .onConflictDoUpdate({
      target: signInThrottle.key,
      set: {
        failures: sql`case when ${signInThrottle.windowStartedAt} < ${windowStart.toISOString()}::timestamptz then 1 else ${signInThrottle.failures} + 1 end`,
        windowStartedAt: sql`case when ${signInThrottle.windowStartedAt} < ${windowStart.toISOString()}::timestamptz then ${now.toISOString()}::timestamptz else ${signInThrottle.windowStartedAt} end`,
        lockedUntil: sql`case when ${signInThrottle.windowStartedAt} >= ${windowStart.toISOString()}::timestamptz and ${signInThrottle.failures} + 1 >= ${THROTTLE.maxFailures[kind]} then ${lockUntil.toISOString()}::timestamptz else ${signInThrottle.lockedUntil} end`,
      },
    });
}

export async function clearFailures(db: Db, key: string) {
  await db.delete(signInThrottle).where(eq(signInThrottle.key, key));
}

// ---------------------------------------------------------------------------------------------
// Uploads per user

export type UploadKind = "evidence" | "import";
export const uploadKey = (kind: UploadKind, userId: string) => `upload:${kind}:${userId}`;

/**
 * Counts one upload by this user (called once the caller is authorised, before a byte of the body
 * is read or stored) and refuses it with 429 and Retry-After when the window's allowance is used up.
 * Every attempt counts, refused ones too: the limit protects the server, not the outcome.
 */
export async function takeUploadSlot(db: Db, kind: UploadKind, userId: string, now = new Date(), rate = getEnv().uploadRate): Promise<void> {
  const key = uploadKey(kind, userId);
  const windowStart = new Date(now.getTime() - rate.windowMs);
  const fresh = sql`${signInThrottle.windowStartedAt} <= ${windowStart.toISOString()}::timestamptz`;
  const [row] = await db
    .insert(signInThrottle)
    .values({ key, failures: 1, windowStartedAt: now })
    .onConflictDoUpdate({
      target: signInThrottle.key,
      set: {
        failures: sql`case when ${fresh} then 1 else ${signInThrottle.failures} + 1 end`,
        windowStartedAt: sql`case when ${fresh} then ${now.toISOString()}::timestamptz else ${signInThrottle.windowStartedAt} end`,
      },
    })
    .returning({ count: signInThrottle.failures, since: signInThrottle.windowStartedAt });
  if (row.count <= rate.limit) return;
  const retryAfterSeconds = Math.max(1, Math.ceil((row.since.getTime() + rate.windowMs - now.getTime()) / 1000));
  const minutes = Math.round(rate.windowMs / 60_000);
  const window = minutes >= 1 ? `${minutes} minute${minutes === 1 ? "" : "s"}` : `${Math.round(rate.windowMs / 1000)} seconds`;
  const what = kind === "evidence" ? "evidence files" : "import files";
  throw new AppError(
    "too_many_requests",
    `You have uploaded ${rate.limit} ${what} in the last ${window}, the most allowed. Nothing was uploaded; try again in ${waitText(retryAfterSeconds)}.`,
    { retryAfterSeconds },
  );
}

function waitText(seconds: number) {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  return `${Math.ceil(seconds / 60)} minutes`;
}
