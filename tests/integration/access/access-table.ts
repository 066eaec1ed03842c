// The access table: for every route module (by file name under app/routes, flat routes) and every
// method it exports (loader, action), what each kind of caller gets. Written from contract §3 and
// the README's "Decisions" (roles), not computed from app/domain/permissions.ts, so that the
// matrix test (matrix.test.ts) checks the app against an independent statement of the rules.
//
// A rule names the object the route is about (its subject) and who may do the method:
//   fixed(s)        everyone, signed in or not, gets s (public pages, 404/405 stubs)
//   signedIn        any signed-in caller; signed out: 302 to /sign-in (pages) or 401 (API)
//   read            callers whose organisations may read the subject: ok; anyone else 404
//   owner(roles)    readers with one of `roles` in the subject's owner organisation: ok; other readers 403; others 404
//   readers(roles)  readers with one of `roles` in any organisation that reads the subject: ok; other readers 403; others 404
//   showing(roles)  readers with one of `roles` in an organisation owning a log that shows the subject
//                   (for a log, hazard or case: its owner; for a control: every log it appears in): ok; other readers 403; others 404
//   ownRole(roles)  a signed-in caller whose (first) membership has one of `roles`: ok; otherwise 403
// "ok" for a GET is 2xx or a redirect not to /sign-in; for a write it means "got past access
// control": 2xx, 3xx, 400, 409 or 422 (probes use stale versions where a real write would change
// state the other checks rely on).

export type Role = "cso" | "contributor" | "approver" | "viewer" | "admin";
export type Expect = "ok" | "signin" | 401 | 403 | 404 | 405 | "any";
export type Subject = "none" | "log" | "hazard" | "case" | "platform" | "organisation" | "control" | "evidence";

export type Rule =
  | { kind: "fixed"; status: Expect }
  | { kind: "signedIn" }
  | { kind: "read" }
  | { kind: "owner"; roles: Role[] }
  | { kind: "readers"; roles: Role[] }
  | { kind: "showing"; roles: Role[] }
  | { kind: "ownRole"; roles: Role[] };

/** What a probe needs to build a request. */
export type ProbeContext = { id: string; logId: string; caller: { email: string; firstOrganisationId: string | null } | null; n: number };
export type Body =
  | { json: unknown }
  | { form: Record<string, string> }
  | { csv: string }; // multipart with a `file` field

export type Probe = {
  method: "GET" | "POST" | "PATCH";
  path: (c: ProbeContext) => string;
  body?: (c: ProbeContext) => Body;
  /** Routes that read no session (or end it) are called with a throwaway session. */
  freshSession?: boolean;
  /** Expensive answers (PDFs): checked with one caller per kind, not every account. */
  expensive?: boolean;
};

export type MethodAccess = { subject: Subject; rule: Rule; probe: Probe };
export type RouteAccess = { api: boolean; loader?: MethodAccess; action?: MethodAccess };

// --------------------------------------------------------------------------------------------
// Rule shorthands

const fixed = (status: Expect): Rule => ({ kind: "fixed", status });
const signedIn: Rule = { kind: "signedIn" };
const read: Rule = { kind: "read" };
const owner = (...roles: Role[]): Rule => ({ kind: "owner", roles });
const readers = (...roles: Role[]): Rule => ({ kind: "readers", roles });
const ownRole = (...roles: Role[]): Rule => ({ kind: "ownRole", roles });
const showing = (...roles: Role[]): Rule => ({ kind: "showing", roles });

// Roles, from the README's Decisions: cso edits, assesses, imports, submits, signs; contributor
// raises and edits drafts; approver signs; viewer reads; admin manages members.
const EDIT: Role[] = ["cso", "contributor"];
const AUDIT: Role[] = ["cso", "approver", "viewer"];
const INCIDENT: Role[] = ["cso", "contributor", "approver"];

const get = (path: (c: ProbeContext) => string, extra: Partial<Probe> = {}): Probe => ({ method: "GET", path, ...extra });
const post = (path: (c: ProbeContext) => string, body?: (c: ProbeContext) => Body, extra: Partial<Probe> = {}): Probe => ({ method: "POST", path, body, ...extra });

export const STALE = 999_999;
export const IMPORT_CSV = "Ref,Title\n,Access matrix import probe\n";

export const NEW_HAZARD_FORM = (c: ProbeContext): Body => ({
  form: { intent: "save", title: `Access probe ${c.n}`, description: "Raised by the access matrix", "causes.shown": "1", "causes.0": "A cause", "controls.shown": "0" },
});
export const EDIT_HAZARD_FORM = (): Body => ({ form: { intent: "save", title: "Stale edit from the access matrix", "causes.shown": "0", "controls.shown": "0", version: String(STALE), reason: "probe" } });

