-- The log page's heatmaps and owner filter as index-only scans (issue 9).
CREATE INDEX "hazards_log_heatmap_idx" ON "hazards" USING btree ("hazard_log_id","initial_likelihood","initial_severity","residual_likelihood","residual_severity","deprecated_at");--> statement-breakpoint
CREATE INDEX "hazards_log_owner_idx" ON "hazards" USING btree ("hazard_log_id","owner");
