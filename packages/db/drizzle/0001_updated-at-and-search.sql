-- Keep updated_at current on every UPDATE, whoever writes the row (calsync, psql, another tool).
CREATE OR REPLACE FUNCTION calsync_touch_updated_at() RETURNS trigger AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER cal_bookings_touch_updated_at BEFORE UPDATE ON cal_bookings
  FOR EACH ROW EXECUTE FUNCTION calsync_touch_updated_at();
--> statement-breakpoint
CREATE TRIGGER cal_event_types_touch_updated_at BEFORE UPDATE ON cal_event_types
  FOR EACH ROW EXECUTE FUNCTION calsync_touch_updated_at();
--> statement-breakpoint
CREATE TRIGGER cal_webhook_events_touch_updated_at BEFORE UPDATE ON cal_webhook_events
  FOR EACH ROW EXECUTE FUNCTION calsync_touch_updated_at();
--> statement-breakpoint
CREATE TRIGGER cal_sync_runs_touch_updated_at BEFORE UPDATE ON cal_sync_runs
  FOR EACH ROW EXECUTE FUNCTION calsync_touch_updated_at();
--> statement-breakpoint
-- Case-insensitive substring search on attendee name and e-mail (the `q` filter) without a sequential scan.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE INDEX cal_bookings_attendee_search_idx ON cal_bookings
  USING gin ((coalesce(attendee_name, '') || ' ' || coalesce(attendee_email, '')) gin_trgm_ops);
