// What an inheriting log takes from upstream (contract §4): title, description, causes, effect,
// hazard, harm, the hazard type and source, the upstream controls, and whether the upstream hazard
// is closed or deprecated. Everything else (assessment, owner, review date, acceptance) is each
// organisation's own, so changing it upstream is no news downstream.
import type { FieldChange } from "./hazard-diff.ts";

const INHERITED = new Set(["title", "description", "causes", "effect", "hazard", "harm", "hazardType", "source", "status", "deprecated"]);

export function reachesDownstream(change: Pick<FieldChange, "field">): boolean {
  return INHERITED.has(change.field) || change.field.startsWith("controls[");
}
