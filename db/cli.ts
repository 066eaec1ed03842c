// Shared by the database commands (db:migrate, db:seed, db:backup, db:restore): the database the
// server would use (DATABASE_URL, else the embedded one in DATA_DIR), and the single-process rule of
// an embedded PGlite folder.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseEnv, type Env } from "#app/env.server.ts";

/** Exit codes of the database commands. */
export const EXIT = { ok: 0, failed: 1, refused: 2 } as const;

export class Refusal extends Error {}

/**
 * The settings, without side effects: parseEnv would otherwise generate a session secret into
 * DATA_DIR, and these commands need none (db:restore must be able to start from an empty folder).
 */
export function commandEnv(source: NodeJS.ProcessEnv = process.env): Env {
  return parseEnv({ ...source, SESSION_SECRET: source.SESSION_SECRET ?? "database-commands-use-no-sessions-0123456789" });
}

/** The embedded database's folder, or null for PostgreSQL. */
export function pgliteFolder(env: Env): string | null {
  return env.usesEmbeddedDatabase ? env.databaseUrl.replace(/^pglite:\/\//, "") : null;
}

export function isEmptyFolder(folder: string): boolean {
  return !existsSync(folder) || readdirSync(folder).length === 0;
}

/**
 * PGlite has no cross-process lock: two processes on one folder silently lose writes. An open PGlite
 * keeps `postmaster.pid` in its folder and removes it on close, so its presence means a server (or
 * another command) has the folder open, or one ended without closing it (killed). Refuse either way
 * unless the operator says nothing else is running (`--force`).
 */
export function refuseIfPgliteInUse(folder: string, force = false): void {
  if (force || !existsSync(join(folder, "postmaster.pid"))) return;
  throw new Refusal(
    `The embedded database at ${folder} is in use (postmaster.pid is present): stop the server first, ` +
      `PGlite allows one process per folder. If no server or command is running (a process was killed), run again with --force.`,
  );
}

/** Runs a command body: a Refusal prints one line and exits 2, any other error exits 1. */
export async function runCommand(name: string, body: () => Promise<number>): Promise<never> {
  let code: number;
  try {
    code = await body();
  } catch (error) {
    if (error instanceof Refusal) {
      console.error(`${name}: refused: ${error.message}`);
      code = EXIT.refused;
    } else {
      console.error(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      code = EXIT.failed;
    }
  }
  process.exit(code);
}

/** pg_dump / pg_restore, or a clear refusal when postgresql-client is not installed. */
export function requirePgTool(tool: "pg_dump" | "pg_restore"): void {
  const probe = spawnSync(tool, ["--version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0)
    throw new Refusal(`${tool} was not found on PATH: install PostgreSQL's client tools (Debian: apt-get install postgresql-client), the same major version as the server or newer`);
}
