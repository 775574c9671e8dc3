-- Row-level security for a database that Supabase also serves (PostgREST under the roles anon, authenticated and
-- service_role). Supabase's default privileges grant ALL on every new table in `public` to those three roles, so
-- before this migration anon could read raw webhook bodies (attendee PII) and update or delete them.
--
-- After it, on any PostgreSQL:
--   * every calsync table has RLS enabled (not FORCEd: calsync's own connection owns the tables, unrestricted);
--   * cal_event_types_public shows the public columns of active event types, never metadata;
--   * calsync_is_admin() is true when the request's JWT claims hold app_metadata.role = 'admin';
--   * calsync_admin reads every table (0002 granted it webhook events and sync runs; with RLS it needs policies).
-- Where the Supabase roles exist:
--   * anon reads cal_event_types_public and nothing else;
--   * authenticated reads cal_event_types_public; with the admin claim it also reads every table and manages
--     event types, as calsync_admin does;
--   * service_role has full access (Supabase gives it BYPASSRLS; the grants and policies say so explicitly).
-- Every statement can run again without harm. Nothing here creates a role: the Supabase roles' presence is what
-- says the database is Supabase's.

-- Supabase puts auth.jwt() in front of the claims; PostgREST alone sets only request.jwt.claims. The function looks
-- for auth.jwt() when called, so it also works when the auth schema arrives after this migration. Policies call it as
-- `(SELECT public.calsync_is_admin())`: PostgreSQL then evaluates it once per statement, not once per row.
CREATE OR REPLACE FUNCTION public.calsync_is_admin() RETURNS boolean
  LANGUAGE plpgsql STABLE
  SET search_path = ''
AS $$
DECLARE
  claims jsonb;
BEGIN
  IF pg_catalog.to_regprocedure('auth.jwt()') IS NOT NULL THEN
    EXECUTE 'SELECT auth.jwt()::jsonb' INTO claims;
  ELSE
    claims := nullif(pg_catalog.current_setting('request.jwt.claims', true), '')::jsonb;
  END IF;
  RETURN coalesce(claims -> 'app_metadata' ->> 'role' = 'admin', false);
END $$;
--> statement-breakpoint
COMMENT ON FUNCTION public.calsync_is_admin() IS
  'calsync: true when the JWT claims (auth.jwt(), else request.jwt.claims) hold app_metadata.role = admin';
--> statement-breakpoint
-- What every calsync table gets; a migration that adds a table calls it: SELECT calsync_protect_table('cal_new').
-- Supabase's default grants include TRUNCATE, which RLS does not check: anon and authenticated lose everything first.
CREATE OR REPLACE FUNCTION public.calsync_protect_table(target regclass) RETURNS void
  LANGUAGE plpgsql
  SET search_path = public
AS $$
DECLARE
  admin_read text := pg_catalog.format('%s_jwt_admin_read', target::text);
  service_all text := pg_catalog.format('%s_service_role_all', target::text);
  calsync_admin_read text := pg_catalog.format('%s_admin_read', target::text);
BEGIN
  EXECUTE pg_catalog.format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'calsync_admin') THEN
    EXECUTE pg_catalog.format('GRANT SELECT ON %s TO calsync_admin', target);
    EXECUTE pg_catalog.format('DROP POLICY IF EXISTS %I ON %s', calsync_admin_read, target);
    EXECUTE pg_catalog.format('CREATE POLICY %I ON %s FOR SELECT TO calsync_admin USING (true)',
      calsync_admin_read, target);
  END IF;
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'anon') THEN
    EXECUTE pg_catalog.format('REVOKE ALL ON %s FROM anon', target);
  END IF;
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'authenticated') THEN
    EXECUTE pg_catalog.format('REVOKE ALL ON %s FROM authenticated', target);
    EXECUTE pg_catalog.format('GRANT SELECT ON %s TO authenticated', target);
    EXECUTE pg_catalog.format('DROP POLICY IF EXISTS %I ON %s', admin_read, target);
    EXECUTE pg_catalog.format(
      'CREATE POLICY %I ON %s FOR SELECT TO authenticated USING ((SELECT public.calsync_is_admin()))',
      admin_read, target);
  END IF;
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'service_role') THEN
    EXECUTE pg_catalog.format('GRANT ALL ON %s TO service_role', target);
    EXECUTE pg_catalog.format('DROP POLICY IF EXISTS %I ON %s', service_all, target);
    EXECUTE pg_catalog.format('CREATE POLICY %I ON %s FOR ALL TO service_role USING (true) WITH CHECK (true)',
      service_all, target);
  END IF;
END $$;
--> statement-breakpoint
-- Only the migrating user (the tables' owner) may run it; Supabase's defaults would let anon call it otherwise.
REVOKE ALL ON FUNCTION public.calsync_protect_table(regclass) FROM PUBLIC;
--> statement-breakpoint
DO $$
DECLARE
  role_name text;
BEGIN
  FOREACH role_name IN ARRAY ARRAY['anon', 'authenticated', 'service_role'] LOOP
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
      EXECUTE format('REVOKE ALL ON FUNCTION public.calsync_protect_table(regclass) FROM %I', role_name);
    END IF;
  END LOOP;
END $$;
--> statement-breakpoint
SELECT calsync_protect_table('cal_bookings');
--> statement-breakpoint
SELECT calsync_protect_table('cal_event_types');
--> statement-breakpoint
SELECT calsync_protect_table('cal_webhook_events');
--> statement-breakpoint
SELECT calsync_protect_table('cal_sync_runs');
--> statement-breakpoint
SELECT calsync_protect_table('cal_booking_attendees');
--> statement-breakpoint
SELECT calsync_protect_table('cal_sync_skipped_items');
--> statement-breakpoint
-- An admin by JWT manages event types, as calsync_admin does.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated') THEN
    GRANT INSERT, UPDATE, DELETE ON cal_event_types TO authenticated;
    DROP POLICY IF EXISTS cal_event_types_jwt_admin_all ON cal_event_types;
    CREATE POLICY cal_event_types_jwt_admin_all ON cal_event_types FOR ALL TO authenticated
      USING ((SELECT public.calsync_is_admin())) WITH CHECK ((SELECT public.calsync_is_admin()));
  END IF;
END $$;
--> statement-breakpoint
-- security_invoker off: the view reads cal_event_types as its owner, past RLS, so its column list and WHERE clause
-- are the whole of what the public sees. Only SELECT is granted on it: a simple view is updatable otherwise.
CREATE OR REPLACE VIEW cal_event_types_public WITH (security_invoker = false) AS
  SELECT id, cal_event_type_id, slug, title, description, length, price, currency
  FROM cal_event_types
  WHERE active AND NOT hidden AND deleted_at IS NULL;
--> statement-breakpoint
DO $$
DECLARE
  role_name text;
BEGIN
  FOREACH role_name IN ARRAY ARRAY['anon', 'authenticated', 'service_role', 'calsync_public'] LOOP
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
      EXECUTE format('REVOKE ALL ON cal_event_types_public FROM %I', role_name);
      EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', role_name);
      EXECUTE format('GRANT SELECT ON cal_event_types_public TO %I', role_name);
    END IF;
  END LOOP;
END $$;
