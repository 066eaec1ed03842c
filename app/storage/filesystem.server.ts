// Evidence on the local disk: DATA_DIR/evidence/files/<2 hex>/<32 hex>, outside the web root (the
// server only serves build/client). Files are made read-only (0440) once stored.
import { createReadStream } from "node:fs";
import { chmod, copyFile, mkdir, rename, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { assertKey, type EvidenceStore } from "./types.ts";

export function createFilesystemStore(root: string): EvidenceStore {
  const pathOf = (key: string) => {
    assertKey(key);
    return join(root, key.slice(0, 2), key);
  };
  return {
    kind: "filesystem",
    async putFile(key, localPath) {
      const target = pathOf(key);
      await mkdir(dirname(target), { recursive: true, mode: 0o750 });
      try {
        await rename(localPath, target); // same filesystem: atomic, no second copy
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
        await copyFile(localPath, target);
        await rm(localPath, { force: true });
      }
      await chmod(target, 0o440);
    },
    async read(key): Promise<Readable> {
      const path = pathOf(key);
      await stat(path); // a missing file rejects here, not later mid-stream
      return createReadStream(path);
    },
    async remove(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}
