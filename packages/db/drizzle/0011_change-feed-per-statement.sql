CREATE UNLOGGED TABLE "cal_changes_pending" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"booking_uid" text,
	"cal_event_type_id" text,
	"subject" jsonb NOT NULL,
	"changed" jsonb NOT NULL
);
--> statement-breakpoint
CREATE UNLOGGED TABLE "cal_changes_flushes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"from_seq" bigint NOT NULL
);
--> statement-breakpoint
DROP TRIGGER cal_bookings_change_created ON cal_bookings;--> statement-breakpoint
DROP TRIGGER cal_bookings_change_updated ON cal_bookings;--> statement-breakpoint
DROP TRIGGER cal_event_types_change_created ON cal_event_types;--> statement-breakpoint
DROP TRIGGER cal_event_types_change_updated ON cal_event_types;--> statement-breakpoint
DROP FUNCTION calsync_booking_change();--> statement-breakpoint
DROP FUNCTION calsync_event_type_change();--> statement-breakpoint
DROP FUNCTION calsync_append_change(text, text, text, jsonb, jsonb);--> statement-breakpoint
-- STABLE, as its body is (to_char): PostgreSQL inlines it then, instead of running it as a query per call.
CREATE OR REPLACE FUNCTION calsync_iso(ts timestamptz) RETURNS text
  LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;
--> statement-breakpoint
-- The booking as a Change shows it (as migration 0005 defined it). Written without a sub-select so PostgreSQL inlines
-- it into the triggers' set-based queries instead of calling it once per row.
CREATE OR REPLACE FUNCTION calsync_absent_emails(no_show_attendees jsonb) RETURNS jsonb
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT coalesce((
    SELECT jsonb_agg(lower(a->>'email') ORDER BY lower(a->>'email'))
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(no_show_attendees) = 'array' THEN no_show_attendees END) a
    WHERE (a->>'noShow')::boolean), '[]'::jsonb) $$;
--> statement-breakpoint
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
  'absent_attendees', CASE WHEN b.no_show_attendees IS NULL THEN '[]'::jsonb
    ELSE calsync_absent_emails(b.no_show_attendees) END) $$;
--> statement-breakpoint
-- `{field: {from, to}}` for every key whose value differs (one pass over the keys).
CREATE OR REPLACE FUNCTION calsync_changed_fields(before jsonb, after jsonb) RETURNS jsonb
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT coalesce(jsonb_object_agg(n.key, jsonb_build_object('from', before->n.key, 'to', n.value)), '{}'::jsonb)
  FROM jsonb_each(after) n
  WHERE before ? n.key AND before->n.key IS DISTINCT FROM n.value $$;
