// The owner filter's options (distinctOwners): every owner named in the log once, whatever the
// case, blanks and unassigned hazards left out, in name order — the names every row holds.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "#db/client.ts";
import { hazards } from "#db/schema/index.ts";
import { distinctOwners } from "#app/hazard-list.server.ts";
import { closeTestDb, openTestDb } from "#tests/setup/test-db.ts";
import { logIdByTitle, SUPPLIER_LOG } from "../hazards/helpers.ts";

let db: Db;
let logId: string;
beforeAll(async () => {
  ({ db } = await openTestDb());
  logId = await logIdByTitle(db, SUPPLIER_LOG);
});
afterAll(closeTestDb);

/** The owners named in the log, from every row: one entry per name whatever its case, each with the spellings used. */
async function namedOwners(): Promise<Map<string, Set<string>>> {
  const rows = await db.select({ owner: hazards.owner }).from(hazards).where(eq(hazards.hazardLogId, logId));
  const byName = new Map<string, Set<string>>();
  for (const { owner } of rows) if (owner?.trim()) byName.set(owner.toLowerCase(), (byName.get(owner.toLowerCase()) ?? new Set()).add(owner));
  return byName;
}

it("lists each owner of the log once, as every row would", async () => {
  const ids = (await db.select({ id: hazards.id }).from(hazards).where(eq(hazards.hazardLogId, logId)).orderBy(hazards.refNumber)).map((r) => r.id);
  expect(ids.length).toBeGreaterThanOrEqual(8);
  const owners = [null, "  ", "Ward manager", "Ward Manager", "Pharmacy lead", "Zoë Adams", "adams", null];
  for (const [i, owner] of owners.entries()) await db.update(hazards).set({ owner }).where(eq(hazards.id, ids[i]));
  const listed = await distinctOwners(db, logId);
  const named = await namedOwners();
  // Every name once (in one of the spellings used), nothing else, in English name order.
  expect(listed.map((o) => o.toLowerCase()).sort()).toEqual([...named.keys()].sort());
  for (const o of listed) expect(named.get(o.toLowerCase())?.has(o), o).toBe(true);
  expect(listed).toEqual([...listed].sort((a, b) => a.localeCompare(b, "en-GB")));
  expect(listed).toEqual(expect.arrayContaining(["Pharmacy lead", "Zoë Adams", "adams"]));
  expect(listed.filter((o) => o.toLowerCase() === "ward manager")).toHaveLength(1);
  expect(listed.some((o) => !o.trim())).toBe(false);
});

it("lists nothing for a log where no hazard has an owner", async () => {
  await db.update(hazards).set({ owner: null }).where(eq(hazards.hazardLogId, logId));
  expect(await distinctOwners(db, logId)).toEqual([]);
});
