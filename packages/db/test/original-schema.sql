-- The original design's schema: the tables the Supabase edge functions (cal-webhook, cal-bookings, cal-event-types)
-- wrote, as a Supabase project that ran them holds them: its own row-level security policies, Supabase's default
-- grants to anon/authenticated/service_role, and no calsync migration journal. Test fixture only.

-- What Supabase provides: its API roles and auth.jwt() (the request's JWT claims).
DO $$
DECLARE
  role_name text;
BEGIN
  FOREACH role_name IN ARRAY ARRAY['anon', 'authenticated', 'service_role'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
      BEGIN
        EXECUTE format('CREATE ROLE %I NOLOGIN', role_name);
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL; -- another test file created it at the same moment
      END;
    END IF;
  END LOOP;
END $$;

CREATE SCHEMA IF NOT EXISTS auth;
CREATE OR REPLACE FUNCTION auth.jwt() RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT coalesce(nullif(current_setting('request.jwt.claims', true), ''), '{}')::jsonb
$$;
GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role;

CREATE TABLE public.cal_bookings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  cal_booking_id text UNIQUE,
  cal_uid text,
  event_type_id text,
  event_type_slug text,
  title text,
  start_time timestamptz,
  end_time timestamptz,
  attendee_name text,
  attendee_email text,
  attendee_timezone text,
  status text,
  meeting_url text,
  location text,
  metadata jsonb DEFAULT '{}'::jsonb,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now()
);
CREATE INDEX cal_bookings_start_time_idx ON public.cal_bookings (start_time);
CREATE INDEX cal_bookings_status_idx ON public.cal_bookings (status);

CREATE TABLE public.cal_event_types (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  cal_event_type_id text UNIQUE,
  slug text,
  title text,
  description text,
  length integer,
  price integer,
  currency text,
  active boolean DEFAULT true,
  metadata jsonb DEFAULT '{}'::jsonb,
  last_synced_at timestamptz,
  created_at timestamptz DEFAULT now()
);

ALTER TABLE public.cal_bookings ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.cal_event_types ENABLE ROW LEVEL SECURITY;

CREATE POLICY "admins can read bookings" ON public.cal_bookings FOR SELECT TO authenticated
  USING ((auth.jwt() -> 'app_metadata' ->> 'role') = 'admin');
CREATE POLICY "service role manages bookings" ON public.cal_bookings FOR ALL TO service_role
  USING (true) WITH CHECK (true);
CREATE POLICY "public can read active event types" ON public.cal_event_types FOR SELECT TO anon, authenticated
  USING (active = true);

-- Supabase's default privileges on tables created in public.
GRANT ALL ON public.cal_bookings, public.cal_event_types TO anon, authenticated, service_role;
