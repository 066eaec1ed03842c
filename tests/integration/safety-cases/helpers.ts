// Calls the safety-case API routes directly with real Requests and bearer tokens of the demo accounts.
import * as createRoute from "#app/routes/api.v1.safety-cases.ts";
import * as caseRoute from "#app/routes/api.v1.safety-cases.$id.ts";
import * as eventsRoute from "#app/routes/api.v1.safety-cases.$id.events.ts";

export type Answer = { status: number; body: any };
export const PASSWORD = "demo-password";

async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

function request(url: string, token: string, method: string, body?: unknown) {
  const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  return new Request(`http://localhost${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

const ctx = (clientIp: string) => ({ requestId: "test-request", cspNonce: "n", clientIp });

export async function createCase(token: string, hazardLogId: string, title = "Safety case for go-live"): Promise<Answer> {
  return answer(await createRoute.action({ request: request("/api/v1/safety-cases", token, "POST", { hazardLogId, title }), params: {}, context: ctx("127.0.0.1") } as never));
}

export async function getCase(token: string, id: string): Promise<Answer> {
  return answer(await caseRoute.loader({ request: request(`/api/v1/safety-cases/${id}`, token, "GET"), params: { id }, context: ctx("127.0.0.1") } as never));
}

export async function sendEvent(token: string, id: string, body: Record<string, unknown>, clientIp = "127.0.0.1"): Promise<Answer> {
  return answer(await eventsRoute.action({ request: request(`/api/v1/safety-cases/${id}/events`, token, "POST", body), params: { id }, context: ctx(clientIp) } as never));
}

/** Reads the case, then signs at the version just read. */
export async function sign(token: string, id: string, meaning = "approved", password = PASSWORD): Promise<Answer> {
  const current = await getCase(token, id);
  return sendEvent(token, id, { type: "SIGN", expectedVersion: current.body.version, password, meaning });
}
