// Evidence files in backups (db:backup / db:restore). The database dump holds the evidence rows
// (each with its file's SHA-256); the bytes of the filesystem store (DATA_DIR/evidence/files) go
// beside the dump in `<backup>.evidence/`: the files in the store's own layout and a manifest.json
// listing each key with its SHA-256 and size. The folder is written AFTER the dump, and evidence
// files are stored before their row commits and never deleted, so every file a dumped row names is
// in the folder. Restore copies the files back (never overwriting: a file already present must have
// the same bytes), checking each one's SHA-256, then checks every evidence row against the store.
import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { chmod, copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { asc } from "drizzle-orm";
import type { Db } from "#db/client.ts";
import { evidence } from "#db/schema/index.ts";
import { STORAGE_KEY, type EvidenceStore } from "./storage/types.ts";

export const MANIFEST = "manifest.json";
export type ManifestEntry = { key: string; sha256: string; size: number };
export type Manifest = { format: "evidence-files/1"; files: ManifestEntry[] };

/** The evidence folder that goes with a backup file. */
export const evidenceFolderOf = (backupFile: string) => `${backupFile}.evidence`;

export async function sha256OfStream(stream: Readable): Promise<{ sha256: string; size: number }> {
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest("hex"), size };
}

const sha256OfFile = (path: string) => sha256OfStream(createReadStream(path));
const pathOf = (root: string, key: string) => join(root, key.slice(0, 2), key);

/** Every stored file of a filesystem store (keys only; temp files live elsewhere). */
async function storedKeys(root: string): Promise<string[]> {
  const keys: string[] = [];
  for (const prefix of (await readdir(root).catch(() => [] as string[])).sort()) {
    if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
    for (const name of (await readdir(join(root, prefix))).sort()) if (STORAGE_KEY.test(name) && name.startsWith(prefix)) keys.push(name);
  }
  return keys;
}

/** Copies every file of the store at `storeDir` into `folder` (which must not exist), with the manifest. */
export async function backupEvidenceFiles(storeDir: string, folder: string): Promise<{ files: number; bytes: number }> {
  const files: ManifestEntry[] = [];
  await mkdir(join(folder, "files"), { recursive: true });
  for (const key of await storedKeys(storeDir)) {
    const target = pathOf(join(folder, "files"), key);
    await mkdir(dirname(target), { recursive: true });
    await copyFile(pathOf(storeDir, key), target);
    files.push({ key, ...(await sha256OfFile(target)) }); // the hash of the copy: what the backup holds
  }
  const manifest: Manifest = { format: "evidence-files/1", files };
  await writeFile(join(folder, MANIFEST), `${JSON.stringify(manifest, null, 1)}\n`);
  return { files: files.length, bytes: files.reduce((n, f) => n + f.size, 0) };
}

export async function readManifest(folder: string): Promise<Manifest> {
  const parsed = JSON.parse(await readFile(join(folder, MANIFEST), "utf8")) as Manifest;
  if (parsed.format !== "evidence-files/1" || !Array.isArray(parsed.files) || parsed.files.some((f) => !STORAGE_KEY.test(f.key) || !/^[0-9a-f]{64}$/.test(f.sha256)))
    throw new Error(`${join(folder, MANIFEST)} is not an evidence manifest`);
  return parsed;
}

/**
 * Files of the store at `storeDir` that hold other bytes than the backup's file of the same key:
 * restoring would have to overwrite them, so the restore is refused before anything changes.
 */
export async function evidenceConflicts(manifest: Manifest, storeDir: string): Promise<string[]> {
  const conflicts: string[] = [];
  for (const f of manifest.files) {
    const path = pathOf(storeDir, f.key);
    if (existsSync(path) && (await sha256OfFile(path)).sha256 !== f.sha256) conflicts.push(path);
  }
  return conflicts;
}

/** Copies the backup's files into the store at `storeDir`, each checked against the manifest. */
export async function restoreEvidenceFiles(folder: string, manifest: Manifest, storeDir: string): Promise<{ copied: number; present: number; problems: string[] }> {
  let copied = 0;
  let present = 0;
  const problems: string[] = [];
  for (const f of manifest.files) {
    const target = pathOf(storeDir, f.key);
    if (existsSync(target)) {
      present++; // same bytes: evidenceConflicts refused anything else
      continue;
    }
    const source = pathOf(join(folder, "files"), f.key);
    if (!existsSync(source)) {
      problems.push(`evidence file ${f.key} is listed in the backup's manifest but missing from ${join(folder, "files")}`);
      continue;
    }
    await mkdir(dirname(target), { recursive: true, mode: 0o750 });
    const partial = `${target}.restoring`;
    await copyFile(source, partial);
    const got = await sha256OfFile(partial);
    if (got.sha256 !== f.sha256) {
      await rm(partial, { force: true });
      problems.push(`evidence file ${f.key} in the backup does not match its SHA-256 (${got.sha256} ≠ ${f.sha256}); not restored`);
      continue;
    }
    await chmod(partial, 0o440);
    await rename(partial, target);
    copied++;
  }
  return { copied, present, problems };
}

/** Every evidence row's file is in the store and has the row's SHA-256 and size. */
export async function checkEvidenceFiles(db: Db, store: EvidenceStore): Promise<{ checked: number; problems: string[] }> {
  const rows = await db.select({ id: evidence.id, filename: evidence.filename, storageKey: evidence.storageKey, sha256: evidence.sha256, size: evidence.size }).from(evidence).orderBy(asc(evidence.createdAt), asc(evidence.id));
  const problems: string[] = [];
  for (const row of rows) {
    let got: { sha256: string; size: number };
    try {
      got = await sha256OfStream(await store.read(row.storageKey));
    } catch {
      problems.push(`evidence ${row.id} (${row.filename}): its file is missing from the evidence store`);
      continue;
    }
    if (got.sha256 !== row.sha256 || got.size !== row.size) problems.push(`evidence ${row.id} (${row.filename}): its file does not match its SHA-256`);
  }
  return { checked: rows.length, problems };
}

export async function isFolder(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isDirectory() ?? false;
}
