-- Audit entries, frozen baselines and signatures are evidence: once written they never change.
-- The database itself refuses UPDATE, DELETE and TRUNCATE, whatever the application does.
CREATE OR REPLACE FUNCTION reject_change_of_read_only_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is read-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = '2F004';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_entries_read_only BEFORE UPDATE OR DELETE ON audit_entries FOR EACH ROW EXECUTE FUNCTION reject_change_of_read_only_row();
--> statement-breakpoint
CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries FOR EACH STATEMENT EXECUTE FUNCTION reject_change_of_read_only_row();
--> statement-breakpoint
CREATE TRIGGER baselines_read_only BEFORE UPDATE OR DELETE ON baselines FOR EACH ROW EXECUTE FUNCTION reject_change_of_read_only_row();
--> statement-breakpoint
CREATE TRIGGER baselines_no_truncate BEFORE TRUNCATE ON baselines FOR EACH STATEMENT EXECUTE FUNCTION reject_change_of_read_only_row();
--> statement-breakpoint
CREATE TRIGGER signatures_read_only BEFORE UPDATE OR DELETE ON signatures FOR EACH ROW EXECUTE FUNCTION reject_change_of_read_only_row();
--> statement-breakpoint
CREATE TRIGGER signatures_no_truncate BEFORE TRUNCATE ON signatures FOR EACH STATEMENT EXECUTE FUNCTION reject_change_of_read_only_row();
