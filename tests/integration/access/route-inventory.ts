// Every route module under app/routes (Remix flat routes: one file, one route) and whether it
// exports a loader and/or an action. Generated from the files themselves, so a new route cannot
// escape the access table.
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const ROUTES_DIR = fileURLToPath(new URL("../../../app/routes/", import.meta.url));

export type RouteModule = { id: string; file: string; loader: (...args: never[]) => unknown; action: (...args: never[]) => unknown };
export type InventoryEntry = { id: string; file: string; hasLoader: boolean; hasAction: boolean };

/** Route ids as Remix names them: the file name without .ts/.tsx. */
export function routeFiles(): { id: string; file: string }[] {
  return readdirSync(ROUTES_DIR)
    .filter((f) => /\.tsx?$/.test(f))
    .sort()
    .map((file) => ({ id: file.replace(/\.tsx?$/, ""), file }));
}

export async function loadRoutes(): Promise<Map<string, RouteModule>> {
  const out = new Map<string, RouteModule>();
  for (const { id, file } of routeFiles()) {
    const mod = (await import(/* @vite-ignore */ `${ROUTES_DIR}${file}`)) as Partial<RouteModule>;
    out.set(id, { id, file, loader: mod.loader as RouteModule["loader"], action: mod.action as RouteModule["action"] });
  }
  return out;
}

export async function inventory(): Promise<InventoryEntry[]> {
  const routes = await loadRoutes();
  return [...routes.values()].map((r) => ({ id: r.id, file: r.file, hasLoader: typeof r.loader === "function", hasAction: typeof r.action === "function" }));
}
