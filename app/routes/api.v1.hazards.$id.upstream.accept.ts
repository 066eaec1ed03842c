// The inheriting organisation accepts the current upstream version of a hazard (or records it as not applicable).
import { jsonPostRoute } from "#app/api.server.ts";
import { AcceptUpstream, acceptUpstream } from "#app/upstream.server.ts";

const route = jsonPostRoute(AcceptUpstream, (user, id, body, ctx) => acceptUpstream(user, id, body, ctx.requestId));
export const loader = route.loader;
export const action = route.action;