const logPath = (suffix = "") => (c: ProbeContext) => `/hazard-logs/${c.id}${suffix}`;
const hazardPath = (suffix = "") => (c: ProbeContext) => `/hazards/${c.id}${suffix}`;

// --------------------------------------------------------------------------------------------
// The table. Keys are route file names without the extension.

// Evidence routes: a control of each organisation's log, and an evidence item of each (sent
// without a request, already accepted), from app/domain/permissions.ts's rules for controls:
//   read            readers of any log that shows the control (its own log, its hazards' logs and
//                   every log inheriting those hazards) read it, its evidence and the files; others 404
//   showing("cso")  requesting evidence: a CSO of an organisation owning a log that shows the control
//   owner(…)        uploading without a request: a contributor or CSO of the organisation carrying it
//                   out (the control's owner); reviewing an item sent without a request: the CSO of
//                   the organisation owning the control's log (the evidence subject's owner)
// The probes never write: a request names an organisation that is not a reader (400 once past
// access control), an upload has no description (400), and a review is of an item already accepted (422).
const evidenceRoutes: Record<string, RouteAccess> = {
  "controls.$id": {
    api: false,
    loader: { subject: "control", rule: read, probe: get((c) => `/controls/${c.id}`) },
    action: { subject: "control", rule: showing("cso"), probe: post((c) => `/controls/${c.id}`, (c) => ({ form: { intent: "request", fromOrganisationId: c.logId, description: "Access matrix probe" } })) },
  },
  "api.v1.controls.$id.evidence": {
    api: true,
    loader: { subject: "control", rule: read, probe: get((c) => `/api/v1/controls/${c.id}/evidence`) },
    action: { subject: "control", rule: owner(...EDIT), probe: post((c) => `/api/v1/controls/${c.id}/evidence`, () => ({ csv: "a,b\n1,2\n" })) },
  },
  "api.v1.controls.$id.evidence-requests": {
    api: true,
    loader: { subject: "none", rule: fixed(405), probe: get((c) => `/api/v1/controls/${c.id}/evidence-requests`) },
    action: { subject: "control", rule: showing("cso"), probe: post((c) => `/api/v1/controls/${c.id}/evidence-requests`, (c) => ({ json: { fromOrganisationId: c.logId, description: "Access matrix probe" } })) },
  },
  "api.v1.evidence.$id.file": { api: true, loader: { subject: "evidence", rule: read, probe: get((c) => `/api/v1/evidence/${c.id}/file`) } },
  "api.v1.evidence.$id.review": {
    api: true,
    loader: { subject: "none", rule: fixed(405), probe: get((c) => `/api/v1/evidence/${c.id}/review`) },
    action: { subject: "evidence", rule: owner("cso"), probe: post((c) => `/api/v1/evidence/${c.id}/review`, () => ({ json: { decision: "accept" } })) },
  },
};

