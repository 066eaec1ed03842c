// Sign-in throttling, counted per account and per client, kept in the database so every app
// instance shares it. After too many failures in the window the key is locked for a while.
import { eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.ts";
import { signInThrottle } from "#db/schema/index.ts";

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
