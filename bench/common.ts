// Shared bits of the benchmark scripts: the one metric shape run.ts collects, "was this file run
// directly?", percentiles, and a scratch PostgreSQL database (created on DATABASE_URL's server,
// dropped afterwards; the database named in the URL is never touched).
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import postgres from "postgres";

export type Engine = "pglite" | "postgres";
export type BenchMetric = { metric: string; value: number; unit: string; db?: Engine; [extra: string]: unknown };

/** True when `url` (a module's import.meta.url) is the script node/tsx was started with. */
export const isMain = (url: string) => process.argv[1] !== undefined && pathToFileURL(resolve(process.argv[1])).href === url;

export const round1 = (x: number) => Math.round(x * 10) / 10;

/** Nearest-rank percentile. */
export function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const postgresConfigured = () => /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? "");

/** Creates `<name>` on DATABASE_URL's server; returns its URL and a function dropping it. */
export async function scratchDatabase(name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  const target = new URL(process.env.DATABASE_URL!);
  target.pathname = `/${name}`;
  return {
    url: target.toString(),
    drop: async () => {
      await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}
