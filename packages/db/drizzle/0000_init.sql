CREATE TABLE "cal_bookings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"cal_booking_id" text,
	"cal_uid" text NOT NULL,
	"event_type_id" text,
	"event_type_slug" text,
	"title" text,
	"start_time" timestamp with time zone,
	"end_time" timestamp with time zone,
	"attendee_name" text,
	"attendee_email" text,
	"attendee_timezone" text,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"meeting_url" text,
	"location" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"source_updated_at" timestamp with time zone,
	"source" text,
	"organizer_timezone" text,
	"rescheduled_from_uid" text,
	"rescheduled_to_uid" text,
	"cancellation_reason" text,
	"rejection_reason" text,
	"payment" jsonb,
	"paid" boolean DEFAULT false NOT NULL,
	"no_show_attendees" jsonb,
	"no_show_host" boolean,
	"no_show_updated_at" timestamp with time zone,
	"meeting_started_at" timestamp with time zone,
	"meeting_ended_at" timestamp with time zone,
	CONSTRAINT "cal_bookings_calBookingId_unique" UNIQUE("cal_booking_id"),
	CONSTRAINT "cal_bookings_calUid_unique" UNIQUE("cal_uid"),
	CONSTRAINT "cal_bookings_status_check" CHECK ("cal_bookings"."status" in ('scheduled', 'pending', 'cancelled', 'rejected', 'rescheduled', 'completed'))
);
--> statement-breakpoint
CREATE TABLE "cal_event_types" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"cal_event_type_id" text NOT NULL,
	"slug" text,
	"title" text,
	"description" text,
	"length" integer,
	"price" integer,
	"currency" text,
	"active" boolean DEFAULT true NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"last_synced_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"hidden" boolean DEFAULT false NOT NULL,
	"deleted_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cal_event_types_calEventTypeId_unique" UNIQUE("cal_event_type_id")
);
--> statement-breakpoint
CREATE TABLE "cal_sync_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"trigger" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"requests" integer DEFAULT 0 NOT NULL,
	"pages" integer DEFAULT 0 NOT NULL,
	"rows_created" integer DEFAULT 0 NOT NULL,
	"rows_updated" integer DEFAULT 0 NOT NULL,
	"rows_unchanged" integer DEFAULT 0 NOT NULL,
	"watermark" timestamp with time zone,
	"checkpoint" jsonb,
	"error" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cal_sync_runs_kind_check" CHECK ("cal_sync_runs"."kind" in ('bookings_sync', 'reconcile', 'event_types_sync', 'complete_past')),
	CONSTRAINT "cal_sync_runs_trigger_check" CHECK ("cal_sync_runs"."trigger" in ('schedule', 'manual')),
	CONSTRAINT "cal_sync_runs_status_check" CHECK ("cal_sync_runs"."status" in ('queued', 'running', 'succeeded', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "cal_webhook_events" (
	"id" text PRIMARY KEY NOT NULL,
	"trigger_event" text NOT NULL,
	"booking_uid" text,
	"sent_at" timestamp with time zone,
	"raw_body" text NOT NULL,
	"status" text DEFAULT 'received' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"error" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cal_webhook_events_status_check" CHECK ("cal_webhook_events"."status" in ('received', 'processed', 'ignored', 'failed'))
);
--> statement-breakpoint
CREATE INDEX "cal_bookings_start_time_id_idx" ON "cal_bookings" USING btree ("start_time","id");--> statement-breakpoint
CREATE INDEX "cal_bookings_status_start_time_idx" ON "cal_bookings" USING btree ("status","start_time");--> statement-breakpoint
CREATE INDEX "cal_bookings_attendee_email_idx" ON "cal_bookings" USING btree (lower("attendee_email"));--> statement-breakpoint
CREATE INDEX "cal_bookings_event_type_id_idx" ON "cal_bookings" USING btree ("event_type_id","start_time");--> statement-breakpoint
CREATE UNIQUE INDEX "cal_sync_runs_one_active_per_kind" ON "cal_sync_runs" USING btree ("kind") WHERE "cal_sync_runs"."status" in ('queued', 'running');--> statement-breakpoint
CREATE INDEX "cal_sync_runs_kind_finished_at_idx" ON "cal_sync_runs" USING btree ("kind","finished_at");--> statement-breakpoint
CREATE INDEX "cal_webhook_events_booking_uid_idx" ON "cal_webhook_events" USING btree ("booking_uid","received_at");--> statement-breakpoint
CREATE INDEX "cal_webhook_events_status_received_at_idx" ON "cal_webhook_events" USING btree ("status","received_at");--> statement-breakpoint
CREATE INDEX "cal_webhook_events_received_at_idx" ON "cal_webhook_events" USING btree ("received_at");