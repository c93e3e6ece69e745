// What the worker counts about itself, reported by GET /health and published to
// worker_state. Kept in memory only.
const COUNTER_NAMES = [
  'wakes', 'planReads', 'catchUps', 'campaignRefreshes', 'claims', 'dialed', 'confirmed', 'rejected', 'unconfirmed', 'refused', 'resent', 'closedUnsent', 'deadlinesExpired',
  'contactsExpired', 'webhooksSent', 'webhooksDelivered', 'notifications', 'doorbells', 'resyncs', 'listenerLost', 'refusedWakes', 'errors',
] as const;

export type WorkerCounters = Record<(typeof COUNTER_NAMES)[number], number>;

export function newCounters(): WorkerCounters {
  return Object.fromEntries(COUNTER_NAMES.map((name) => [name, 0])) as WorkerCounters;
}
