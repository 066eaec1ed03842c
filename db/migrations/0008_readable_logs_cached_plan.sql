-- cswf_readable_log_ids() as PL/pgSQL, with the same query (0005). A LANGUAGE sql function with a
-- SET clause is neither inlined nor keeps its plan: PostgreSQL planned its query on every call,
-- about 1.3 ms, and every tenant query of a request calls it once (issue 9). PL/pgSQL keeps the
-- plan for the session. tests/integration/db/row-level-security.test.ts keeps it equal to
-- readerOrganisationIds (app/domain/permissions.ts) for every demo account.
CREATE OR REPLACE FUNCTION cswf_readable_log_ids() RETURNS uuid[]
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
  RETURN (
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
  );
END
$$;
