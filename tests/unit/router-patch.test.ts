// patches/@remix-run+router+1.23.3.patch (applied by `npm install`'s postinstall: patch-package)
// keeps each route pattern's compiled matcher and each routes array's ranked branches instead of
// rebuilding them on every match (issue 9). The server loads the router's CommonJS build, which
// the patch changes.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
const routerFile = require.resolve("@remix-run/router");
const { matchPath, matchRoutes } = require(routerFile) as typeof import("@remix-run/router");

describe("the patched route matching", () => {
  it("is the build the server loads, with the patch applied", () => {
    expect(routerFile).toMatch(/router\.cjs\.js$/);
    expect(readFileSync(routerFile, "utf8")).toContain("const compiledPaths = new Map();");
    expect(readFileSync(routerFile, "utf8")).toContain("const rankedBranchesCache = new WeakMap();");
  });

  it("answers as before when one pattern is matched again with other options and paths", () => {
    for (let round = 0; round < 3; round++) {
      expect(matchPath({ path: "/hazards/:id", caseSensitive: false, end: true }, "/HAZARDS/h-1")?.params).toEqual({ id: "h-1" });
      expect(matchPath({ path: "/hazards/:id", caseSensitive: true, end: true }, "/HAZARDS/h-1")).toBeNull();
      expect(matchPath({ path: "/hazards/:id", end: true }, "/hazards/h-1/edit")).toBeNull();
      expect(matchPath({ path: "/hazards/:id", end: false }, "/hazards/h-1/edit")?.pathnameBase).toBe("/hazards/h-1");
      expect(matchPath("/files/*", "/files/a/b.pdf")?.params["*"]).toBe("a/b.pdf");
      expect(matchPath("/logs/:id?", "/logs")?.params).toEqual({ id: undefined });
    }
  });

  it("matches nested routes to the same branch every time", () => {
    const routes = [{ id: "root", path: "/", children: [{ id: "log", path: "hazard-logs/:id" }, { id: "logs", path: "hazard-logs" }, { id: "any", path: "*" }] }];
    for (let round = 0; round < 3; round++) {
      expect(matchRoutes(routes, "/hazard-logs/abc")?.map((m) => [m.route.id, m.params.id])).toEqual([["root", "abc"], ["log", "abc"]]);
      expect(matchRoutes(routes, "/hazard-logs")?.map((m) => m.route.id)).toEqual(["root", "logs"]);
      expect(matchRoutes(routes, "/elsewhere/x")?.map((m) => m.route.id)).toEqual(["root", "any"]);
    }
  });
});

describe("the patched route ranking (flattened and ranked once per routes array)", () => {
  it("matches the best-ranked branch whichever order the routes are declared in, every time", () => {
    const routes = [{ id: "root", path: "/", children: [{ id: "any", path: "*" }, { id: "logs", path: "hazard-logs" }, { id: "log", path: "hazard-logs/:id" }, { id: "new", path: "hazard-logs/new" }] }];
    for (let round = 0; round < 3; round++) {
      expect(matchRoutes(routes, "/hazard-logs/new")?.map((m) => m.route.id)).toEqual(["root", "new"]);
      expect(matchRoutes(routes, "/hazard-logs/abc")?.map((m) => m.route.id)).toEqual(["root", "log"]);
      expect(matchRoutes(routes, "/hazard-logs")?.map((m) => m.route.id)).toEqual(["root", "logs"]);
      expect(matchRoutes(routes, "/x/y")?.map((m) => m.route.id)).toEqual(["root", "any"]);
    }
  });

  it("keeps different routes arrays apart", () => {
    const a = [{ id: "a", path: "/cases/:id" }];
    const b = [{ id: "b", path: "/cases/:id" }];
    expect(matchRoutes(a, "/cases/1")?.[0].route.id).toBe("a");
    expect(matchRoutes(b, "/cases/1")?.[0].route.id).toBe("b");
    expect(matchRoutes(a, "/cases/1")?.[0].route.id).toBe("a");
  });

  it("sees a route added to the same arrays later (a client's route discovery patches them in place)", () => {
    const children: { id: string; path: string }[] = [{ id: "logs", path: "hazard-logs" }];
    const routes = [{ id: "root", path: "/", children }];
    expect(matchRoutes(routes, "/audit")).toBeNull();
    children.push({ id: "audit", path: "audit" });
    expect(matchRoutes(routes, "/audit")?.map((m) => m.route.id)).toEqual(["root", "audit"]);
    routes.push({ id: "help", path: "/help", children: [] });
    expect(matchRoutes(routes, "/help")?.map((m) => m.route.id)).toEqual(["help"]);
  });
});
