import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "#app/hazard-list-cursor.server.ts";
import { SORTS } from "#app/hazard-list.server.ts";
import { openApiDocument } from "#app/openapi.ts";
import "#app/openapi-hazards.ts";

describe("list cursor", () => {
  it("round-trips and refuses another sort's cursor or a made-up one with 400 on the cursor field", () => {
    const c = { sort: "-residualRisk", direction: "prev" as const, keys: ["4", null], position: 50 };
    expect(decodeCursor(encodeCursor(c), "-residualRisk")).toEqual(c);
    expect(decodeCursor(undefined, "ref")).toBeNull();
    for (const [cursor, sort] of [[encodeCursor(c), "ref"], ["not-base64-json", "ref"], [Buffer.from('{"s":"ref"}').toString("base64url"), "ref"]])
      expect(() => decodeCursor(cursor, sort)).toThrow(expect.objectContaining({ status: 400, extra: { fields: { cursor: expect.any(String) } } }));
  });

  it("the OpenAPI document lists exactly the sorts the server takes", () => {
    const get = (openApiDocument.paths as Record<string, { get?: { parameters: { name: string; schema: { enum?: string[] } }[] } }>)["/api/v1/hazard-logs/{id}/hazards"].get!;
    expect(get.parameters.find((p) => p.name === "sort")!.schema.enum).toEqual([...SORTS]);
    expect(get.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(["initialCell", "residualCell", "overdue", "hazardType", "owner", "residualRisk"]));
  });
});
