// Sending a NOTIFY on `scheduler_changed` (the payload contract is
// @wakeplan/contract notification.ts).
//
// Invariant: a notification is sent inside the writing transaction with
// `select pg_notify(...)`, so it is delivered on commit only and never after a
// rollback (postgres.js's `tx.notify()` would run on the pool, outside the
// transaction).
import { SCHEDULER_CHANNEL, type SchedulerNotification } from '@wakeplan/contract';
import type { Queryable } from './client.ts';

/** Sends inside `tx`: delivered when (and only if) the transaction commits. */
export async function notifySchedulerChanged(tx: Queryable, n: SchedulerNotification): Promise<void> {
  const payload = JSON.stringify(n);
  await tx`select pg_notify(${SCHEDULER_CHANNEL}, ${payload})`;
}
