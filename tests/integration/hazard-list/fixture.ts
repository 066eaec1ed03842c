// The ICB's shared log (8 own hazards, 30 inherited) plus 40 varied hazards raised through the API:
// owners differing only in case, past and future review dates, every status, several types, whole,
// half and missing assessments, one deprecated. Deterministic (a fixed pseudo-random sequence).
import type { Db } from "#db/client.ts";
import { startSession } from "#app/auth.server.ts";
import { loader as logPageLoader } from "#app/routes/hazard-logs.$id.tsx";
import { BASE, context, getRequest, settle, userId } from "#tests/support/requests.ts";
import { LIKELIHOODS, SEVERITIES } from "#app/domain/risk.ts";
import { createHazard, ICB_LOG, logIdByTitle, patchHazard, tokenFor } from "../hazards/helpers.ts";

export const OWNERS = ["Ward manager", "ward MANAGER", "Pharmacy lead", "Chief clinical information officer", null] as const;
export const TYPES = ["WrongPatient", "WrongDrugDose", "CorruptedData", "SystemCrash"] as const;
export const PAST = "2001-02-03";
export const FUTURE = "2999-01-01";

function prng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 2246822507) + 0x9e3779b9) >>> 0) % 1_000_000) / 1_000_000;
}

export async function seedVariedHazards(db: Db): Promise<{ icbLog: string; icbToken: string; raisedIds: string[] }> {
  const icbLog = await logIdByTitle(db, ICB_LOG);
  const icbToken = await tokenFor(db, "cso@icb.example");
  const rnd = prng(20240601);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const raisedIds: string[] = [];
  for (let i = 0; i < 40; i++) {
    const assess = (kind: number) =>
      kind < 0.15 ? {} : kind < 0.22 ? { severity: pick(SEVERITIES) } : { severity: pick(SEVERITIES), likelihood: pick(LIKELIHOODS), justification: "Test" };
    const residual = assess(rnd());
    const res = await createHazard(icbToken, icbLog, {
      title: `${i % 3 === 0 ? "Medication" : i % 3 === 1 ? "Referral" : "Results"} hazard ${i} ${i === 7 ? "capybara" : ""}`.trim(),
      description: i % 5 === 0 ? "The bed board shows stale data after a network drop." : "",
      causes: i % 4 === 0 ? [`Interface queue backlog ${i}`, "Operator shortcut"] : [],
      hazardType: pick(TYPES),
      owner: pick(OWNERS),
      reviewDue: pick([PAST, FUTURE, null]),
      initial: assess(rnd()),
      residual,
      status: pick(["open", "open", "transferred", "closed"] as const),
      // A residual rating of 4 or 5 needs one (domain rule); harmless otherwise.
      riskBenefitJustification: "Benefit outweighs the residual risk in test data",
    });
    if (res.status !== 201) throw new Error(`raise failed: ${JSON.stringify(res.body)}`);
    raisedIds.push(res.body.id);
  }
  const dep = await patchHazard(icbToken, raisedIds[3], { version: 1, deprecate: { reason: "Duplicate of another hazard" } });
  if (dep.status !== 200) throw new Error(`deprecate failed: ${JSON.stringify(dep.body)}`);
  return { icbLog, icbToken, raisedIds };
}

/** The log page's loader answer for a signed-in user (their session cookie), with a query string. */
export async function loadLogPage(db: Db, email: string, logId: string, query = ""): Promise<Response> {
  const cookie = (await startSession(new Request(BASE), await userId(db, email))).split(";")[0];
  return settle(() => logPageLoader({ request: getRequest(`/hazard-logs/${logId}${query}`, { Cookie: cookie }), params: { id: logId }, context: context() } as never));
}
