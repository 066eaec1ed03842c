// Settings (contract §2), read and checked once. A missing or invalid required setting stops
// start-up with one clear line naming the variable.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
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
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  REPORT_WORKER_MIN_HAZARDS: z.coerce.number().int().min(0).default(2000),
  UPLOAD_RATE_LIMIT: z.coerce.number().int().min(1).default(30),
  UPLOAD_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(600),
  EVIDENCE_MAX_BYTES: z.coerce.number().int().min(1).max(2 ** 31).default(25 * 1024 * 1024),
  EVIDENCE_STORAGE: z.enum(["filesystem", "s3"]).default("filesystem"),
  EVIDENCE_S3_ENDPOINT: z.string().regex(/^https?:\/\/[^/]+/, "must be an http(s) URL").optional(),
  EVIDENCE_S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be a valid bucket name").optional(),
  EVIDENCE_S3_REGION: z.string().min(1).default("us-east-1"),
  EVIDENCE_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  EVIDENCE_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  EVIDENCE_S3_PREFIX: z.string().regex(/^([A-Za-z0-9._-]+\/)*$/, "must be empty or end with /").default("evidence/"),
});

export type EvidenceStorageSetting =
  | { kind: "filesystem"; dir: string }
  | { kind: "s3"; endpoint: string; bucket: string; region: string; accessKeyId: string; secretAccessKey: string; prefix: string };

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
  evidence: { maxBytes: number; tmpDir: string; storage: EvidenceStorageSetting };
  /** Evidence uploads and import uploads each allowed per user in a window (app/throttle.server.ts). */
  uploadRate: { limit: number; windowMs: number };
  /**
   * Server processes (server/start.js forks them; one listening socket). With PostgreSQL one per
   * core: a Node process renders on one core only, and a 2-core server left half idle queued every
   * page behind the one busy core (issue 9). The embedded database lives inside one process: 1.
   */
  workers: number;
  /** Reports of at least this many hazards render in a worker thread (when the server runs one). */
  reportWorkerMinHazards: number;
};

export class SettingError extends Error {
  override name = "SettingError"; // server/start.js prints it as one line, without a stack
}

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
  if (usesEmbeddedDatabase && (e.WEB_CONCURRENCY ?? 1) > 1)
    throw new SettingError("Invalid setting WEB_CONCURRENCY: the embedded database is served by one process; set DATABASE_URL to run more");
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
    evidence: { maxBytes: e.EVIDENCE_MAX_BYTES, tmpDir: join(dataDir, "evidence", "tmp"), storage: evidenceStorage(e, dataDir) },
    workers: e.WEB_CONCURRENCY ?? (usesEmbeddedDatabase ? 1 : availableParallelism()),
    reportWorkerMinHazards: e.REPORT_WORKER_MIN_HAZARDS,
    uploadRate: { limit: e.UPLOAD_RATE_LIMIT, windowMs: e.UPLOAD_RATE_WINDOW_SECONDS * 1000 },
  };
}

/** Files under DATA_DIR/evidence/files, or an S3-compatible bucket whose every setting is given. */
function evidenceStorage(e: z.infer<typeof EnvSchema>, dataDir: string): EvidenceStorageSetting {
  if (e.EVIDENCE_STORAGE === "filesystem") return { kind: "filesystem", dir: join(dataDir, "evidence", "files") };
  const required = ["EVIDENCE_S3_ENDPOINT", "EVIDENCE_S3_BUCKET", "EVIDENCE_S3_ACCESS_KEY_ID", "EVIDENCE_S3_SECRET_ACCESS_KEY"] as const;
  for (const name of required) if (!e[name]) throw new SettingError(`Missing setting ${name}: required when EVIDENCE_STORAGE=s3`);
  return {
    kind: "s3", endpoint: e.EVIDENCE_S3_ENDPOINT!, bucket: e.EVIDENCE_S3_BUCKET!, region: e.EVIDENCE_S3_REGION,
    accessKeyId: e.EVIDENCE_S3_ACCESS_KEY_ID!, secretAccessKey: e.EVIDENCE_S3_SECRET_ACCESS_KEY!, prefix: e.EVIDENCE_S3_PREFIX,
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