--> statement-breakpoint
-- A booking change's type: a status word decides; else moved times are a reschedule; else a new absence is a no-show;
-- else an update.
CREATE OR REPLACE FUNCTION calsync_booking_change_type(changed jsonb, status text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT coalesce(
  CASE WHEN changed ? 'status' THEN CASE status
    WHEN 'cancelled' THEN 'booking.cancelled' WHEN 'rejected' THEN 'booking.rejected'
    WHEN 'rescheduled' THEN 'booking.rescheduled' WHEN 'completed' THEN 'booking.completed' END END,
  CASE WHEN changed ? 'start_time' OR changed ? 'end_time' THEN 'booking.rescheduled' END,
  CASE WHEN (changed ? 'no_show_host' AND (changed->'no_show_host'->>'to')::boolean)
      OR (changed ? 'absent_attendees'
        AND NOT (changed->'absent_attendees'->'from') @> (changed->'absent_attendees'->'to'))
    THEN 'booking.no_show' END,
  'booking.updated') $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION calsync_event_type_change_type(changed jsonb, active boolean, deleted boolean) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CASE WHEN (changed ? 'active' AND NOT active) OR (changed ? 'deleted' AND deleted)
  THEN 'event_type.deactivated' ELSE 'event_type.updated' END $$;
--> statement-breakpoint
-- Changes are made per statement, set-based, into cal_changes_pending, and moved into cal_changes at commit under
-- one lock by calsync_flush_changes: ids are handed out in commit order and become visible in that order, so a reader
-- that saw id n never finds a newer id below n later, and resuming "after n" loses nothing.
-- A transaction's first pending rows queue its one deferred flush: calsync_queue_flush, a trigger on the pending
-- table, adds a row to cal_changes_flushes naming the first pending seq (so the flush reads its rows by key range and
-- never scans) and sets the transaction-local `calsync.changes_flush_queued` (a rolled-back savepoint undoes both).
-- Both tables are UNLOGGED: their rows never outlive their transaction, and a crash aborts that transaction anyway.
CREATE OR REPLACE FUNCTION calsync_queue_flush() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public
AS $$
DECLARE
  first_seq bigint;
BEGIN
  IF coalesce(current_setting('calsync.changes_flush_queued', true), '') = 'on' THEN RETURN NULL; END IF;
  SELECT min(seq) INTO first_seq FROM added;
  IF first_seq IS NULL THEN RETURN NULL; END IF;
  PERFORM set_config('calsync.changes_flush_queued', 'on', true);
  INSERT INTO cal_changes_flushes (from_seq) VALUES (first_seq);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER cal_changes_pending_queue_flush AFTER INSERT ON cal_changes_pending
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION calsync_queue_flush();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION calsync_flush_changes() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public
AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(727002);
  -- Every pending row from NEW.from_seq on that this transaction can see is its own: others' are uncommitted, and
  -- every transaction empties its own before it commits.
  INSERT INTO cal_changes (type, booking_uid, cal_event_type_id, subject, changed)
    SELECT type, booking_uid, cal_event_type_id, subject, changed FROM cal_changes_pending
    WHERE seq >= NEW.from_seq ORDER BY seq;
  DELETE FROM cal_changes_pending WHERE seq >= NEW.from_seq;
  DELETE FROM cal_changes_flushes WHERE id = NEW.id;
  PERFORM set_config('calsync.changes_flush_queued', '', true);
  -- One payload per transaction: listeners read the table by id.
  PERFORM pg_notify('calsync_changes', '');
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER cal_changes_flush_at_commit AFTER INSERT ON cal_changes_flushes
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION calsync_flush_changes();
--> statement-breakpoint
-- SECURITY DEFINER: writers without INSERT on the feed's tables (an admin by JWT editing event types) still append.
CREATE OR REPLACE FUNCTION calsync_booking_inserts_to_changes() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public
AS $$
BEGIN
  INSERT INTO cal_changes_pending (type, booking_uid, subject, changed)
    SELECT 'booking.created', n.cal_uid, calsync_booking_subject(n), '{}'::jsonb FROM inserted n;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Only rows whose user-visible columns moved are compared; a write that touches none of them (a clock moved, metadata
-- refreshed, a duplicate delivery) costs one join and appends nothing.
CREATE OR REPLACE FUNCTION calsync_booking_updates_to_changes() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public
AS $$
BEGIN
  -- Each CTE is MATERIALIZED so every subject and every diff is computed once per row.
  WITH pairs AS MATERIALIZED (
    SELECT n.cal_uid, n.status, calsync_booking_subject(o) AS before, calsync_booking_subject(n) AS after
    FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE (o.status, o.title, o.start_time, o.end_time, o.attendee_name, o.attendee_email, o.attendee_timezone,
        o.event_type_id, o.event_type_slug, o.meeting_url, o.location, o.cal_booking_id, o.rescheduled_to_uid,
        o.no_show_host, o.no_show_attendees)
      IS DISTINCT FROM (n.status, n.title, n.start_time, n.end_time, n.attendee_name, n.attendee_email,
        n.attendee_timezone, n.event_type_id, n.event_type_slug, n.meeting_url, n.location, n.cal_booking_id,
        n.rescheduled_to_uid, n.no_show_host, n.no_show_attendees)),
  diffs AS MATERIALIZED (
    SELECT cal_uid, status, after AS subject, calsync_changed_fields(before, after) AS changed FROM pairs)
  INSERT INTO cal_changes_pending (type, booking_uid, subject, changed)
    SELECT calsync_booking_change_type(changed, status), cal_uid, subject, changed FROM diffs
    WHERE changed <> '{}'::jsonb;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION calsync_event_type_inserts_to_changes() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public
AS $$
BEGIN
  INSERT INTO cal_changes_pending (type, cal_event_type_id, subject, changed)
    SELECT 'event_type.created', n.cal_event_type_id, calsync_event_type_subject(n), '{}'::jsonb FROM inserted n;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION calsync_event_type_updates_to_changes() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public
AS $$
BEGIN
  WITH pairs AS MATERIALIZED (
    SELECT n.cal_event_type_id, n.active, n.deleted_at IS NOT NULL AS deleted,
      calsync_event_type_subject(o) AS before, calsync_event_type_subject(n) AS after
    FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE (o.slug, o.title, o.length, o.price, o.currency, o.hidden, o.active, o.deleted_at IS NULL)
      IS DISTINCT FROM (n.slug, n.title, n.length, n.price, n.currency, n.hidden, n.active, n.deleted_at IS NULL)),
  diffs AS MATERIALIZED (
    SELECT cal_event_type_id, active, deleted, after AS subject, calsync_changed_fields(before, after) AS changed
    FROM pairs)
  INSERT INTO cal_changes_pending (type, cal_event_type_id, subject, changed)
    SELECT calsync_event_type_change_type(changed, active, deleted), cal_event_type_id, subject, changed FROM diffs
    WHERE changed <> '{}'::jsonb;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER cal_bookings_changes_on_insert AFTER INSERT ON cal_bookings
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION calsync_booking_inserts_to_changes();
--> statement-breakpoint
CREATE TRIGGER cal_bookings_changes_on_update AFTER UPDATE ON cal_bookings
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION calsync_booking_updates_to_changes();
--> statement-breakpoint
CREATE TRIGGER cal_event_types_changes_on_insert AFTER INSERT ON cal_event_types
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION calsync_event_type_inserts_to_changes();
--> statement-breakpoint
CREATE TRIGGER cal_event_types_changes_on_update AFTER UPDATE ON cal_event_types
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION calsync_event_type_updates_to_changes();
--> statement-breakpoint
SELECT calsync_protect_table('cal_changes_pending');
--> statement-breakpoint
SELECT calsync_protect_table('cal_changes_flushes');
