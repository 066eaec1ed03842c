// Settings (contract §2), read and checked once. A missing or invalid required setting stops
// start-up with one clear line naming the variable.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { z } from "zod";

const booleanText = z.enum(["true", "false"]).transform((v) => v === "true");

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATA_DIR: z.string().min(1).default("./.data"),
  DATABASE_URL: z
    .string()
    .regex(/^(postgres(ql)?:\/\/|pglite:\/\/)/, "must start with postgres://, postgresql:// or pglite://")
    .optional(),
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  SEED_DEMO: booleanText.optional(),
  DEMO_PASSWORD: z.string().min(8, "must be at least 8 characters").default("demo-password"),
});

export type Env = {
  nodeEnv: "development" | "production" | "test";
  isProduction: boolean;
  port: number;
  dataDir: string;
  databaseUrl: string;
  usesEmbeddedDatabase: boolean;
  sessionSecret: string;
  seedDemo: boolean;
  demoPassword: string;
};

export class SettingError extends Error {}

export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SettingError(`Invalid setting ${String(issue.path[0])}: ${issue.message}`);
  }
  const e = parsed.data;
  const isProduction = e.NODE_ENV === "production";
  const dataDir = resolve(e.DATA_DIR);
  const databaseUrl = e.DATABASE_URL ?? `pglite://${join(dataDir, "pg")}`;
  const usesEmbeddedDatabase = databaseUrl.startsWith("pglite://");
  if (isProduction && !e.SESSION_SECRET) throw new SettingError("Missing setting SESSION_SECRET: required when NODE_ENV=production");
  return {
    nodeEnv: e.NODE_ENV,
    isProduction,
    port: e.PORT,
    dataDir,
    databaseUrl,
    usesEmbeddedDatabase,
    sessionSecret: e.SESSION_SECRET ?? generatedSecret(dataDir),
    seedDemo: e.SEED_DEMO ?? usesEmbeddedDatabase,
    demoPassword: e.DEMO_PASSWORD,
  };
}

/** Outside production an unset SESSION_SECRET is generated once and kept in DATA_DIR. */
function generatedSecret(dataDir: string): string {
  const file = join(dataDir, "session-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("hex");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

let cached: Env | undefined;
export function getEnv(): Env {
  cached ??= parseEnv();
  return cached;
}
