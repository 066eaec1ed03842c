-- Row-level security on the tenant tables: the second line behind app/domain/permissions.ts.
-- The policies are declared with drizzle in db/schema (helpers in db/schema/rls.ts); the role, the
-- two functions they call and the grants are written by hand here (drizzle-kit does not generate them).

-- The app's role (db/client.ts switches to it after migrating): owns nothing, cannot log in, cannot
-- bypass row-level security. Roles are cluster-wide, so another database of the same cluster (a
-- test template, a restored copy) may have created it already.
DO $$
BEGIN
  CREATE ROLE cswf_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
EXCEPTION WHEN duplicate_object THEN NULL;
END
$$;
--> statement-breakpoint
-- The caller's organisations, from the transaction-local setting db/client.ts makes for a signed-in
-- request (a uuid[] literal; '{}' is nobody). NULL when unset: the service (migrations, seed, start-up,
-- CLI scripts, explicit transactions), which the policies let see every row.
CREATE OR REPLACE FUNCTION cswf_caller_orgs() RETURNS uuid[]
LANGUAGE sql STABLE
AS $$ select nullif(current_setting('cswf.caller_orgs', true), '')::uuid[] $$;
--> statement-breakpoint
-- The hazard logs the caller may read: readerOrganisationIds of app/domain/permissions.ts, in SQL
-- (tests/integration/db/row-level-security.test.ts keeps them equal). A log is read by its owner;
-- the supplier's platform log also by the ICB and every deploying trust; the ICB's shared log also by
-- the supplier and the trusts; a trust's local log also by the ICB.
-- SECURITY DEFINER (runs as the migrating owner, which row-level security does not restrict) so it
-- reads hazard_logs without recursing into hazard_logs' own policy; search_path fixed against
-- hijacking. Policies call it as `(select cswf_readable_log_ids())`: once per query, not per row.
CREATE OR REPLACE FUNCTION cswf_readable_log_ids() RETURNS uuid[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  with caller as (select cswf_caller_orgs() as orgs)
  select coalesce(array_agg(l.id), '{}')
  from hazard_logs l
  join platforms p on p.id = l.platform_id
  cross join caller c
  where l.organisation_id = any (c.orgs)
     or (l.scope = 'platform' and (p.icb_organisation_id = any (c.orgs)
           or exists (select 1 from deployments d where d.platform_id = l.platform_id and d.organisation_id = any (c.orgs))))
     or (l.scope = 'shared' and (p.supplier_organisation_id = any (c.orgs)
           or exists (select 1 from deployments d where d.platform_id = l.platform_id and d.organisation_id = any (c.orgs))))
     or (l.scope = 'local' and p.icb_organisation_id = any (c.orgs))
$$;
--> statement-breakpoint
ALTER TABLE "controls" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "hazard_controls" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "hazard_logs" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "hazard_versions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "hazards" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "audit_entries" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "incidents" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "baselines" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "log_issues" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "safety_cases" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "signatures" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "import_previews" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "evidence" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "evidence_requests" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "controls_tenant" ON "controls" AS PERMISSIVE FOR ALL TO "cswf_app" USING ((select cswf_caller_orgs()) is null or "controls"."hazard_log_id" = any ((select cswf_readable_log_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "hazard_controls_tenant" ON "hazard_controls" AS PERMISSIVE FOR ALL TO "cswf_app" USING ((select cswf_caller_orgs()) is null or exists (select 1 from hazards v where v.id = "hazard_controls"."hazard_id"));--> statement-breakpoint
CREATE POLICY "hazard_logs_tenant" ON "hazard_logs" AS PERMISSIVE FOR ALL TO "cswf_app" USING ((select cswf_caller_orgs()) is null or "hazard_logs"."id" = any ((select cswf_readable_log_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "hazard_versions_tenant" ON "hazard_versions" AS PERMISSIVE FOR ALL TO "cswf_app" USING ((select cswf_caller_orgs()) is null or exists (select 1 from hazards v where v.id = "hazard_versions"."hazard_id"));--> statement-breakpoint
CREATE POLICY "hazards_tenant" ON "hazards" AS PERMISSIVE FOR ALL TO "cswf_app" USING ((select cswf_caller_orgs()) is null or "hazards"."hazard_log_id" = any ((select cswf_readable_log_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "audit_entries_tenant" ON "audit_entries" AS PERMISSIVE FOR ALL TO "cswf_app" USING ((select cswf_caller_orgs()) is null or ("audit_entries"."organisation_id" = any ((select cswf_caller_orgs())::uuid[])
        or ("audit_entries"."entity_type" = 'hazard_log' and "audit_entries"."entity_id" = any ((select cswf_readable_log_ids())::text[]))
        or ("audit_entries"."entity_type" = 'hazard' and "audit_entries"."entity_id" in (select id::text from hazards))
        or ("audit_entries"."entity_type" = 'safety_case' and "audit_entries"."entity_id" in (select id::text from safety_cases))));--> statement-breakpoint
CREATE POLICY "incidents_tenant" ON "incidents" AS PERMISSIVE FOR ALL TO "cswf_app" USING ((select cswf_caller_orgs()) is null or (exists (select 1 from hazards v where v.id = "incidents"."hazard_id") or "incidents"."organisation_id" = any ((select cswf_caller_orgs())::uuid[])));--> statement-breakpoint
CREATE POLICY "baselines_tenant" ON "baselines" AS PERMISSIVE FOR ALL TO "cswf_app" USING ((select cswf_caller_orgs()) is null or "baselines"."hazard_log_id" = any ((select cswf_readable_log_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "log_issues_tenant" ON "log_issues" AS PERMISSIVE FOR ALL TO "cswf_app" USING ((select cswf_caller_orgs()) is null or "log_issues"."hazard_log_id" = any ((select cswf_readable_log_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "safety_cases_tenant" ON "safety_cases" AS PERMISSIVE FOR ALL TO "cswf_app" USING ((select cswf_caller_orgs()) is null or "safety_cases"."hazard_log_id" = any ((select cswf_readable_log_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "signatures_tenant" ON "signatures" AS PERMISSIVE FOR ALL TO "cswf_app" USING ((select cswf_caller_orgs()) is null or exists (select 1 from safety_cases v where v.id = "signatures"."safety_case_id"));--> statement-breakpoint
CREATE POLICY "import_previews_tenant" ON "import_previews" AS PERMISSIVE FOR ALL TO "cswf_app" USING ((select cswf_caller_orgs()) is null or "import_previews"."hazard_log_id" = any ((select cswf_readable_log_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "evidence_tenant" ON "evidence" AS PERMISSIVE FOR ALL TO "cswf_app" USING ((select cswf_caller_orgs()) is null or (exists (select 1 from controls v where v.id = "evidence"."control_id") or "evidence"."organisation_id" = any ((select cswf_caller_orgs())::uuid[])));--> statement-breakpoint
CREATE POLICY "evidence_requests_tenant" ON "evidence_requests" AS PERMISSIVE FOR ALL TO "cswf_app" USING ((select cswf_caller_orgs()) is null or (exists (select 1 from controls v where v.id = "evidence_requests"."control_id") or "evidence_requests"."requested_by_organisation_id" = any ((select cswf_caller_orgs())::uuid[]) or "evidence_requests"."from_organisation_id" = any ((select cswf_caller_orgs())::uuid[])));
--> statement-breakpoint
-- What the app role may do: read and write rows (the policies above decide which tenant rows; the
-- triggers of 0002 and 0003 still refuse changes to audit entries, baselines, signatures and
-- evidence), use sequences, call the functions. No TRUNCATE, no DDL, nothing in the drizzle schema.
GRANT USAGE ON SCHEMA public TO cswf_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO cswf_app;
--> statement-breakpoint
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO cswf_app;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION cswf_caller_orgs(), cswf_readable_log_ids() TO cswf_app;
--> statement-breakpoint
-- Tables and sequences later migrations create (as the same owner) get the same grants.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO cswf_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO cswf_app;