export const ACCESS_TABLE: Record<string, RouteAccess> = {
  ...evidenceRoutes,
  // Pages
  $: { api: false, loader: { subject: "none", rule: fixed(404), probe: get(() => "/no/such/page") } },
  _index: { api: false, loader: { subject: "none", rule: signedIn, probe: get(() => "/") } },
  audit: { api: false, loader: { subject: "log", rule: readers(...AUDIT), probe: get((c) => `/audit?entityType=hazard_log&entityId=${c.id}`) } },
  "audit[.]csv": { api: false, loader: { subject: "log", rule: readers(...AUDIT), probe: get((c) => `/audit.csv?entityType=hazard_log&entityId=${c.id}`) } },
  "hazard-logs.$id": { api: false, loader: { subject: "log", rule: read, probe: get(logPath()) } },
  "hazard-logs.$id_.hazards.new": {
    api: false,
    loader: { subject: "log", rule: owner(...EDIT), probe: get(logPath("/hazards/new")) },
    action: { subject: "log", rule: owner(...EDIT), probe: post(logPath("/hazards/new"), NEW_HAZARD_FORM) },
  },
  // Reads no database: answers only the session that started the import; 404 otherwise.
  "hazard-logs.$id_.import.progress": { api: false, loader: { subject: "log", rule: fixed(404), probe: get((c) => `/hazard-logs/${c.id}/import/progress?preview=${c.logId}`) } },
  "hazard-logs.$id_.import": {
    api: false,
    // The page shows readers the log's import page with canImport false; importing needs the owner's CSO.
    loader: { subject: "log", rule: read, probe: get(logPath("/import")) },
    action: { subject: "log", rule: owner("cso"), probe: post(logPath("/import"), () => ({ csv: IMPORT_CSV })) },
  },
  // Posted by the page's script with the session cookie: the API's rules (401 signed out).
  "hazard-logs.$id_.import.upload": { api: true, action: { subject: "log", rule: owner("cso"), probe: post(logPath("/import/upload"), () => ({ csv: IMPORT_CSV })) } },
  "hazard-logs.$id_.issue": {
    api: false,
    loader: { subject: "log", rule: read, probe: get(logPath("/issue")) },
    action: { subject: "log", rule: owner("cso"), probe: post(logPath("/issue"), () => ({ form: { intent: "SUBMIT_FOR_REVIEW", expectedVersion: String(STALE) } })) },
  },
  "hazard-logs.$id_.safety-cases": {
    api: false,
    loader: { subject: "log", rule: read, probe: get(logPath("/safety-cases")) },
    action: { subject: "log", rule: owner("cso"), probe: post(logPath("/safety-cases"), (c) => ({ form: { title: `Access probe case ${c.n}` } })) },
  },
  "hazards.$id": {
    api: false,
    loader: { subject: "hazard", rule: read, probe: get(hazardPath()) },
    action: {
      subject: "hazard",
      rule: readers(...INCIDENT),
      probe: post(hazardPath(), () => ({ form: { intent: "record-incident", kind: "near_miss", occurredOn: "2025-01-15", description: "Access matrix probe" } })),
    },
  },
  "hazards.$id_.edit": {
    api: false,
    loader: { subject: "hazard", rule: owner(...EDIT), probe: get(hazardPath("/edit")) },
    action: { subject: "hazard", rule: owner(...EDIT), probe: post(hazardPath("/edit"), EDIT_HAZARD_FORM) },
  },
  healthz: { api: true, loader: { subject: "none", rule: fixed("ok"), probe: get(() => "/healthz") } },
  "organisations.$slug": {
    api: false,
    loader: { subject: "organisation", rule: read, probe: get((c) => `/organisations/${c.id}`) },
    action: {
      subject: "organisation",
      rule: owner("admin"),
      probe: post((c) => `/organisations/${c.id}`, (c) => ({ form: { intent: "add", name: `Probe ${c.n}`, email: `probe-${c.n}@access.example`, role: "viewer", temporaryPassword: "temporary-password-123" } })),
    },
  },
  "platforms.$id": { api: false, loader: { subject: "platform", rule: read, probe: get((c) => `/platforms/${c.id}`) } },
  "platforms.$id_.board": { api: false, loader: { subject: "platform", rule: read, probe: get((c) => `/platforms/${c.id}/board`) } },
  "platforms.$id_.transferred": { api: false, loader: { subject: "platform", rule: read, probe: get((c) => `/platforms/${c.id}/transferred`) } },
  "safety-cases.$id": {
    api: false,
    loader: { subject: "case", rule: read, probe: get((c) => `/safety-cases/${c.id}`) },
    action: { subject: "case", rule: owner("cso"), probe: post((c) => `/safety-cases/${c.id}`, () => ({ form: { intent: "SUBMIT", expectedVersion: String(STALE) } })) },
  },
  "settings.tokens": {
    api: false,
    loader: { subject: "none", rule: signedIn, probe: get(() => "/settings/tokens") },
    action: { subject: "none", rule: signedIn, probe: post(() => "/settings/tokens", (c) => ({ form: { name: `probe ${c.n}` } })) },
  },
  "sign-in": {
    api: false,
    loader: { subject: "none", rule: fixed("ok"), probe: get(() => "/sign-in") },
    action: { subject: "none", rule: fixed("any"), probe: post(() => "/sign-in", () => ({ form: { email: "nobody@access.example", password: "wrong", redirectTo: "/" } })) },
  },
  "sign-out": {
    api: false,
    loader: { subject: "none", rule: fixed("ok"), probe: get(() => "/sign-out") },
    action: { subject: "none", rule: fixed("signin"), probe: post(() => "/sign-out", () => ({ form: {} }), { freshSession: true }) },
  },
  "switch-organisation": {
    api: false,
    loader: { subject: "none", rule: fixed("ok"), probe: get(() => "/switch-organisation") },
    action: { subject: "none", rule: signedIn, probe: post(() => "/switch-organisation", (c) => ({ form: { organisationId: c.caller?.firstOrganisationId ?? c.logId } })) },
  },

  // JSON API
  "api.v1.$": {
    api: true,
    loader: { subject: "none", rule: fixed(404), probe: get(() => "/api/v1/no-such-endpoint") },
    action: { subject: "none", rule: fixed(404), probe: post(() => "/api/v1/no-such-endpoint", () => ({ json: {} })) },
  },
  "api.v1.audit.verify": { api: true, loader: { subject: "none", rule: ownRole(...AUDIT), probe: get(() => "/api/v1/audit/verify") } },
  "api.v1.hazard-logs.$id.export": { api: true, loader: { subject: "log", rule: read, probe: get((c) => `/api/v1/hazard-logs/${c.id}/export?format=csv`, { expensive: true }) } },
  "api.v1.hazard-logs.$id.hazards": {
    api: true,
    loader: { subject: "log", rule: read, probe: get((c) => `/api/v1/hazard-logs/${c.id}/hazards?limit=5`) },
    action: { subject: "log", rule: owner(...EDIT), probe: post((c) => `/api/v1/hazard-logs/${c.id}/hazards`, (c) => ({ json: { title: `API access probe ${c.n}` } })) },
  },
  "api.v1.hazard-logs.$id.import": {
    api: true,
    loader: { subject: "none", rule: fixed(405), probe: get((c) => `/api/v1/hazard-logs/${c.logId}/import`) },
    // A file that plans to create a row: the import itself writes; the table only needs the gate.
    action: { subject: "log", rule: owner("cso"), probe: post((c) => `/api/v1/hazard-logs/${c.id}/import`, () => ({ csv: "not,a,template\n" })) },
  },
  "api.v1.hazard-logs.$id.issue": {
    api: true,
    loader: { subject: "log", rule: read, probe: get((c) => `/api/v1/hazard-logs/${c.id}/issue`) },
    action: { subject: "log", rule: owner("cso"), probe: post((c) => `/api/v1/hazard-logs/${c.id}/issue`, () => ({ json: { type: "SUBMIT_FOR_REVIEW", expectedVersion: STALE } })) },
  },
  "api.v1.hazard-logs.$id.report[.]pdf": {
    api: true,
    loader: { subject: "log", rule: read, probe: get((c) => `/api/v1/hazard-logs/${c.id}/report.pdf`, { expensive: true }) },
    action: { subject: "none", rule: fixed(405), probe: post((c) => `/api/v1/hazard-logs/${c.logId}/report.pdf`) },
  },
  "api.v1.hazard-logs": { api: true, loader: { subject: "none", rule: signedIn, probe: get(() => "/api/v1/hazard-logs") } },
  "api.v1.hazards.$id.incidents": {
    api: true,
    loader: { subject: "hazard", rule: read, probe: get((c) => `/api/v1/hazards/${c.id}/incidents`) },
    action: {
      subject: "hazard",
      rule: readers(...INCIDENT),
      probe: post((c) => `/api/v1/hazards/${c.id}/incidents`, () => ({ json: { kind: "harm", occurredOn: "2025-02-01", description: "Access matrix probe" } })),
    },
  },
  "api.v1.hazards.$id": {
    api: true,
    loader: { subject: "hazard", rule: read, probe: get((c) => `/api/v1/hazards/${c.id}`) },
    action: { subject: "hazard", rule: owner(...EDIT), probe: { method: "PATCH", path: (c) => `/api/v1/hazards/${c.id}`, body: () => ({ json: { version: STALE, reason: "probe", title: "Stale" } }) } },
  },
  "api.v1.hazards.$id.upstream.accept": {
    api: true,
    loader: { subject: "none", rule: fixed(405), probe: get((c) => `/api/v1/hazards/${c.logId}/upstream/accept`) },
    action: { subject: "hazard", rule: owner("cso"), probe: post((c) => `/api/v1/hazards/${c.id}/upstream/accept`, () => ({ json: { version: 1 } })) },
  },
  "api.v1.me": { api: true, loader: { subject: "none", rule: signedIn, probe: get(() => "/api/v1/me") } },
  "api.v1.openapi[.]json": { api: true, loader: { subject: "none", rule: fixed("ok"), probe: get(() => "/api/v1/openapi.json") } },
  "api.v1.platforms.$id.board-report[.]pdf": {
    api: true,
    loader: { subject: "platform", rule: read, probe: get((c) => `/api/v1/platforms/${c.id}/board-report.pdf`, { expensive: true }) },
    action: { subject: "none", rule: fixed(405), probe: post((c) => `/api/v1/platforms/${c.logId}/board-report.pdf`) },
  },
  "api.v1.platforms.$id.rollup": {
    api: true,
    loader: { subject: "platform", rule: read, probe: get((c) => `/api/v1/platforms/${c.id}/rollup`) },
    action: { subject: "none", rule: fixed(405), probe: post((c) => `/api/v1/platforms/${c.logId}/rollup`) },
  },
  "api.v1.risk-matrix": { api: true, loader: { subject: "none", rule: signedIn, probe: get(() => "/api/v1/risk-matrix") } },
  "api.v1.safety-cases.$id.events": {
    api: true,
    loader: { subject: "none", rule: fixed(405), probe: get((c) => `/api/v1/safety-cases/${c.logId}/events`) },
    action: { subject: "case", rule: owner("cso"), probe: post((c) => `/api/v1/safety-cases/${c.id}/events`, () => ({ json: { type: "SUBMIT", expectedVersion: STALE } })) },
  },
  "api.v1.safety-cases.$id.report[.]pdf": {
    api: true,
    loader: { subject: "case", rule: read, probe: get((c) => `/api/v1/safety-cases/${c.id}/report.pdf`, { expensive: true }) },
    action: { subject: "none", rule: fixed(405), probe: post((c) => `/api/v1/safety-cases/${c.logId}/report.pdf`) },
  },
  "api.v1.safety-cases.$id": {
    api: true,
    loader: { subject: "case", rule: read, probe: get((c) => `/api/v1/safety-cases/${c.id}`) },
    action: { subject: "none", rule: fixed(405), probe: post((c) => `/api/v1/safety-cases/${c.logId}`) },
  },
  "api.v1.safety-cases": {
    api: true,
    loader: { subject: "none", rule: fixed(405), probe: get(() => "/api/v1/safety-cases") },
    action: { subject: "log", rule: owner("cso"), probe: post(() => "/api/v1/safety-cases", (c) => ({ json: { hazardLogId: c.id, title: `API access probe case ${c.n}` } })) },
  },
  "api.v1.tokens": {
    api: true,
    loader: { subject: "none", rule: fixed(405), probe: get(() => "/api/v1/tokens") },
    action: { subject: "none", rule: fixed("any"), probe: post(() => "/api/v1/tokens", () => ({ json: { email: "nobody@access.example", password: "wrong" } })) },
  },
};

