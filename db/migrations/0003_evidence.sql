CREATE TABLE "evidence" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"control_id" uuid NOT NULL,
	"request_id" uuid,
	"organisation_id" uuid NOT NULL,
	"uploaded_by_user_id" uuid NOT NULL,
	"filename" text NOT NULL,
	"media_type" text NOT NULL,
	"size" bigint NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"description" text NOT NULL,
	"link" text,
	"state" text DEFAULT 'submitted' NOT NULL,
	"reviewed_by_user_id" uuid,
	"reviewed_by_organisation_id" uuid,
	"reviewed_at" timestamp with time zone,
	"rejection_reason" text,
	"integrity_failed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evidence_state_check" CHECK ("evidence"."state" in ('submitted','accepted','rejected')),
	CONSTRAINT "evidence_sha256_check" CHECK ("evidence"."sha256" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "evidence_rejection_reason_check" CHECK ("evidence"."state" <> 'rejected' or "evidence"."rejection_reason" is not null)
);
--> statement-breakpoint
CREATE TABLE "evidence_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"control_id" uuid NOT NULL,
	"requested_by_organisation_id" uuid NOT NULL,
	"requested_by_user_id" uuid NOT NULL,
	"from_organisation_id" uuid NOT NULL,
	"description" text NOT NULL,
	"due_date" date,
	"state" text DEFAULT 'open' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evidence_requests_state_check" CHECK ("evidence_requests"."state" in ('open','fulfilled'))
);
--> statement-breakpoint
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_control_id_controls_id_fk" FOREIGN KEY ("control_id") REFERENCES "public"."controls"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_request_id_evidence_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."evidence_requests"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_uploaded_by_user_id_users_id_fk" FOREIGN KEY ("uploaded_by_user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_reviewed_by_user_id_users_id_fk" FOREIGN KEY ("reviewed_by_user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_reviewed_by_organisation_id_organisations_id_fk" FOREIGN KEY ("reviewed_by_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_requests" ADD CONSTRAINT "evidence_requests_control_id_controls_id_fk" FOREIGN KEY ("control_id") REFERENCES "public"."controls"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_requests" ADD CONSTRAINT "evidence_requests_requested_by_organisation_id_organisations_id_fk" FOREIGN KEY ("requested_by_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_requests" ADD CONSTRAINT "evidence_requests_requested_by_user_id_users_id_fk" FOREIGN KEY ("requested_by_user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_requests" ADD CONSTRAINT "evidence_requests_from_organisation_id_organisations_id_fk" FOREIGN KEY ("from_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "evidence_control_idx" ON "evidence" USING btree ("control_id");--> statement-breakpoint
CREATE INDEX "evidence_request_idx" ON "evidence" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "evidence_requests_control_idx" ON "evidence_requests" USING btree ("control_id");--> statement-breakpoint
CREATE INDEX "evidence_requests_from_state_idx" ON "evidence_requests" USING btree ("from_organisation_id","state");--> statement-breakpoint
-- Hand-added after generation: evidence history is never deleted (function from 0002).
CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence FOR EACH ROW EXECUTE FUNCTION reject_change_of_read_only_row();--> statement-breakpoint
CREATE TRIGGER evidence_requests_no_delete BEFORE DELETE ON evidence_requests FOR EACH ROW EXECUTE FUNCTION reject_change_of_read_only_row();
