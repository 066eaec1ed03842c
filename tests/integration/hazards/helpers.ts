// Calls the hazard API routes directly with real Requests and bearer tokens of the demo accounts.
import { eq } from "drizzle-orm";
import type { Db } from "#db/client.ts";
import { hazardLogs, users } from "#db/schema/index.ts";
import { createToken } from "#app/tokens.server.ts";
import * as listRoute from "#app/routes/api.v1.hazard-logs.$id.hazards.ts";
import * as hazardRoute from "#app/routes/api.v1.hazards.$id.ts";

const tokens = new Map<string, string>();

export async function tokenFor(db: Db, email: string): Promise<string> {
  const cached = tokens.get(email);
  if (cached) return cached;
  const [u] = await db.select().from(users).where(eq(users.email, email));
  if (!u) throw new Error(`no user ${email}`);
  const { token } = await createToken(u.id, "t");
  tokens.set(email, token);
  return token;
}

export function resetTokens() {
  tokens.clear();
}

export async function logIdByTitle(db: Db, title: string): Promise<string> {
  const [l] = await db.select().from(hazardLogs).where(eq(hazardLogs.title, title));
  if (!l) throw new Error(`no log ${title}`);
  return l.id;
}

export const SUPPLIER_LOG = "Wessex Shared EPR — DCB0129 hazard log";
export const ICB_LOG = "Wessex Shared EPR — ICB shared DCB0160 hazard log";

type Answer = { status: number; body: any };

async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

function request(url: string, token: string, method: string, body?: unknown) {
  const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  return new Request(`http://localhost${url}`, { method, headers, body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body) });
}

const ctx = { requestId: "test-request", cspNonce: "n", clientIp: "127.0.0.1" };

export async function listHazards(token: string, logId: string, query: Record<string, string> = {}): Promise<Answer> {
  const qs = new URLSearchParams(query).toString();
  const url = `/api/v1/hazard-logs/${logId}/hazards${qs ? `?${qs}` : ""}`;
  return answer(await listRoute.loader({ request: request(url, token, "GET"), params: { id: logId }, context: ctx } as never));
}

export async function createHazard(token: string, logId: string, body: unknown): Promise<Answer> {
  const url = `/api/v1/hazard-logs/${logId}/hazards`;
  return answer(await listRoute.action({ request: request(url, token, "POST", body), params: { id: logId }, context: ctx } as never));
}

export async function getHazard(token: string, id: string): Promise<Answer> {
  return answer(await hazardRoute.loader({ request: request(`/api/v1/hazards/${id}`, token, "GET"), params: { id }, context: ctx } as never));
}

export async function patchHazard(token: string, id: string, body: unknown, method = "PATCH"): Promise<Answer> {
  return answer(await hazardRoute.action({ request: request(`/api/v1/hazards/${id}`, token, method, body), params: { id }, context: ctx } as never));
}
