import { HttpError } from '@calsync/service-kit';
import { z } from 'zod';

/** Where a page ended in the (start_time, id) order: the last row's start time (null sorts last) and id. */
export interface BookingCursor {
  startTime: string | null;
  id: string;
}

const cursorShape = z.tuple([z.iso.datetime({ offset: true }).nullable(), z.uuid()]);

/** Opaque to clients: base64url of `[start_time, id]`, start_time exactly as PostgreSQL printed it (microseconds kept). */
export function encodeCursor(cursor: BookingCursor): string {
  return Buffer.from(JSON.stringify([cursor.startTime, cursor.id])).toString('base64url');
}

export function decodeCursor(value: string): BookingCursor {
  let decoded: unknown;
  try {
    decoded = /^[A-Za-z0-9_-]{1,400}$/.test(value)
      ? JSON.parse(Buffer.from(value, 'base64url').toString('utf8'))
      : null;
  } catch {
    decoded = null;
  }
  const parsed = cursorShape.safeParse(decoded);
  if (!parsed.success) {
    throw new HttpError('invalid_request', 'cursor: not a cursor this API returned (use next_cursor as it is)', {
      details: { parameter: 'cursor' },
    });
  }
  const [startTime, id] = parsed.data;
  return { startTime, id };
}
