CREATE TABLE "cal_booking_attendees" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"booking_uid" text NOT NULL,
	"email" text NOT NULL,
	"name" text,
	"time_zone" text,
	"locale" text,
	"phone_number" text,
	"seat_uid" text,
	"absent" boolean,
	"position" integer NOT NULL,
	"left_at" timestamp with time zone,
	"info_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cal_sync_skipped_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_id" uuid NOT NULL,
	"item_key" text,
	"raw" jsonb,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cal_webhook_events" DROP CONSTRAINT "cal_webhook_events_status_check";--> statement-breakpoint
ALTER TABLE "cal_bookings" ADD COLUMN "cal_status" text;--> statement-breakpoint
ALTER TABLE "cal_bookings" ADD COLUMN "recurring_booking_uid" text;--> statement-breakpoint
ALTER TABLE "cal_bookings" ADD COLUMN "seats_per_time_slot" integer;--> statement-breakpoint
ALTER TABLE "cal_event_types" ADD COLUMN "team_id" text;--> statement-breakpoint
ALTER TABLE "cal_event_types" ADD COLUMN "scheduling_type" text;--> statement-breakpoint
ALTER TABLE "cal_sync_runs" ADD COLUMN "items_skipped" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cal_webhook_events" ADD COLUMN "body_encoding" text DEFAULT 'utf8' NOT NULL;--> statement-breakpoint
ALTER TABLE "cal_booking_attendees" ADD CONSTRAINT "cal_booking_attendees_booking_uid_cal_bookings_cal_uid_fk" FOREIGN KEY ("booking_uid") REFERENCES "public"."cal_bookings"("cal_uid") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cal_sync_skipped_items" ADD CONSTRAINT "cal_sync_skipped_items_run_id_cal_sync_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."cal_sync_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "cal_booking_attendees_booking_email_idx" ON "cal_booking_attendees" USING btree ("booking_uid",lower("email"));--> statement-breakpoint
CREATE INDEX "cal_booking_attendees_email_idx" ON "cal_booking_attendees" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "cal_sync_skipped_items_run_id_idx" ON "cal_sync_skipped_items" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "cal_sync_skipped_items_created_at_idx" ON "cal_sync_skipped_items" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "cal_bookings_recurring_booking_uid_idx" ON "cal_bookings" USING btree ("recurring_booking_uid");--> statement-breakpoint
ALTER TABLE "cal_webhook_events" ADD CONSTRAINT "cal_webhook_events_body_encoding_check" CHECK ("cal_webhook_events"."body_encoding" in ('utf8', 'base64'));--> statement-breakpoint
ALTER TABLE "cal_webhook_events" ADD CONSTRAINT "cal_webhook_events_status_check" CHECK ("cal_webhook_events"."status" in ('received', 'processed', 'ignored', 'unrecognized', 'failed'));--> statement-breakpoint
CREATE TRIGGER cal_booking_attendees_touch_updated_at BEFORE UPDATE ON cal_booking_attendees
  FOR EACH ROW EXECUTE FUNCTION calsync_touch_updated_at();
--> statement-breakpoint
ALTER TABLE cal_booking_attendees ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE cal_sync_skipped_items ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
-- Bookings mirrored before attendees had a table of their own: the one attendee they knew becomes its first row.
INSERT INTO cal_booking_attendees (booking_uid, email, name, time_zone, position, info_at)
  SELECT cal_uid, attendee_email, attendee_name, attendee_timezone, 0, source_updated_at
  FROM cal_bookings WHERE attendee_email IS NOT NULL
  ON CONFLICT DO NOTHING;
