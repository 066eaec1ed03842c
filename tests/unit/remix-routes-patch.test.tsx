// patches/@remix-run+react+2.17.5.patch and patches/react-router-dom+6.30.4.patch (applied by
// `npm install`'s postinstall: patch-package) make a document's routes once per build instead of
// once per request: RemixServer keeps the server routes made from the build's manifest (the server
// runtime hands it a new route-modules object per request, holding the same modules), and the static
// router keeps the data routes made from one routes array. Kept, the arrays are the same each time,
// so the router's kept route ranking (router-patch.test.ts) applies to every match (issue 9).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { useContext } from "react";
import { renderToString } from "react-dom/server";
import { createStaticHandler } from "@remix-run/router";
import type { EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { UNSAFE_DataRouterContext } from "react-router";
import { createStaticRouter } from "react-router-dom/server";
import { describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);

describe("routes made once per build", () => {
  it("is applied to the files the build bundles (ESM) and their CommonJS twins", () => {
    const remix = require.resolve("@remix-run/react").replace(/index\.js$/, "");
    for (const file of [`${remix}esm/server.js`, `${remix}server.js`]) expect(readFileSync(file, "utf8")).toContain("function serverRoutesOf(");
    const rrd = require.resolve("react-router-dom/server").replace(/server\.js$/, "");
    for (const file of [`${rrd}server.mjs`, `${rrd}server.js`]) expect(readFileSync(file, "utf8")).toContain("const dataRoutesCache = new WeakMap();");
  });

  it("the static router keeps the data routes of one routes array, and makes new ones for another", async () => {
    const routes = [{ id: "root", path: "/", children: [{ id: "log", path: "hazard-logs/:id" }] }];
    const context = await createStaticHandler(routes).query(new Request("http://localhost/hazard-logs/abc"));
    if (context instanceof Response) throw new Error("no context");
    const first = createStaticRouter(routes, context);
    const second = createStaticRouter(routes, context);
    expect(second.routes).toBe(first.routes);
    expect(second.state.matches.map((m) => [m.route.id, m.params.id])).toEqual([["root", "abc"], ["log", "abc"]]);
    const other = [{ id: "root", path: "/", children: [{ id: "log", path: "hazard-logs/:id" }] }];
    expect(createStaticRouter(other, context).routes).not.toBe(first.routes);
  });

  it("RemixServer renders each request from the same routes, and the same page", async () => {
    const seen: unknown[] = [];
    function Root() {
      seen.push(useContext(UNSAFE_DataRouterContext)?.router.routes);
      return <p>Hazard log</p>;
    }
    const manifest = {
      routes: { root: { id: "root", path: "", module: "/root.js", hasLoader: false, hasAction: false, hasClientLoader: false, hasClientAction: false, hasErrorBoundary: false } },
      entry: { module: "/entry.client.js", imports: [] },
      url: "/manifest.js",
      version: "1",
    };
    const future = { v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true, v3_singleFetch: true, v3_lazyRouteDiscovery: true, v3_routeConfig: false, unstable_optimizeDeps: false };
    const rootModule = { default: Root };
    const render = async () => {
      const context = await createStaticHandler([{ id: "root", path: "/" }]).query(new Request("http://localhost/"));
      if (context instanceof Response) throw new Error("no context");
      // As the server runtime does: a new route-modules object for every request, the same modules.
      const entry = { manifest, routeModules: { root: rootModule }, staticHandlerContext: context, serverHandoffString: "{}", future, isSpaMode: false, renderMeta: {}, serializeError: (e: Error) => ({ message: e.message }) };
      return renderToString(<RemixServer context={entry as unknown as EntryContext} url="http://localhost/" />);
    };
    const [a, b] = [await render(), await render()];
    expect(a).toContain("Hazard log");
    expect(b).toBe(a);
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBeTruthy();
    expect(seen[1]).toBe(seen[0]);
  });
});
