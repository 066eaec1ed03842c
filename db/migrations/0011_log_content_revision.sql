-- A revision for each hazard log's content (issue 9): the log page and the hazard list API keep their
-- reads for a log at one revision (app/log-reads.server.ts), so what they show must bump it on every
-- change. Triggers do it, so no write path (a service, an import, the seed, a script) can forget.
--
-- What a log's list shows: its hazards and those of the logs upstream of it, the controls linked to
-- any of those hazards, and each control's standing evidence. So a change of
--   a hazard                        bumps its log;
--   a hazard's link to a control    bumps the hazard's log;
--   a control, or its evidence      bumps the control's log and the log of every hazard linked to it.
-- The reader compares the revisions of the log and of every log upstream of it
-- (loadLogsWithFacts with contentKey, app/permissions.server.ts).
--
-- A revision is a time in microseconds, and a log's revision only rises (greatest of +1 and now):
-- one revision names one content even across databases cloned from one template, or restored from a
-- backup, in the same server process.
CREATE OR REPLACE FUNCTION cswf_revision_now() RETURNS bigint
LANGUAGE sql VOLATILE
AS $$ select (extract(epoch from clock_timestamp()) * 1000000)::bigint $$;
--> statement-breakpoint
ALTER TABLE "hazard_logs" ADD COLUMN "content_revision" bigint DEFAULT cswf_revision_now() NOT NULL;
--> statement-breakpoint
-- Bumping a log locks its row until the transaction ends, as raising a hazard always has (its ref
-- counter): edits of one log now wait for each other's commit. Locks are taken down the inheritance
-- chain (supplier's log, then the ICB's shared log, then trusts' logs; by id within each), the order
-- in which propagation (app/propagation.server.ts) already reaches them, so two transactions bumping
-- the same logs wait rather than deadlock.
-- SECURITY DEFINER: a change bumps logs the writer may not read (a supplier's control linked by a
-- trust's hazard).
CREATE OR REPLACE FUNCTION cswf_bump_log_revisions(log_ids uuid[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
  IF coalesce(array_length(log_ids, 1), 0) = 0 THEN RETURN; END IF;
  PERFORM 1 FROM hazard_logs WHERE id = any (log_ids)
    ORDER BY case scope when 'platform' then 0 when 'shared' then 1 else 2 end, id FOR UPDATE;
  UPDATE hazard_logs SET content_revision = greatest(content_revision + 1, cswf_revision_now()) WHERE id = any (log_ids);
END
$$;
--> statement-breakpoint
-- The logs showing these controls: their own, and those of the hazards linked to them. Joins, not
-- `= any (array)`: a statement can change tens of thousands of rows (an import, the estate generator).
CREATE OR REPLACE FUNCTION cswf_logs_showing_controls(control_ids uuid[]) RETURNS uuid[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  with changed as (select distinct unnest(control_ids) as id)
  select array(
    select c.hazard_log_id from controls c join changed on changed.id = c.id
    union
    select h.hazard_log_id from hazard_controls hc join changed on changed.id = hc.control_id join hazards h on h.id = hc.hazard_id)
$$;
--> statement-breakpoint
-- One function per table, fired once per statement with the changed rows (new_rows, old_rows: a
-- branch only reads the transition tables its operation has).
CREATE OR REPLACE FUNCTION cswf_hazards_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN PERFORM cswf_bump_log_revisions(array(select distinct hazard_log_id from new_rows));
  ELSIF TG_OP = 'UPDATE' THEN PERFORM cswf_bump_log_revisions(array(select hazard_log_id from new_rows union select hazard_log_id from old_rows));
  ELSE PERFORM cswf_bump_log_revisions(array(select distinct hazard_log_id from old_rows));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION cswf_hazard_controls_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM cswf_bump_log_revisions(array(select distinct h.hazard_log_id from hazards h join (select distinct hazard_id from new_rows) n on n.hazard_id = h.id));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM cswf_bump_log_revisions(array(select distinct h.hazard_log_id from hazards h join (select hazard_id from new_rows union select hazard_id from old_rows) n on n.hazard_id = h.id));
  ELSE
    PERFORM cswf_bump_log_revisions(array(select distinct h.hazard_log_id from hazards h join (select distinct hazard_id from old_rows) n on n.hazard_id = h.id));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION cswf_controls_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
  -- A new control is linked to no hazard yet (the links are inserted after it).
  IF TG_OP = 'INSERT' THEN PERFORM cswf_bump_log_revisions(array(select distinct hazard_log_id from new_rows));
  ELSIF TG_OP = 'UPDATE' THEN PERFORM cswf_bump_log_revisions(cswf_logs_showing_controls(array(select id from new_rows)) || array(select distinct hazard_log_id from old_rows));
  ELSE PERFORM cswf_bump_log_revisions(cswf_logs_showing_controls(array(select id from old_rows)) || array(select distinct hazard_log_id from old_rows));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION cswf_evidence_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN PERFORM cswf_bump_log_revisions(cswf_logs_showing_controls(array(select control_id from new_rows)));
  ELSIF TG_OP = 'UPDATE' THEN PERFORM cswf_bump_log_revisions(cswf_logs_showing_controls(array(select control_id from new_rows union select control_id from old_rows)));
  ELSE PERFORM cswf_bump_log_revisions(cswf_logs_showing_controls(array(select control_id from old_rows)));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Three triggers per table (a trigger with transition tables fires on one kind of change only):
-- <table>_revision_insert, _update and _delete, each calling cswf_<table>_changed().
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['hazards', 'hazard_controls', 'controls', 'evidence'] LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION %I()', t || '_revision_insert', t, 'cswf_' || t || '_changed');
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION %I()', t || '_revision_update', t, 'cswf_' || t || '_changed');
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION %I()', t || '_revision_delete', t, 'cswf_' || t || '_changed');
  END LOOP;
END
$$;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION cswf_revision_now() TO cswf_app;
