import { columnName, type Database, execute, notifications, queryRows } from '@calsync/db';
import { emailsTotal } from '@calsync/service-kit';
import { sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Logger } from 'pino';
import { describeSmtpError, type Mailer, type OutgoingMail } from './mailer.ts';

/** A claimed row: what the sender needs to build and record the message. */
export interface ClaimedNotification {
  id: string;
  kind: 'reminder' | 'agenda' | 'alert' | 'resolved';
  booking_uid: string | null;
  recipient: string;
  attempts: number;
  details: Record<string, unknown>;
}

export interface SendPolicy {
  /** Tries before a message is `failed` (an admin can retry it from the dashboard). */
  maxAttempts: number;
  /** First retry delay; doubled per attempt up to `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How long a claim holds: a sender that dies mid-send leaves the row to be taken again after it. */
  leaseMs: number;
  /** Rows claimed per round, and sends in flight at once. */
  batch: number;
  concurrency: number;
}

export const defaultSendPolicy: SendPolicy = {
  maxAttempts: 5,
  retryBaseMs: 30_000,
  retryMaxMs: 30 * 60_000,
  leaseMs: 60_000,
  batch: 50,
  concurrency: 10,
};

const t = notifications;
const n = alias(notifications, 'n');

/**
 * Takes due rows (`scheduled`, or `sending` whose lease ran out) and marks them `sending` with a lease. SKIP LOCKED
 * lets several workers claim side by side without taking the same row.
 */
export async function claimDue(db: Database, policy: SendPolicy): Promise<ClaimedNotification[]> {
  return await queryRows<ClaimedNotification>(
    db,
    sql`
    with due as (
      select ${t.id} as id from ${t}
      where ${t.status} in ('scheduled', 'sending') and ${t.nextAttemptAt} <= now()
      order by ${t.nextAttemptAt}
      limit ${policy.batch}
      for update skip locked
    )
    update ${t} ${n}
    set ${columnName(n.status)} = 'sending', ${columnName(n.attempts)} = ${n.attempts} + 1,
        ${columnName(n.updatedAt)} = now(),
        ${columnName(n.nextAttemptAt)} = now() + ${policy.leaseMs} * interval '1 millisecond'
    from due where ${n.id} = due.id
    returning ${n.id}, ${n.kind}, ${n.bookingUid}, ${n.recipient}, ${n.attempts}, ${n.details}`,
  );
}

function retryDelay(policy: SendPolicy, attempts: number): number {
  return Math.min(policy.retryBaseMs * 2 ** Math.max(attempts - 1, 0), policy.retryMaxMs);
}

// Only the claim that is still current may finish the row (`attempts` is the fence): a sender whose lease ran out
// and whose row was taken again must not overwrite what the newer sender recorded.
async function recordSent(db: Database, row: ClaimedNotification, messageId: string) {
  await execute(
    db,
    sql`
    update ${t} set ${columnName(t.status)} = 'sent', ${columnName(t.sentAt)} = now(),
      ${columnName(t.messageId)} = ${messageId}, ${columnName(t.error)} = null, ${columnName(t.updatedAt)} = now()
    where ${t.id} = ${row.id} and ${t.status} = 'sending' and ${t.attempts} = ${row.attempts}`,
  );
}

async function recordFailure(db: Database, row: ClaimedNotification, error: string, policy: SendPolicy) {
  const final = row.attempts >= policy.maxAttempts;
  await execute(
    db,
    sql`
    update ${t}
    set ${columnName(t.status)} = ${final ? 'failed' : 'scheduled'}, ${columnName(t.error)} = ${error},
        ${columnName(t.updatedAt)} = now(),
        ${columnName(t.nextAttemptAt)} = now() + ${final ? 0 : retryDelay(policy, row.attempts)} * interval '1 millisecond'
    where ${t.id} = ${row.id} and ${t.status} = 'sending' and ${t.attempts} = ${row.attempts}`,
  );
  return final;
}

export interface SendDeps {
  db: Database;
  mailer: Mailer;
  log: Logger;
  policy: SendPolicy;
  /** Builds the message of a claimed row; undefined means it no longer applies (it is cancelled). */
  compose: (row: ClaimedNotification) => Promise<OutgoingMail | undefined>;
}

// A batch is claimed at once but sent a few at a time, so a row may wait in this process longer than its lease.
// Renewing the lease right before the send keeps the lease covering the send itself, and finds a row another sender
// already took back (then this one leaves it alone).
async function renewLease(db: Database, row: ClaimedNotification, policy: SendPolicy): Promise<boolean> {
  const held = await execute(
    db,
    sql`
    update ${t} set ${columnName(t.nextAttemptAt)} = now() + ${policy.leaseMs} * interval '1 millisecond'
    where ${t.id} = ${row.id} and ${t.status} = 'sending' and ${t.attempts} = ${row.attempts}`,
  );
  return held === 1;
}

async function sendOne(deps: SendDeps, row: ClaimedNotification): Promise<void> {
  const { db, mailer, log, policy } = deps;
  if (!(await renewLease(db, row, policy))) return;
  try {
    const mail = await deps.compose(row);
    if (!mail) {
      await execute(
        db,
        sql`update ${t} set ${columnName(t.status)} = 'cancelled', ${columnName(t.updatedAt)} = now()
        where ${t.id} = ${row.id} and ${t.status} = 'sending'`,
      );
      return;
    }
    const { messageId } = await mailer.send(mail);
    await recordSent(db, row, messageId);
    emailsTotal.inc({ kind: row.kind, outcome: 'sent' });
  } catch (error) {
    const message = describeSmtpError(error);
    const final = await recordFailure(db, row, message, policy);
    emailsTotal.inc({ kind: row.kind, outcome: final ? 'failed' : 'retry' });
    log[final ? 'error' : 'warn'](
      { err: error, notificationId: row.id, kind: row.kind, bookingUid: row.booking_uid, attempt: row.attempts },
      final ? 'e-mail failed for good' : 'e-mail failed, will retry',
    );
  }
}

/**
 * Sends everything due now. Claims `batch` rows at a time into a local queue that `concurrency` lanes send from (one
 * slow or failing recipient holds only its own lane), and claims again when the queue runs dry after a full batch.
 * Several processes do this side by side: SKIP LOCKED gives each its own rows. Returns how many rows it took.
 */
export async function sendDue(deps: SendDeps): Promise<number> {
  const queue: ClaimedNotification[] = [];
  let taken = 0;
  let more = true;
  let claiming: Promise<void> | undefined;
  const refill = () =>
    (claiming ??= claimDue(deps.db, deps.policy)
      .then((rows) => {
        taken += rows.length;
        queue.push(...rows);
        more = rows.length === deps.policy.batch;
      })
      .finally(() => {
        claiming = undefined;
      }));
  await refill();
  if (taken === 0) return 0;
  const lane = async () => {
    for (;;) {
      const row = queue.shift();
      if (row) await sendOne(deps, row);
      else if (!more) return;
      else await refill();
    }
  };
  await Promise.all(Array.from({ length: deps.policy.concurrency }, lane));
  return taken;
}
