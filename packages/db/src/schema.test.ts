import { useTestEnv } from '@calsync/test-support';
import { describe, expect, it } from 'vitest';

const env = useTestEnv();

// The original design's columns with their types (packages/db/src/adopt/original-tables.ts lists them too).
const seedColumns: Record<string, Record<string, string>> = {
  cal_bookings: {
    id: 'uuid',
    cal_booking_id: 'text',
    cal_uid: 'text',
    event_type_id: 'text',
    event_type_slug: 'text',
    title: 'text',
    start_time: 'timestamp with time zone',
    end_time: 'timestamp with time zone',
    attendee_name: 'text',
    attendee_email: 'text',
    attendee_timezone: 'text',
    status: 'text',
    meeting_url: 'text',
    location: 'text',
    metadata: 'jsonb',
    created_at: 'timestamp with time zone',
    updated_at: 'timestamp with time zone',
  },
  cal_event_types: {
    id: 'uuid',
    cal_event_type_id: 'text',
    slug: 'text',
    title: 'text',
    description: 'text',
    length: 'integer',
    price: 'integer',
    currency: 'text',
    active: 'boolean',
    metadata: 'jsonb',
    last_synced_at: 'timestamp with time zone',
    created_at: 'timestamp with time zone',
  },
};

describe('schema', () => {
  for (const [table, columns] of Object.entries(seedColumns)) {
    it(`${table} has every original column with its original type`, async () => {
      const rows = await env.sql<{ column_name: string; data_type: string }[]>`
        select column_name, data_type from information_schema.columns
        where table_schema = 'public' and table_name = ${table}`;
      const actual = Object.fromEntries(rows.map((r) => [r.column_name, r.data_type]));
      for (const [column, type] of Object.entries(columns)) {
        expect(actual[column], `${table}.${column}`).toBe(type);
      }
    });
  }

  it('cal_bookings.id and cal_event_types.id are primary keys', async () => {
    const rows = await env.sql<{ table_name: string; column_name: string }[]>`
      select tc.table_name, kcu.column_name from information_schema.table_constraints tc
      join information_schema.key_column_usage kcu using (constraint_schema, constraint_name)
      where tc.constraint_type = 'PRIMARY KEY' and tc.table_name in ('cal_bookings', 'cal_event_types')
      order by tc.table_name`;
    expect(rows).toEqual([
      { table_name: 'cal_bookings', column_name: 'id' },
      { table_name: 'cal_event_types', column_name: 'id' },
    ]);
  });

  it('has the webhook event and sync run tables', async () => {
    const rows = await env.sql<{ table_name: string }[]>`
      select table_name from information_schema.tables where table_schema = 'public' order by table_name`;
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['cal_bookings', 'cal_event_types', 'cal_sync_runs', 'cal_webhook_events']),
    );
  });
});

describe('constraints', () => {
  it('accepts each of the six statuses and rejects any other', async () => {
    for (const status of ['scheduled', 'pending', 'cancelled', 'rejected', 'rescheduled', 'completed']) {
      await env.sql`insert into cal_bookings (cal_uid, status) values (${`uid-${status}`}, ${status})`;
    }
    await expect(
      env.sql`insert into cal_bookings (cal_uid, status) values ('uid-bad', 'ACCEPTED')`,
    ).rejects.toMatchObject({
      code: '23514',
      constraint_name: 'cal_bookings_status_check',
    });
  });

  it('keeps cal_uid, cal_booking_id and cal_event_type_id unique', async () => {
    await env.sql`insert into cal_bookings (cal_uid, cal_booking_id) values ('uid-unique', '1001')`;
    await expect(env.sql`insert into cal_bookings (cal_uid) values ('uid-unique')`).rejects.toMatchObject({
      code: '23505',
    });
    await expect(
      env.sql`insert into cal_bookings (cal_uid, cal_booking_id) values ('uid-other', '1001')`,
    ).rejects.toMatchObject({ code: '23505' });
    await env.sql`insert into cal_event_types (cal_event_type_id) values ('77')`;
    await expect(env.sql`insert into cal_event_types (cal_event_type_id) values ('77')`).rejects.toMatchObject({
      code: '23505',
    });
  });

  it('keeps updated_at current on update', async () => {
    // Drizzle leaves timestamps as strings on the shared postgres.js client.
    const [created] = await env.sql<{ updated_at: string }[]>`
      insert into cal_bookings (cal_uid, updated_at) values ('uid-touch', now() - interval '1 day') returning updated_at`;
    const [updated] = await env.sql<{ updated_at: string }[]>`
      update cal_bookings set title = 'changed' where cal_uid = 'uid-touch' returning updated_at`;
    expect(Date.parse(updated!.updated_at)).toBeGreaterThan(Date.parse(created!.updated_at) + 3_600_000);
  });

  it('allows one queued or running sync run per kind', async () => {
    await env.sql`insert into cal_sync_runs (kind, trigger, status) values ('reconcile', 'manual', 'queued')`;
    await expect(
      env.sql`insert into cal_sync_runs (kind, trigger, status) values ('reconcile', 'manual', 'running')`,
    ).rejects.toMatchObject({ code: '23505' });
    await env.sql`insert into cal_sync_runs (kind, trigger, status) values ('reconcile', 'manual', 'succeeded')`;
  });
});
