CREATE TABLE "memberships" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"role" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "memberships_role_check" CHECK ("memberships"."role" in ('cso','contributor','approver','viewer','admin'))
);
--> statement-breakpoint
CREATE TABLE "organisations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"kind" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organisations_kind_check" CHECK ("organisations"."kind" in ('icb','supplier','deployer'))
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"password_hash" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "api_tokens_token_hash_key" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"active_organisation_id" uuid
);
--> statement-breakpoint
CREATE TABLE "sign_in_throttle" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"window_started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "deployments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"platform_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "platforms" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"supplier_organisation_id" uuid NOT NULL,
	"icb_organisation_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "risk_schemes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"version" integer NOT NULL,
	"severities" jsonb NOT NULL,
	"likelihoods" jsonb NOT NULL,
	"matrix" jsonb NOT NULL,
	"acceptability" jsonb NOT NULL,
	"labels" jsonb NOT NULL,
	"colours" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "controls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"hazard_log_id" uuid NOT NULL,
	"type" text NOT NULL,
	"description" text NOT NULL,
	"owner_organisation_id" uuid NOT NULL,
	"state" text DEFAULT 'planned' NOT NULL,
	"evidence_refs" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"transferred" boolean DEFAULT false NOT NULL,
	"transferred_from_control_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "controls_type_check" CHECK ("controls"."type" in ('design','test','training','business_process')),
	CONSTRAINT "controls_state_check" CHECK ("controls"."state" in ('planned','implemented','verified'))
);
--> statement-breakpoint
CREATE TABLE "hazard_controls" (
	"hazard_id" uuid NOT NULL,
	"control_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "hazard_controls_pkey" PRIMARY KEY("hazard_id","control_id"),
	CONSTRAINT "hazard_controls_kind_check" CHECK ("hazard_controls"."kind" in ('existing','additional'))
);
--> statement-breakpoint
CREATE TABLE "hazard_logs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"standard" text NOT NULL,
	"scope" text NOT NULL,
	"organisation_id" uuid NOT NULL,
	"platform_id" uuid NOT NULL,
	"deployment_id" uuid,
	"risk_scheme_id" uuid NOT NULL,
	"upstream_log_id" uuid,
	"next_ref_number" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "hazard_logs_standard_check" CHECK ("hazard_logs"."standard" in ('DCB0129','DCB0160')),
	CONSTRAINT "hazard_logs_scope_check" CHECK ("hazard_logs"."scope" in ('platform','shared','local'))
);
--> statement-breakpoint
CREATE TABLE "hazard_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"hazard_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"snapshot" jsonb NOT NULL,
	"changes" jsonb NOT NULL,
	"reason" text,
	"user_id" uuid,
	"organisation_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hazards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"hazard_log_id" uuid NOT NULL,
	"ref_number" integer NOT NULL,
	"ref" text NOT NULL,
	"title" text,
	"description" text,
	"causes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"effect" text,
	"hazard" text,
	"harm" text,
	"hazard_type" text,
	"source" text,
	"owner" text,
	"review_due" date,
	"initial_severity" text,
	"initial_likelihood" text,
	"initial_risk" integer,
	"initial_justification" text,
	"residual_severity" text,
	"residual_likelihood" text,
	"residual_risk" integer,
	"residual_justification" text,
	"risk_benefit_justification" text,
	"risk_scheme_id" uuid,
	"risk_scheme_version" integer,
	"status" text DEFAULT 'open' NOT NULL,
	"deprecated_at" timestamp with time zone,
	"deprecated_reason" text,
	"upstream_hazard_id" uuid,
	"upstream_accepted_version" integer,
	"search_text" text DEFAULT '' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "hazards_status_check" CHECK ("hazards"."status" in ('open','transferred','closed')),
	CONSTRAINT "hazards_initial_risk_check" CHECK ("hazards"."initial_risk" between 1 and 5),
	CONSTRAINT "hazards_residual_risk_check" CHECK ("hazards"."residual_risk" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "audit_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"sequence" bigint NOT NULL,
	"previous_hash" text NOT NULL,
	"hash" text NOT NULL,
	"entry" jsonb NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_heads" (
	"organisation_id" uuid PRIMARY KEY NOT NULL,
	"sequence" bigint NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"hazard_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"occurred_on" date NOT NULL,
	"description" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "incidents_kind_check" CHECK ("incidents"."kind" in ('near_miss','harm'))
);
--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_platform_id_platforms_id_fk" FOREIGN KEY ("platform_id") REFERENCES "public"."platforms"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "platforms" ADD CONSTRAINT "platforms_supplier_organisation_id_organisations_id_fk" FOREIGN KEY ("supplier_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "platforms" ADD CONSTRAINT "platforms_icb_organisation_id_organisations_id_fk" FOREIGN KEY ("icb_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "controls" ADD CONSTRAINT "controls_hazard_log_id_hazard_logs_id_fk" FOREIGN KEY ("hazard_log_id") REFERENCES "public"."hazard_logs"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "controls" ADD CONSTRAINT "controls_owner_organisation_id_organisations_id_fk" FOREIGN KEY ("owner_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hazard_controls" ADD CONSTRAINT "hazard_controls_hazard_id_hazards_id_fk" FOREIGN KEY ("hazard_id") REFERENCES "public"."hazards"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hazard_controls" ADD CONSTRAINT "hazard_controls_control_id_controls_id_fk" FOREIGN KEY ("control_id") REFERENCES "public"."controls"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hazard_logs" ADD CONSTRAINT "hazard_logs_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hazard_logs" ADD CONSTRAINT "hazard_logs_platform_id_platforms_id_fk" FOREIGN KEY ("platform_id") REFERENCES "public"."platforms"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hazard_logs" ADD CONSTRAINT "hazard_logs_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hazard_logs" ADD CONSTRAINT "hazard_logs_risk_scheme_id_risk_schemes_id_fk" FOREIGN KEY ("risk_scheme_id") REFERENCES "public"."risk_schemes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hazard_versions" ADD CONSTRAINT "hazard_versions_hazard_id_hazards_id_fk" FOREIGN KEY ("hazard_id") REFERENCES "public"."hazards"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hazard_versions" ADD CONSTRAINT "hazard_versions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hazard_versions" ADD CONSTRAINT "hazard_versions_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hazards" ADD CONSTRAINT "hazards_hazard_log_id_hazard_logs_id_fk" FOREIGN KEY ("hazard_log_id") REFERENCES "public"."hazard_logs"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hazards" ADD CONSTRAINT "hazards_risk_scheme_id_risk_schemes_id_fk" FOREIGN KEY ("risk_scheme_id") REFERENCES "public"."risk_schemes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_entries" ADD CONSTRAINT "audit_entries_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_heads" ADD CONSTRAINT "audit_heads_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_hazard_id_hazards_id_fk" FOREIGN KEY ("hazard_id") REFERENCES "public"."hazards"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "memberships_user_organisation_key" ON "memberships" USING btree ("user_id","organisation_id");--> statement-breakpoint
CREATE INDEX "memberships_organisation_idx" ON "memberships" USING btree ("organisation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "organisations_slug_key" ON "organisations" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree ("email");--> statement-breakpoint
CREATE INDEX "api_tokens_user_idx" ON "api_tokens" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "deployments_platform_organisation_key" ON "deployments" USING btree ("platform_id","organisation_id");--> statement-breakpoint
CREATE INDEX "deployments_organisation_idx" ON "deployments" USING btree ("organisation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "risk_schemes_name_version_key" ON "risk_schemes" USING btree ("name","version");--> statement-breakpoint
CREATE INDEX "controls_log_idx" ON "controls" USING btree ("hazard_log_id");--> statement-breakpoint
CREATE INDEX "controls_transferred_from_idx" ON "controls" USING btree ("transferred_from_control_id");--> statement-breakpoint
CREATE INDEX "hazard_controls_control_idx" ON "hazard_controls" USING btree ("control_id");--> statement-breakpoint
CREATE INDEX "hazard_logs_organisation_idx" ON "hazard_logs" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "hazard_logs_platform_idx" ON "hazard_logs" USING btree ("platform_id");--> statement-breakpoint
CREATE UNIQUE INDEX "hazard_versions_hazard_version_key" ON "hazard_versions" USING btree ("hazard_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "hazards_log_ref_key" ON "hazards" USING btree ("hazard_log_id","ref_number");--> statement-breakpoint
CREATE INDEX "hazards_upstream_idx" ON "hazards" USING btree ("upstream_hazard_id");--> statement-breakpoint
CREATE INDEX "hazards_log_status_idx" ON "hazards" USING btree ("hazard_log_id","status");--> statement-breakpoint
CREATE INDEX "hazards_log_residual_idx" ON "hazards" USING btree ("hazard_log_id","residual_risk");--> statement-breakpoint
CREATE UNIQUE INDEX "audit_entries_organisation_sequence_key" ON "audit_entries" USING btree ("organisation_id","sequence");--> statement-breakpoint
CREATE INDEX "audit_entries_entity_idx" ON "audit_entries" USING btree ("entity_type","entity_id");--> statement-breakpoint
CREATE INDEX "incidents_hazard_idx" ON "incidents" USING btree ("hazard_id");