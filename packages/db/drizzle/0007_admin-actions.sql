CREATE TABLE "cal_admin_actions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"action" text NOT NULL,
	"target" text NOT NULL,
	"actor" text NOT NULL,
	"request" jsonb NOT NULL,
	"idempotency_key" text NOT NULL,
	"outcome" text NOT NULL,
	"cal_status" integer,
	"cal_error_code" text,
	"cal_answer" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cal_admin_actions_action_check" CHECK ("cal_admin_actions"."action" in ('confirm', 'decline', 'cancel', 'mark-absent', 'update-event-type')),
	CONSTRAINT "cal_admin_actions_outcome_check" CHECK ("cal_admin_actions"."outcome" in ('accepted', 'refused', 'failed'))
);
--> statement-breakpoint
CREATE INDEX "cal_admin_actions_target_idx" ON "cal_admin_actions" USING btree ("target","created_at");--> statement-breakpoint
CREATE INDEX "cal_admin_actions_created_at_idx" ON "cal_admin_actions" USING btree ("created_at");--> statement-breakpoint
SELECT calsync_protect_table('cal_admin_actions');
