// The worker's `GET /health` body (DESIGN.md §3): what the worker says about
// itself from memory, and what the API's status reads when the worker answers.
// JSON, camelCase, flat (no envelope).
export interface WorkerHealthBody {
  status: 'ok';
  mode: string;
  state: string;
  nextWakeAt: string | null;
  nextWakeReason: string | null;
  /** Calls in dialing/in_progress account-wide, as of the worker's last plan read. */
  callsInFlight: number;
  listening: boolean;
  /** Activity counters since the worker started (wakes, plan reads, dialed, …). */
  counters: Record<string, number>;
  startedAt: string;
  uptimeS: number;
}
