import { calSyncSkippedItems, type Transaction } from '@calsync/db';
import { storableJson } from '../bookings/values.ts';

/** An item Cal.com returned that a run could not take: recorded, shown on the dashboard, and the run goes on. */
export interface SkippedItem {
  /** The booking uid (or event type id) when the item has one. */
  key: string | null;
  raw: unknown;
  reason: string;
}

/** Records a page's skipped items in the page's own transaction. */
export async function recordSkippedItems(tx: Transaction, runId: string, items: SkippedItem[]): Promise<void> {
  if (items.length === 0) return;
  await tx.insert(calSyncSkippedItems).values(
    items.map((item) => ({
      runId,
      itemKey: item.key,
      raw: storableJson(item.raw ?? null),
      reason: item.reason.slice(0, 2_000),
    })),
  );
}
