// What the worker counts about itself, reported by GET /health and published to
// worker_state. Kept in memory only.
export interface WorkerCounters {
  wakes: number;
  planReads: number;
  claims: number;
  dialed: number;
  confirmed: number;
  rejected: number;
  unconfirmed: number;
  resent: number;
  deadlinesExpired: number;
  contactsExpired: number;
  notifications: number;
  doorbells: number;
  resyncs: number;
  listenerLost: number;
  refusedWakes: number;
  errors: number;
}

export function newCounters(): WorkerCounters {
  return {
    wakes: 0, planReads: 0, claims: 0, dialed: 0, confirmed: 0, rejected: 0, unconfirmed: 0, resent: 0,
    deadlinesExpired: 0, contactsExpired: 0, notifications: 0, doorbells: 0, resyncs: 0, listenerLost: 0,
    refusedWakes: 0, errors: 0,
  };
}
