// Calls the hazard pages' loaders and actions as Remix would: a signed-in browser's cookie, form
// posts with the same field names the form uses.
import { context, cookieFrom, formRequest, getRequest, settle } from "#tests/support/requests.ts";
import { action as signInAction } from "#app/routes/sign-in.tsx";
import * as newRoute from "#app/routes/hazard-logs.$id_.hazards.new.tsx";
import * as editRoute from "#app/routes/hazards.$id_.edit.tsx";
import * as hazardRoute from "#app/routes/hazards.$id.tsx";

const cookies = new Map<string, string>();

export async function cookieFor(email: string): Promise<string> {
  const cached = cookies.get(email);
  if (cached) return cached;
  const res = await settle(() => signInAction({ request: formRequest("/sign-in", { email, password: "demo-password", redirectTo: "/" }), params: {}, context: context(`10.9.${cookies.size}.1`) } as never));
  if (res.status !== 302) throw new Error(`sign-in as ${email} answered ${res.status}`);
  const cookie = cookieFrom(res);
  cookies.set(email, cookie);
  return cookie;
}

export type PageAnswer = { status: number; location: string | null; body: any };

async function answer(res: Response): Promise<PageAnswer> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    /* an error page's plain text */
  }
  return { status: res.status, location: res.headers.get("Location"), body };
}

const call = (fn: (args: never) => unknown, request: Request, params: Record<string, string>) => settle(() => fn({ request, params, context: context() } as never) as Promise<unknown>).then(answer);

export async function getNewPage(email: string, logId: string) {
  return call(newRoute.loader, getRequest(`/hazard-logs/${logId}/hazards/new`, { Cookie: await cookieFor(email) }), { id: logId });
}
export async function postNew(email: string, logId: string, fields: Record<string, string>) {
  return call(newRoute.action, formRequest(`/hazard-logs/${logId}/hazards/new`, fields, { Cookie: await cookieFor(email) }), { id: logId });
}
export async function getEditPage(email: string, id: string) {
  return call(editRoute.loader, getRequest(`/hazards/${id}/edit`, { Cookie: await cookieFor(email) }), { id });
}
export async function postEdit(email: string, id: string, fields: Record<string, string>) {
  return call(editRoute.action, formRequest(`/hazards/${id}/edit`, fields, { Cookie: await cookieFor(email) }), { id });
}
export async function getHazardPage(email: string, id: string) {
  return call(hazardRoute.loader, getRequest(`/hazards/${id}`, { Cookie: await cookieFor(email) }), { id });
}
export async function postHazardPage(email: string, id: string, fields: Record<string, string>) {
  return call(hazardRoute.action, formRequest(`/hazards/${id}`, fields, { Cookie: await cookieFor(email) }), { id });
}

/** A raise form with two causes and one control, as the browser posts it. */
export const RAISE_FIELDS = {
  intent: "save",
  title: "Allergy banner hidden on the prescribing screen",
  description: "The allergy banner scrolls out of view on small screens.",
  "causes.shown": "1",
  "causes.0": "Responsive layout hides the banner below 1024 px",
  "causes.1": "Banner not repeated in the prescribing dialog",
  effect: "The prescriber does not see a recorded allergy.",
  hazard: "A drug the patient is allergic to is prescribed.",
  harm: "Anaphylaxis.",
  hazardType: "Allergy",
  source: "workshop",
  owner: "Dr Jane Lee",
  reviewDue: "2026-03-31",
  "controls.shown": "1",
  "controls.0.kind": "additional",
  "controls.0.type": "design",
  "controls.0.description": "Pin the allergy banner to the top of the prescribing dialog",
  "controls.0.state": "planned",
  "controls.0.evidenceRefs": "DES-101\nTEST-55",
};
