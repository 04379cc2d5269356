CREATE INDEX "reservations_tenant_created_idx" ON "reservations" USING btree ("tenant_id","created_at","channel","service_id","proxy_note");--> statement-breakpoint
CREATE INDEX "reservations_tenant_slot_status_idx" ON "reservations" USING btree ("tenant_id","slot_id","status","dose","service_id","ticket_holder_id");--> statement-breakpoint
CREATE INDEX "reservations_tenant_holder_dose_idx" ON "reservations" USING btree ("tenant_id","ticket_holder_id","service_id","status","dose");--> statement-breakpoint
CREATE INDEX "reservations_tenant_cancelled_idx" ON "reservations" USING btree ("tenant_id","cancelled_at") WHERE "reservations"."status" = 'cancelled';--> statement-breakpoint
CREATE INDEX "line_friends_tenant_followed_idx" ON "line_friends" USING btree ("tenant_id","followed_at");--> statement-breakpoint
CREATE INDEX "line_friends_tenant_blocked_idx" ON "line_friends" USING btree ("tenant_id","blocked_at");