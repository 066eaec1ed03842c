// Settings of the server processes (app/env.server.ts) and how import progress reaches every process.
import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { parseEnv } from "#app/env.server.ts";
import { relayImportProgress } from "#app/import-progress.server.ts";

const base = { NODE_ENV: "test", DATA_DIR: "/tmp/cswf-settings-test", SESSION_SECRET: "x".repeat(32) } as const;

describe("WEB_CONCURRENCY", () => {
  it("is one process on the embedded database, one per core on PostgreSQL, or what it says", () => {
    expect(parseEnv(base).workers).toBe(1);
    expect(parseEnv({ ...base, DATABASE_URL: "postgres://db/x" }).workers).toBe(availableParallelism());
    expect(parseEnv({ ...base, DATABASE_URL: "postgres://db/x", WEB_CONCURRENCY: "3" }).workers).toBe(3);
  });
  it("refuses several processes on the embedded database, and a number that is not one, by name", () => {
    expect(() => parseEnv({ ...base, WEB_CONCURRENCY: "2" })).toThrow(/^Invalid setting WEB_CONCURRENCY: the embedded database is served by one process/);
    expect(() => parseEnv({ ...base, DATABASE_URL: "postgres://db/x", WEB_CONCURRENCY: "0" })).toThrow(/^Invalid setting WEB_CONCURRENCY/);
    expect(() => parseEnv({ ...base, DATABASE_URL: "postgres://db/x", WEB_CONCURRENCY: "two" })).toThrow(/^Invalid setting WEB_CONCURRENCY/);
  });
});

describe("import progress across server processes", () => {
  it("the primary passes a worker's progress to every other worker, and nothing else", () => {
    const sent: Record<number, unknown[]> = { 1: [], 2: [], 3: [] };
    const workers = [1, 2, 3].map((id) => ({ id, send: (m: unknown) => sent[id].push(m) }));
    const message = { kind: "import-progress", previewId: "p1", progress: { owner: "h", total: 10, done: 4, state: "running", at: 1 } };
    relayImportProgress({ id: 2 }, message, workers);
    relayImportProgress({ id: 2 }, { kind: "something else" }, workers);
    expect(sent).toEqual({ 1: [message], 2: [], 3: [message] });
  });
});
