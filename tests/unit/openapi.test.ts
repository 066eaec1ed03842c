// The OpenAPI document describes every API route file, and nothing that does not exist.
import { readdirSync } from "node:fs";
import { expect, test } from "vitest";
import { loader } from "#app/routes/api.v1.openapi[.]json.ts";

/** api.v1.hazards.$id.ts → /api/v1/hazards/{id}; `[.]` is a literal dot (report[.]pdf → report.pdf). */
function pathOf(file: string) {
  const name = file.replace(/\.tsx?$/, "");
  if (name === "healthz") return "/healthz";
  return "/" + name.replace(/^api\.v1\./, "api/v1/").split(/\.(?![^[]*])/).join("/").replace(/\$(\w+)/g, "{$1}").replace(/\[\.\]/g, ".");
}

test("file names map to paths, [.] being a literal dot", () => {
  expect(pathOf("api.v1.openapi[.]json.ts")).toBe("/api/v1/openapi.json");
  expect(pathOf("api.v1.safety-cases.$id.report[.]pdf.ts")).toBe("/api/v1/safety-cases/{id}/report.pdf");
  expect(pathOf("api.v1.hazard-logs.$id.hazards.ts")).toBe("/api/v1/hazard-logs/{id}/hazards");
});

test("every API route file has an entry in the OpenAPI document", async () => {
  const response = await loader();
  const doc = await response.json();
  expect(doc.openapi).toBe("3.1.0");
  const files = readdirSync("app/routes").filter((f) => (f.startsWith("api.v1.") && f !== "api.v1.$.ts") || f === "healthz.ts");
  const routePaths = files.map(pathOf).sort();
  expect(routePaths.length).toBeGreaterThan(5);
  for (const p of routePaths) expect(Object.keys(doc.paths), `missing ${p}`).toContain(p);
  for (const p of Object.keys(doc.paths)) expect(routePaths, `documented but not routed: ${p}`).toContain(p);
});
