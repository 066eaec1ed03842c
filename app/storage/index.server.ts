// Which evidence store this process uses (EVIDENCE_STORAGE), made once; tests may hand in their own.
import { getEnv } from "../env.server.ts";
import { createFilesystemStore } from "./filesystem.server.ts";
import { createS3Store } from "./s3.server.ts";
import type { EvidenceStore } from "./types.ts";

export type { EvidenceStore, StoredFileMeta } from "./types.ts";

let store: EvidenceStore | undefined;

export function getEvidenceStore(): EvidenceStore {
  if (store) return store;
  const setting = getEnv().evidence.storage;
  store = setting.kind === "filesystem" ? createFilesystemStore(setting.dir) : createS3Store(setting);
  return store;
}

/** Tests: use this store (an S3 one against a local fake, or one that fails on purpose). */
export function useEvidenceStore(next: EvidenceStore | undefined) {
  store = next;
}
