-- cswf_readable_log_ids() with the same rule (0005, 0008) in a cheaper shape (issue 9). Every tenant
-- query of a request calls it once; the earlier form ran its two "the caller deploys this platform"
-- tests as a scan of deployments for each platform or shared log, about 0.45 ms a call at ICB size
-- (94 logs, 74 deployments). Here the caller's organisations are read once and the platforms they
-- deploy are listed once (a hashed subplan): about 0.06 ms. Still one statement, so one snapshot.
-- tests/integration/db/row-level-security.test.ts keeps it equal to readerOrganisationIds
-- (app/domain/permissions.ts) for every demo account.
CREATE OR REPLACE FUNCTION cswf_readable_log_ids() RETURNS uuid[]
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  orgs uuid[] := cswf_caller_orgs();
BEGIN
  RETURN (
    with deployed as (select d.platform_id from deployments d where d.organisation_id = any (orgs))
    select coalesce(array_agg(l.id), '{}')
    from hazard_logs l
    join platforms p on p.id = l.platform_id
    where l.organisation_id = any (orgs)
       or (l.scope = 'platform' and (p.icb_organisation_id = any (orgs) or l.platform_id in (select platform_id from deployed)))
       or (l.scope = 'shared' and (p.supplier_organisation_id = any (orgs) or l.platform_id in (select platform_id from deployed)))
       or (l.scope = 'local' and p.icb_organisation_id = any (orgs))
  );
END
$$;
