// Sending a NOTIFY on `scheduler_changed` (the payload contract is
// @wakeplan/contract notification.ts), and marking the campaign it names as
// changed (plan-changes.ts) in the same statement.
//
// Invariants: a notification is sent inside the writing transaction with
// `select pg_notify(...)`, so it is delivered on commit only and never after a
// rollback (postgres.js's `tx.notify()` would run on the pool, outside the
// transaction); a notification naming a campaign leaves a durable mark of the
// change (campaigns.plan_changed_xid) that commits or rolls back with it — what
// a reader that was not listening finds later.
import { SCHEDULER_CHANNEL, type SchedulerNotification } from '@wakeplan/contract';
import type { Queryable } from './client.ts';

/** Sends inside `tx`: delivered when (and only if) the transaction commits. */
export async function notifySchedulerChanged(tx: Queryable, n: SchedulerNotification): Promise<void> {
  const payload = JSON.stringify(n);
  if (!n.campaign_id) {
    await tx`select pg_notify(${SCHEDULER_CHANNEL}, ${payload})`;
    return;
  }
  await tx`
    with marked as (update campaigns set plan_changed_xid = pg_current_xact_id() where id = ${n.campaign_id})
    select pg_notify(${SCHEDULER_CHANNEL}, ${payload})`;
}
