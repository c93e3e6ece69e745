// The scheduler status in words, for the dashboard: what the worker is doing, or
// when the database will next be woken. Pure: (facts) → sentence. Durations are
// worded by public/duration-words.js, which the status page uses too.
import { formatDuration } from '../../public/duration-words.js';

export interface StatusFacts {
  workerState: string;
  callsInFlight: number;
  dueNow: boolean;
  /** Milliseconds until the next planned wake; null when nothing is planned. */
  msUntilWake: number | null;
}

export function describeSchedulerStatus(f: StatusFacts): string {
  if (f.callsInFlight > 0) return `Worker is awake: ${plural(f.callsInFlight, 'call')} in flight`;
  if (f.workerState === 'dispatching') return 'Worker is awake and dispatching calls';
  if (f.dueNow) return 'Calls are due now: the worker is being woken to dial them';
  if (f.msUntilWake === null) return 'Nothing is scheduled: the database can sleep until new work arrives';
  return `Database will wake in ${formatDuration(f.msUntilWake, 'words')}`;
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}
