// The served OpenAPI document describes the hazard endpoints, fields and errors.
import { describe, expect, it } from "vitest";
import { loader } from "#app/routes/api.v1.openapi[.]json.ts";

describe("OpenAPI: hazards", () => {
  it("has the hazard paths, schemas and errors", async () => {
    const doc = await (await loader()).json();
    const list = doc.paths["/api/v1/hazard-logs/{id}/hazards"];
    expect(Object.keys(list)).toEqual(["get", "post"]);
    expect(list.get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(["q", "status", "residualRisk", "hazardType", "owner", "sort", "limit", "cursor", "includeDeprecated"]),
    );
    expect(list.post.responses["201"]).toBeTruthy();
    const one = doc.paths["/api/v1/hazards/{id}"];
    for (const code of ["400", "401", "403", "404", "409", "422"]) expect(one.patch.responses[code]).toBeTruthy();
    expect(Object.keys(doc.components.schemas.Hazard.properties)).toEqual(expect.arrayContaining(["upstream", "deprecated", "localCauses", "controls", "version"]));
    expect(doc.components.schemas.HazardInput.properties.risk).toBeUndefined();
    expect(doc.components.schemas.HazardPatch.required).toContain("version");
    // every $ref resolves
    const refs = JSON.stringify(doc).match(/#\/components\/schemas\/\w+/g) ?? [];
    for (const r of refs) expect(doc.components.schemas[r.split("/").pop()!], r).toBeTruthy();
  });
});
