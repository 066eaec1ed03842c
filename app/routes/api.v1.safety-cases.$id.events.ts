// A workflow event on a safety case: SUBMIT, SIGN (password and meaning), REQUEST_CHANGES, EDIT_SIGNATORIES.
import { jsonPostRoute } from "#app/api.server.ts";
import { CaseEventInput, sendCaseEvent } from "#app/safety-cases.server.ts";

const route = jsonPostRoute(CaseEventInput, (user, id, body, ctx) => sendCaseEvent(user, id, body, ctx));
export const loader = route.loader;
export const action = route.action;
