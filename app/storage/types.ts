// The evidence store: where evidence bytes live, behind one small interface so the filesystem
// (default) and an S3-compatible bucket are interchangeable. Keys are random names chosen by us,
// never derived from what the user sent.
import type { Readable } from "node:stream";

export type StoredFileMeta = { size: number; sha256: string; mediaType: string };

export interface EvidenceStore {
  readonly kind: "filesystem" | "s3";
  /** Stores the complete, already checked file at `localPath` under `key` (the temp file is consumed). */
  putFile(key: string, localPath: string, meta: StoredFileMeta): Promise<void>;
  /** The stored bytes as a stream; rejects when the object is missing. */
  read(key: string): Promise<Readable>;
  /** Only for an upload whose database write failed: the object was never part of the record. */
  remove(key: string): Promise<void>;
}

/** 32 lower-case hex characters: anything else is refused before it comes near a path or URL. */
export const STORAGE_KEY = /^[0-9a-f]{32}$/;

export function assertKey(key: string): void {
  if (!STORAGE_KEY.test(key)) throw new Error("Invalid evidence storage key");
}
