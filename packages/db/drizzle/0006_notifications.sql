CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dedupe_key" text NOT NULL,
	"kind" text NOT NULL,
	"booking_uid" text,
	"recipient" text NOT NULL,
	"offset_ms" bigint,
	"start_time" timestamp with time zone,
	"due_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"sent_at" timestamp with time zone,
	"message_id" text,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notifications_dedupeKey_unique" UNIQUE("dedupe_key"),
	CONSTRAINT "notifications_kind_check" CHECK ("notifications"."kind" in ('reminder', 'agenda', 'alert', 'resolved')),
	CONSTRAINT "notifications_status_check" CHECK ("notifications"."status" in ('scheduled', 'sending', 'sent', 'failed', 'cancelled'))
);
--> statement-breakpoint
CREATE INDEX "notifications_pending_idx" ON "notifications" USING btree ("next_attempt_at") WHERE "notifications"."status" in ('scheduled', 'sending');--> statement-breakpoint
CREATE INDEX "notifications_booking_uid_idx" ON "notifications" USING btree ("booking_uid");--> statement-breakpoint
CREATE INDEX "notifications_kind_created_at_idx" ON "notifications" USING btree ("kind","created_at");--> statement-breakpoint
-- Attendee addresses and the owner's alerts: closed to Supabase's roles like every calsync table.
SELECT calsync_protect_table('notifications');
