// The scheduler status in words, for the dashboard: what the worker is doing, or
// when the database will next be woken. Pure: (facts) → sentence.

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
  return `Database will wake in ${describeDuration(f.msUntilWake)}`;
}

/** "less than a minute", "30 minutes", "2 hours 5 minutes", "3 days 4 hours". */
export function describeDuration(ms: number): string {
  const minutes = Math.ceil(ms / 60_000);
  if (ms < 60_000) return 'less than a minute';
  if (minutes < 120) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return join(plural(hours, 'hour'), minutes % 60, 'minute');
  return join(plural(Math.floor(hours / 24), 'day'), hours % 24, 'hour');
}

function join(head: string, rest: number, unit: string): string {
  return rest === 0 ? head : `${head} ${plural(rest, unit)}`;
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}
