// Runs one of the npm database commands (db:migrate, db:seed, db:backup, db:restore) as its own
// process, the way an operator would, with the given settings on top of this process's environment.
import { execFile } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

export type CliResult = { code: number; stdout: string; stderr: string };

export const SCRIPTS = {
  migrate: "db/migrate.ts",
  seed: "db/seed-cli.ts",
  backup: "scripts/db-backup.ts",
  restore: "scripts/db-restore.ts",
} as const;

/** `env` values of undefined remove the variable (for example DATABASE_URL, to use DATA_DIR). */
export async function runCli(script: keyof typeof SCRIPTS, args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  const merged: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete merged[k];
  else merged[k] = v;
  try {
    const { stdout, stderr } = await promisify(execFile)("node_modules/.bin/tsx", [SCRIPTS[script], ...args], { env: merged, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

/** Every file under a folder with its size and modification time: to show a refusal changed nothing. */
export function folderFingerprint(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const st = statSync(path);
      if (st.isDirectory()) walk(path);
      else out.push(`${path.slice(folder.length)} ${st.size} ${st.mtimeMs}`);
    }
  };
  walk(folder);
  return out;
}
