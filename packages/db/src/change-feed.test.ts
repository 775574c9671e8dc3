import { useTestEnv, waitUntil } from '@calsync/test-support';
import { describe, expect, it } from 'vitest';

const env = useTestEnv();

interface ChangeRow {
  id: string;
  type: string;
  booking_uid: string | null;
  cal_event_type_id: string | null;
  subject: Record<string, unknown>;
  changed: Record<string, { from: unknown; to: unknown }>;
}

async function changesOf(uid: string) {
  return env.sql<ChangeRow[]>`select id::text, type, booking_uid, cal_event_type_id, subject, changed
    from cal_changes where booking_uid = ${uid} order by id`;
}

async function insertBooking(uid: string) {
  await env.sql`insert into cal_bookings (cal_uid, cal_booking_id, status, title, start_time, end_time,
    attendee_name, attendee_email)
    values (${uid}, ${`id-${uid}`}, 'pending', 'Intro', '2030-01-01T10:00:00Z', '2030-01-01T10:30:00Z', 'Ann', 'ann@example.com')`;
}

describe('the change-feed triggers on cal_bookings', () => {
  it('appends booking.created with the snapshot on insert', async () => {
    await insertBooking('feed-1');
    const [created] = await changesOf('feed-1');
    expect(created).toMatchObject({
      type: 'booking.created',
      changed: {},
      subject: {
        uid: 'feed-1',
        cal_booking_id: 'id-feed-1',
        status: 'pending',
        start_time: '2030-01-01T10:00:00.000Z',
        end_time: '2030-01-01T10:30:00.000Z',
        attendee_email: 'ann@example.com',
        absent_attendees: [],
        no_show_host: false,
      },
    });
  });

  it('types an update by what changed and lists each changed field with from and to', async () => {
    await insertBooking('feed-2');
    const steps: Array<[string, string]> = [
      [`status = 'scheduled'`, 'booking.updated'],
      [`start_time = '2030-01-02T10:00:00Z', end_time = '2030-01-02T10:30:00Z'`, 'booking.rescheduled'],
      [`no_show_attendees = '[{"email":"Ann@example.com","noShow":true}]'`, 'booking.no_show'],
      [`no_show_attendees = '[{"email":"ann@example.com","noShow":false}]'`, 'booking.updated'],
      [`status = 'completed'`, 'booking.completed'],
      [`status = 'cancelled'`, 'booking.cancelled'],
    ];
    for (const [set] of steps) await env.sql.unsafe(`update cal_bookings set ${set} where cal_uid = 'feed-2'`);
    const changes = await changesOf('feed-2');
    expect(changes.map((c) => c.type)).toEqual(['booking.created', ...steps.map(([, type]) => type)]);
    expect(changes[1]!.changed).toEqual({ status: { from: 'pending', to: 'scheduled' } });
    expect(changes[2]!.changed).toEqual({
      start_time: { from: '2030-01-01T10:00:00.000Z', to: '2030-01-02T10:00:00.000Z' },
      end_time: { from: '2030-01-01T10:30:00.000Z', to: '2030-01-02T10:30:00.000Z' },
    });
    expect(changes[3]!.changed).toEqual({ absent_attendees: { from: [], to: ['ann@example.com'] } });
  });

  it('appends nothing when no user-visible field changed', async () => {
    await insertBooking('feed-3');
    await env.sql`update cal_bookings set metadata = '{"x":1}', source_updated_at = now(), title = title
      where cal_uid = 'feed-3'`;
    await env.sql`update cal_bookings set no_show_host = false where cal_uid = 'feed-3'`;
    expect((await changesOf('feed-3')).map((c) => c.type)).toEqual(['booking.created']);
  });

  it('writes nothing when the transaction rolls back', async () => {
    await env.sql
      .begin(async (tx) => {
        await tx`insert into cal_bookings (cal_uid) values ('feed-4')`;
        throw new Error('roll back');
      })
      .catch(() => {});
    expect(await changesOf('feed-4')).toEqual([]);
  });

  it('hands out ids in commit order, so a reader never finds a new id below one it saw', async () => {
    await insertBooking('feed-5a');
    await insertBooking('feed-5b');
    const late = await env.sql.reserve();
    try {
      // The first transaction writes first but commits last: its Change must still get the higher id.
      await late`begin`;
      await late`update cal_bookings set title = 'first written' where cal_uid = 'feed-5a'`;
      await env.sql`update cal_bookings set title = 'second written' where cal_uid = 'feed-5b'`;
      await late`commit`;
    } finally {
      late.release();
    }
    const [second] = (await changesOf('feed-5b')).slice(-1);
    const [first] = (await changesOf('feed-5a')).slice(-1);
    expect(BigInt(first!.id)).toBeGreaterThan(BigInt(second!.id));
  });

  it('keeps the Changes of several statements of one transaction in statement order, each row once', async () => {
    await env.sql.begin(async (tx) => {
      await tx`insert into cal_bookings (cal_uid, status) values ('feed-stmt-a', 'pending'), ('feed-stmt-b', 'pending')`;
      await tx`update cal_bookings set status = 'scheduled' where cal_uid in ('feed-stmt-a', 'feed-stmt-b')`;
      await tx`update cal_bookings set status = 'cancelled' where cal_uid = 'feed-stmt-a'`;
    });
    const rows = await env.sql<{ booking_uid: string; type: string }[]>`select booking_uid, type from cal_changes
      where booking_uid in ('feed-stmt-a', 'feed-stmt-b') order by id`;
    expect(rows.filter((r) => r.booking_uid === 'feed-stmt-a').map((r) => r.type)).toEqual([
      'booking.created',
      'booking.updated',
      'booking.cancelled',
    ]);
    expect(rows.filter((r) => r.booking_uid === 'feed-stmt-b').map((r) => r.type)).toEqual([
      'booking.created',
      'booking.updated',
    ]);
    expect(rows.slice(0, 2).map((r) => r.type)).toEqual(['booking.created', 'booking.created']);
  });

  it('still appends when the statement that queued the flush was in a rolled-back savepoint', async () => {
    await insertBooking('feed-savepoint');
    await env.sql.begin(async (tx) => {
      await tx
        .savepoint(async (sp) => {
          await sp`update cal_bookings set title = 'undone' where cal_uid = 'feed-savepoint'`;
          throw new Error('roll back the savepoint');
        })
        .catch(() => {});
      await tx`update cal_bookings set title = 'kept' where cal_uid = 'feed-savepoint'`;
    });
    const changes = await changesOf('feed-savepoint');
    expect(changes.map((c) => c.changed.title?.to ?? null)).toEqual([null, 'kept']);
  });

  it('appends what is written after constraints were made immediate mid-transaction', async () => {
    await env.sql.begin(async (tx) => {
      await tx`insert into cal_bookings (cal_uid) values ('feed-immediate')`;
      await tx`set constraints all immediate`;
      await tx`set constraints all deferred`;
      await tx`update cal_bookings set title = 'after the early flush' where cal_uid = 'feed-immediate'`;
    });
    expect((await changesOf('feed-immediate')).map((c) => c.type)).toEqual(['booking.created', 'booking.updated']);
  });

  it('gives each of two interleaved transactions exactly its own Changes and leaves nothing pending', async () => {
    const other = await env.sql.reserve();
    try {
      await other`begin`;
      await other`insert into cal_bookings (cal_uid) values ('feed-interleaved-a')`;
      await env.sql.begin(async (tx) => {
        await tx`insert into cal_bookings (cal_uid) values ('feed-interleaved-b')`;
      });
      await other`update cal_bookings set title = 'later' where cal_uid = 'feed-interleaved-a'`;
      await other`commit`;
    } finally {
      other.release();
    }
    expect((await changesOf('feed-interleaved-a')).map((c) => c.type)).toEqual(['booking.created', 'booking.updated']);
    expect((await changesOf('feed-interleaved-b')).map((c) => c.type)).toEqual(['booking.created']);
    const [pending] = await env.sql<{ rows: number }[]>`select
      (select count(*) from cal_changes_pending)::int + (select count(*) from cal_changes_flushes)::int as rows`;
    expect(pending!.rows).toBe(0);
  });

  it('notifies calsync_changes once the transaction commits', async () => {
    const heard: string[] = [];
    const listening = await env.sql.listen('calsync_changes', (payload) => heard.push(payload));
    try {
      await insertBooking('feed-6');
      await waitUntil('a notification', () => heard.length, undefined, { timeoutMs: 5_000 });
    } finally {
      await listening.unlisten();
    }
  });
});

