CREATE INDEX "hazards_roots_idx" ON "hazards" USING btree ("hazard_log_id","ref_number") WHERE "hazards"."upstream_hazard_id" is null;--> statement-breakpoint
CREATE INDEX "hazards_deprecated_idx" ON "hazards" USING btree ("hazard_log_id") WHERE "hazards"."deprecated_at" is not null;
