// The requesting CSO's decision on one item: `{ decision: "accept" }` or `{ decision: "reject", reason }`.
import { jsonPostRoute } from "#app/api.server.ts";
import { ReviewInput, reviewEvidence } from "#app/evidence.server.ts";

const route = jsonPostRoute(ReviewInput, (user, id, body, ctx) => reviewEvidence(user, id, body, ctx.requestId));
export const loader = route.loader;
export const action = route.action;