describe('the change-feed triggers on cal_event_types', () => {
  it('appends created, updated and deactivated', async () => {
    await env.sql`insert into cal_event_types (cal_event_type_id, slug, title, length) values ('77', 'intro', 'Intro', 30)`;
    await env.sql`update cal_event_types set length = 45, last_synced_at = now() where cal_event_type_id = '77'`;
    await env.sql`update cal_event_types set last_synced_at = now() where cal_event_type_id = '77'`;
    await env.sql`update cal_event_types set deleted_at = now(), active = false where cal_event_type_id = '77'`;
    const changes = await env.sql<ChangeRow[]>`select type, subject, changed from cal_changes
      where cal_event_type_id = '77' order by id`;
    expect(changes.map((c) => c.type)).toEqual(['event_type.created', 'event_type.updated', 'event_type.deactivated']);
    expect(changes[1]!.changed).toEqual({ length: { from: 30, to: 45 } });
    expect(changes[2]!.subject).toMatchObject({ id: '77', active: false, deleted: true });
  });
});

describe('calsync_prune_changes', () => {
  it('deletes only Changes older than the retention', async () => {
    await insertBooking('feed-7');
    await env.sql`update cal_changes set occurred_at = now() - interval '91 days' where booking_uid = 'feed-7'`;
    await insertBooking('feed-8');
    const [pruned] = await env.sql<{ n: string }[]>`select calsync_prune_changes(interval '90 days')::text as n`;
    expect(Number(pruned!.n)).toBeGreaterThanOrEqual(1);
    expect(await changesOf('feed-7')).toEqual([]);
    expect(await changesOf('feed-8')).toHaveLength(1);
  });
});