// --------------------------------------------------------------------------------------------
// What a caller should get

/** The caller's relation to the subject, from the contract's reader lists (see matrix.test.ts). */
export type Relation = {
  signedIn: boolean;
  /** Some membership is in an organisation that may read the subject. */
  reads: boolean;
  /** Roles the caller holds in the subject's owner organisation. */
  ownerRoles: Role[];
  /** Roles the caller holds in organisations that may read the subject. */
  readerRoles: Role[];
  /** Roles the caller holds in organisations owning a log that shows the subject. */
  showingRoles: Role[];
  /** The role of the caller's first membership (bearer tokens act through it). */
  firstRole: Role | null;
};

export function expected(route: RouteAccess, access: MethodAccess, r: Relation): Expect {
  const { rule } = access;
  if (rule.kind === "fixed") return rule.status;
  if (!r.signedIn) return route.api ? 401 : "signin";
  switch (rule.kind) {
    case "signedIn":
      return "ok";
    case "ownRole":
      return r.firstRole && rule.roles.includes(r.firstRole) ? "ok" : 403;
    case "read":
      return r.reads ? "ok" : 404;
    case "owner":
      if (!r.reads) return 404;
      return r.ownerRoles.some((role) => rule.roles.includes(role)) ? "ok" : 403;
    case "readers":
      if (!r.reads) return 404;
      return r.readerRoles.some((role) => rule.roles.includes(role)) ? "ok" : 403;
    case "showing":
      if (!r.reads) return 404;
      return r.showingRoles.some((role) => rule.roles.includes(role)) ? "ok" : 403;
  }
}

/** The status class an answer falls in, for comparison with `expected`. */
export function classify(response: Response, write: boolean): Expect | number {
  const s = response.status;
  if (s >= 300 && s < 400) return (response.headers.get("Location") ?? "").startsWith("/sign-in") ? "signin" : "ok";
  if (s >= 200 && s < 300) return "ok";
  if (write && [400, 409, 422].includes(s)) return "ok";
  if ([401, 403, 404, 405].includes(s)) return s as Expect;
  return s;
}
