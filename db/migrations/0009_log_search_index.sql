-- Free-text search of a log of own hazards as an index scan (issue 9): trigrams of the lower-cased
-- search_text of own (not inherited) rows, with the log id in the same GIN index (btree_gin), so
-- "this log and these words" narrows 5,000 hazards to the candidates instead of matching every
-- row's text. Both extensions ship with PostgreSQL (contrib) and are trusted: the database owner
-- may create them. PGlite loads them because db/client.ts's newPglite names them.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS btree_gin;--> statement-breakpoint
CREATE INDEX "hazards_log_search_idx" ON "hazards" USING gin ("hazard_log_id","search_text" gin_trgm_ops) WHERE "hazards"."upstream_hazard_id" is null;
--> statement-breakpoint
-- The index above cannot serve the app role's queries directly: under row-level security a
-- condition whose operator is not LEAKPROOF (LIKE's is not) is evaluated only after the policy's,
-- so PostgreSQL scans every row of the log and matches its text. This function runs the search as
-- the owner (SECURITY DEFINER, no policy in the way: the index is used) and answers the ids of the
-- matching own hazards of one log (a log with no upstream log holds nothing else), and only of a
-- log the caller may read (the hazards policy's rule, 0005; the service, with no caller, reads any). The app's query still runs under the policy, so
-- it can show no row the caller could not read anyway. EXECUTE plans each search with its own
-- pattern (a cached generic plan could not see that the words are selective).
CREATE OR REPLACE FUNCTION cswf_log_search(p_log uuid, p_pattern text) RETURNS uuid[]
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  found uuid[];
BEGIN
  IF cswf_caller_orgs() IS NOT NULL AND NOT (p_log = ANY (cswf_readable_log_ids())) THEN
    RETURN '{}';
  END IF;
  EXECUTE 'select coalesce(array_agg(id), ''{}'') from hazards where hazard_log_id = $1 and upstream_hazard_id is null and search_text like $2'
    INTO found USING p_log, p_pattern;
  RETURN found;
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION cswf_log_search(uuid, text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION cswf_log_search(uuid, text) TO cswf_app;
