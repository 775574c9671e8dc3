-- Row-level security as the seed had it, for owners who also expose this database to other tools (PostgREST, BI, …):
-- bookings readable by calsync_admin, writable by calsync_writer, invisible to calsync_public; event types fully
-- managed by calsync_admin, readable by calsync_public while active. calsync's own connection owns the tables, and
-- RLS is enabled but not FORCEd, so it does not apply to calsync itself.
--
-- Roles are cluster-wide: create them only if absent. A database user without CREATEROLE gets a notice naming the
-- missing role, and the rest still applies (RLS is enabled; grants and policies need their role to exist).
DO $$
DECLARE
  role_name text;
BEGIN
  FOREACH role_name IN ARRAY ARRAY['calsync_admin', 'calsync_writer', 'calsync_public'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
      BEGIN
        EXECUTE format('CREATE ROLE %I NOLOGIN', role_name);
      EXCEPTION WHEN insufficient_privilege THEN
        RAISE NOTICE 'calsync: database user "%" may not create role "%": row-level security is enabled, but its grants and policies are skipped. An administrator can run CREATE ROLE % NOLOGIN, then apply the grants and policies of migration 0002_rls.', current_user, role_name, role_name;
      END;
    END IF;
  END LOOP;
END $$;
--> statement-breakpoint
ALTER TABLE cal_bookings ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE cal_event_types ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'calsync_admin') THEN
    GRANT USAGE ON SCHEMA public TO calsync_admin;
    GRANT SELECT ON cal_bookings, cal_webhook_events, cal_sync_runs TO calsync_admin;
    GRANT SELECT, INSERT, UPDATE, DELETE ON cal_event_types TO calsync_admin;
    DROP POLICY IF EXISTS cal_bookings_admin_read ON cal_bookings;
    CREATE POLICY cal_bookings_admin_read ON cal_bookings FOR SELECT TO calsync_admin USING (true);
    DROP POLICY IF EXISTS cal_event_types_admin_all ON cal_event_types;
    CREATE POLICY cal_event_types_admin_all ON cal_event_types FOR ALL TO calsync_admin USING (true) WITH CHECK (true);
  END IF;
END $$;
--> statement-breakpoint
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'calsync_writer') THEN
    GRANT USAGE ON SCHEMA public TO calsync_writer;
    -- INSERT … ON CONFLICT DO UPDATE (an upsert) needs SELECT and UPDATE as well as INSERT.
    GRANT SELECT, INSERT, UPDATE ON cal_bookings TO calsync_writer;
    DROP POLICY IF EXISTS cal_bookings_writer_read ON cal_bookings;
    CREATE POLICY cal_bookings_writer_read ON cal_bookings FOR SELECT TO calsync_writer USING (true);
    DROP POLICY IF EXISTS cal_bookings_writer_insert ON cal_bookings;
    CREATE POLICY cal_bookings_writer_insert ON cal_bookings FOR INSERT TO calsync_writer WITH CHECK (true);
    DROP POLICY IF EXISTS cal_bookings_writer_update ON cal_bookings;
    CREATE POLICY cal_bookings_writer_update ON cal_bookings FOR UPDATE TO calsync_writer USING (true) WITH CHECK (true);
  END IF;
END $$;
--> statement-breakpoint
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'calsync_public') THEN
    GRANT USAGE ON SCHEMA public TO calsync_public;
    -- SELECT on bookings is granted but no policy lets a row through: the public reads zero rows, not an error.
    GRANT SELECT ON cal_event_types, cal_bookings TO calsync_public;
    DROP POLICY IF EXISTS cal_event_types_public_read ON cal_event_types;
    CREATE POLICY cal_event_types_public_read ON cal_event_types FOR SELECT TO calsync_public USING (active);
  END IF;
END $$;
