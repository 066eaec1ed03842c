// API tokens: shown once at creation, stored only as a SHA-256, expiring, revocable.
import { and, desc, eq, isNull } from "drizzle-orm";
import { randomBytes } from "node:crypto";
import { apiTokens } from "#db/schema/index.ts";
import { hashToken } from "./auth.server.ts";
import { getDb } from "./db.server.ts";
import { AppError } from "./errors.server.ts";

export const TOKEN_LIFETIME_DAYS = 90;

export async function createToken(userId: string, name: string, now = new Date()) {
  const token = `csw_${randomBytes(32).toString("base64url")}`;
  const expiresAt = new Date(now.getTime() + TOKEN_LIFETIME_DAYS * 86_400_000);
  await (await getDb()).insert(apiTokens).values({ userId, name, tokenHash: hashToken(token), expiresAt });
  return { token, expiresAt: expiresAt.toISOString() };
}

export async function listTokens(userId: string) {
  return (await getDb())
    .select({ id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt, expiresAt: apiTokens.expiresAt, revokedAt: apiTokens.revokedAt })
    .from(apiTokens)
    .where(eq(apiTokens.userId, userId))
    .orderBy(desc(apiTokens.createdAt));
}

export async function revokeToken(userId: string, tokenId: string) {
  const rows = await (await getDb())
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  if (rows.length === 0) throw new AppError("not_found", "Token not found");
}
