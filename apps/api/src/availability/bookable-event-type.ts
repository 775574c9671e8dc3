import { calEventTypes, type Database } from '@calsync/db';
import { HttpError } from '@calsync/service-kit';
import { eq } from 'drizzle-orm';

/**
 * Refuses availability questions about event types the mirror does not hold as active, before any Cal.com call:
 * otherwise every made-up id costs a request from the budget the syncs share.
 */
export async function requireBookableEventType(db: Database, eventTypeId: string): Promise<void> {
  const [row] = await db
    .select({ active: calEventTypes.active })
    .from(calEventTypes)
    .where(eq(calEventTypes.calEventTypeId, eventTypeId));
  if (!row) {
    throw new HttpError(
      'not_found',
      `eventTypeId: no event type ${eventTypeId} (calsync knows those its last sync saw)`,
      {
        details: { parameter: 'eventTypeId' },
      },
    );
  }
  if (!row.active) {
    throw new HttpError('not_found', `eventTypeId: event type ${eventTypeId} is hidden or deleted in Cal.com`, {
      details: { parameter: 'eventTypeId' },
    });
  }
}
