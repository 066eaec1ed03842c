// The route inventory against the access table: a route module without an entry (or with a loader
// or action the table does not cover) fails, and so does an entry for a route that no longer exists.
import { expect, test } from "vitest";
import { ACCESS_TABLE } from "./access-table.ts";
import { inventory } from "./route-inventory.ts";

test("every route module, with its loader and action, has an entry in the access table", async () => {
  const routes = await inventory();
  expect(routes.length).toBeGreaterThan(30);
  const missing: string[] = [];
  for (const r of routes) {
    const entry = ACCESS_TABLE[r.id];
    if (!entry) missing.push(`${r.file}: no entry`);
    else {
      if (r.hasLoader && !entry.loader) missing.push(`${r.file}: loader not in the table`);
      if (r.hasAction && !entry.action) missing.push(`${r.file}: action not in the table`);
    }
  }
  expect(missing).toEqual([]);
  console.log(
    `route inventory: ${routes.length} modules, ${routes.filter((r) => r.hasLoader).length} loaders, ${routes.filter((r) => r.hasAction).length} actions\n` +
      routes.map((r) => `  ${r.id.padEnd(45)} ${r.hasLoader ? "loader" : "      "} ${r.hasAction ? "action" : ""}`).join("\n"),
  );
});

test("the access table names no route, loader or action that does not exist", async () => {
  const routes = new Map((await inventory()).map((r) => [r.id, r]));
  const stale: string[] = [];
  for (const [id, entry] of Object.entries(ACCESS_TABLE)) {
    const r = routes.get(id);
    if (!r) stale.push(`${id}: no such route module`);
    else {
      if (entry.loader && !r.hasLoader) stale.push(`${id}: has no loader`);
      if (entry.action && !r.hasAction) stale.push(`${id}: has no action`);
    }
  }
  expect(stale).toEqual([]);
});
