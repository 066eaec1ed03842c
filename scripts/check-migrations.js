// Checks the drizzle migrations folder before anything runs it: the journal's `when` timestamps
// strictly increase (drizzle's migrator skips a migration whose timestamp is not newer than the
// last one applied, so a merge that reorders them silently loses a migration), `idx` counts up
// from 0, and every entry has its SQL file and every SQL file an entry.
// Usage: node scripts/check-migrations.js [migrations folder]   (exit 1 with the problems)
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const DEFAULT_MIGRATIONS_FOLDER = resolve(fileURLToPath(new URL("..", import.meta.url)), "db/migrations");

/** @returns {string[]} the problems found (none when the folder is sound) */
export function checkMigrations(folder = DEFAULT_MIGRATIONS_FOLDER) {
  const problems = [];
  const journalPath = join(folder, "meta", "_journal.json");
  if (!existsSync(journalPath)) return [`${journalPath} is missing`];
  /** @type {{ entries: { idx: number; when: number; tag: string }[] }} */
  const journal = JSON.parse(readFileSync(journalPath, "utf8"));
  const entries = journal.entries ?? [];
  if (entries.length === 0) problems.push("the journal has no entries");
  entries.forEach((entry, i) => {
    if (entry.idx !== i) problems.push(`entry ${i} (${entry.tag}) has idx ${entry.idx}, expected ${i}`);
    if (!Number.isInteger(entry.when)) problems.push(`entry ${entry.tag} has no integer "when"`);
    if (i > 0 && !(entry.when > entries[i - 1].when))
      problems.push(`entry ${entry.tag} ("when" ${entry.when}) is not later than ${entries[i - 1].tag} ("when" ${entries[i - 1].when}): timestamps must strictly increase`);
    if (!existsSync(join(folder, `${entry.tag}.sql`))) problems.push(`entry ${entry.tag} has no ${entry.tag}.sql`);
  });
  const tags = new Set(entries.map((e) => e.tag));
  if (tags.size !== entries.length) problems.push("the journal names a tag twice");
  for (const file of readdirSync(folder).filter((f) => f.endsWith(".sql")))
    if (!tags.has(file.replace(/\.sql$/, ""))) problems.push(`${file} is not in the journal (drizzle would never apply it)`);
  return problems;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const folder = process.argv[2] ? resolve(process.argv[2]) : DEFAULT_MIGRATIONS_FOLDER;
  const problems = checkMigrations(folder);
  if (problems.length) {
    for (const p of problems) console.error(`check-migrations: ${p}`);
    process.exit(1);
  }
  console.log(`check-migrations: ${folder} is sound`);
}
