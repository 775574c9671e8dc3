CREATE TABLE "cal_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"booking_uid" text,
	"cal_event_type_id" text,
	"subject" jsonb NOT NULL,
	"changed" jsonb NOT NULL
);
--> statement-breakpoint
CREATE INDEX "cal_changes_occurred_at_idx" ON "cal_changes" USING btree ("occurred_at");--> statement-breakpoint
CREATE INDEX "cal_changes_booking_uid_idx" ON "cal_changes" USING btree ("booking_uid","id");--> statement-breakpoint
-- Timestamps in a Change read the same whatever the session's TimeZone: ISO 8601 in UTC with milliseconds.
CREATE OR REPLACE FUNCTION calsync_iso(ts timestamptz) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;
--> statement-breakpoint
-- The booking as a Change shows it (CONTRACT's keys, then the no-show and reschedule facts a user also notices).
CREATE OR REPLACE FUNCTION calsync_booking_subject(b cal_bookings) RETURNS jsonb
  LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT jsonb_build_object(
  'uid', b.cal_uid, 'cal_booking_id', b.cal_booking_id, 'status', b.status, 'title', b.title,
  'start_time', calsync_iso(b.start_time), 'end_time', calsync_iso(b.end_time),
  'attendee_name', b.attendee_name, 'attendee_email', b.attendee_email, 'attendee_timezone', b.attendee_timezone,
  'event_type_id', b.event_type_id, 'event_type_slug', b.event_type_slug,
  'meeting_url', b.meeting_url, 'location', b.location,
  'rescheduled_to_uid', b.rescheduled_to_uid,
  'no_show_host', coalesce(b.no_show_host, false),
  'absent_attendees', coalesce((
    SELECT jsonb_agg(lower(a->>'email') ORDER BY lower(a->>'email'))
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(b.no_show_attendees) = 'array' THEN b.no_show_attendees END) a
    WHERE (a->>'noShow')::boolean), '[]'::jsonb)) $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION calsync_event_type_subject(e cal_event_types) RETURNS jsonb
  LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT jsonb_build_object(
  'id', e.cal_event_type_id, 'slug', e.slug, 'title', e.title, 'length', e.length, 'price', e.price,
  'currency', e.currency, 'hidden', e.hidden, 'active', e.active, 'deleted', e.deleted_at IS NOT NULL) $$;
--> statement-breakpoint
-- `{field: {from, to}}` for every key whose value differs.
CREATE OR REPLACE FUNCTION calsync_changed_fields(before jsonb, after jsonb) RETURNS jsonb
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT coalesce(jsonb_object_agg(n.key, jsonb_build_object('from', o.value, 'to', n.value)), '{}'::jsonb)
  FROM jsonb_each(after) n JOIN jsonb_each(before) o USING (key)
  WHERE o.value IS DISTINCT FROM n.value $$;
--> statement-breakpoint
-- Appends one Change and wakes the listeners. It runs at commit (the triggers are deferred) under one transaction-level
-- lock, so ids are handed out in commit order and become visible in that order: a reader that saw id n never finds a
-- newer id below n later, and resuming "after n" loses nothing. The lock is held only from this point to the commit.
-- SECURITY DEFINER: writers without INSERT on cal_changes (an admin by JWT editing event types) still append.
CREATE OR REPLACE FUNCTION calsync_append_change(change_type text, booking_uid text, cal_event_type_id text,
  subject jsonb, changed jsonb) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public
AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(727002);
  INSERT INTO cal_changes (type, booking_uid, cal_event_type_id, subject, changed)
    VALUES (change_type, booking_uid, cal_event_type_id, subject, changed);
  -- One payload per transaction (PostgreSQL folds identical notifications): a sync of 500 rows wakes a listener once,
  -- and listeners read the table by id anyway.
  PERFORM pg_notify('calsync_changes', '');
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION calsync_append_change(text, text, text, jsonb, jsonb) FROM PUBLIC;
--> statement-breakpoint
-- A status word decides the type; else moved times are a reschedule; else a new absence is a no-show; else an update.
CREATE OR REPLACE FUNCTION calsync_booking_change() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public
AS $$
DECLARE
  subject jsonb := calsync_booking_subject(NEW);
  changed jsonb := '{}'::jsonb;
  change_type text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    change_type := 'booking.created';
  ELSE
    changed := calsync_changed_fields(calsync_booking_subject(OLD), subject);
    IF changed = '{}'::jsonb THEN RETURN NULL; END IF;
    IF changed ? 'status' THEN
      change_type := CASE NEW.status
        WHEN 'cancelled' THEN 'booking.cancelled' WHEN 'rejected' THEN 'booking.rejected'
        WHEN 'rescheduled' THEN 'booking.rescheduled' WHEN 'completed' THEN 'booking.completed' END;
    END IF;
    IF change_type IS NULL AND (changed ? 'start_time' OR changed ? 'end_time') THEN
      change_type := 'booking.rescheduled';
    END IF;
    IF change_type IS NULL AND ((changed ? 'no_show_host' AND (subject->>'no_show_host')::boolean)
        OR (changed ? 'absent_attendees'
          AND NOT (changed->'absent_attendees'->'from') @> (changed->'absent_attendees'->'to'))) THEN
      change_type := 'booking.no_show';
    END IF;
    change_type := coalesce(change_type, 'booking.updated');
  END IF;
  PERFORM calsync_append_change(change_type, NEW.cal_uid, NULL, subject, changed);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION calsync_event_type_change() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public
AS $$
DECLARE
  subject jsonb := calsync_event_type_subject(NEW);
  changed jsonb := '{}'::jsonb;
  change_type text := 'event_type.created';
BEGIN
  IF TG_OP = 'UPDATE' THEN
    changed := calsync_changed_fields(calsync_event_type_subject(OLD), subject);
    IF changed = '{}'::jsonb THEN RETURN NULL; END IF;
    change_type := CASE
      WHEN (changed ? 'active' AND NOT NEW.active) OR (changed ? 'deleted' AND NEW.deleted_at IS NOT NULL)
        THEN 'event_type.deactivated'
      ELSE 'event_type.updated' END;
  END IF;
  PERFORM calsync_append_change(change_type, NULL, NEW.cal_event_type_id, subject, changed);
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Deferred to commit (see calsync_append_change). The WHEN clauses keep the hot path cheap: a write that touches no
-- user-visible column (a clock moved, metadata refreshed, a duplicate delivery) queues no trigger at all.
CREATE CONSTRAINT TRIGGER cal_bookings_change_created AFTER INSERT ON cal_bookings
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION calsync_booking_change();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER cal_bookings_change_updated AFTER UPDATE ON cal_bookings
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN ((OLD.status, OLD.title, OLD.start_time, OLD.end_time, OLD.attendee_name, OLD.attendee_email,
      OLD.attendee_timezone, OLD.event_type_id, OLD.event_type_slug, OLD.meeting_url, OLD.location, OLD.cal_booking_id,
      OLD.rescheduled_to_uid, OLD.no_show_host, OLD.no_show_attendees)
    IS DISTINCT FROM (NEW.status, NEW.title, NEW.start_time, NEW.end_time, NEW.attendee_name, NEW.attendee_email,
      NEW.attendee_timezone, NEW.event_type_id, NEW.event_type_slug, NEW.meeting_url, NEW.location, NEW.cal_booking_id,
      NEW.rescheduled_to_uid, NEW.no_show_host, NEW.no_show_attendees))
  EXECUTE FUNCTION calsync_booking_change();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER cal_event_types_change_created AFTER INSERT ON cal_event_types
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION calsync_event_type_change();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER cal_event_types_change_updated AFTER UPDATE ON cal_event_types
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN ((OLD.slug, OLD.title, OLD.length, OLD.price, OLD.currency, OLD.hidden, OLD.active, OLD.deleted_at IS NULL)
    IS DISTINCT FROM (NEW.slug, NEW.title, NEW.length, NEW.price, NEW.currency, NEW.hidden, NEW.active,
      NEW.deleted_at IS NULL))
  EXECUTE FUNCTION calsync_event_type_change();
--> statement-breakpoint
-- Retention: the worker's housekeeping calls this daily with CHANGES_RETENTION. Returns how many rows went.
CREATE OR REPLACE FUNCTION calsync_prune_changes(older_than interval) RETURNS bigint
  LANGUAGE sql
AS $$ WITH gone AS (DELETE FROM cal_changes WHERE occurred_at < now() - older_than RETURNING 1)
  SELECT count(*) FROM gone $$;
--> statement-breakpoint
SELECT calsync_protect_table('cal_changes');
