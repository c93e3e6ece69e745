// Words for the status page: the worker's state and next wake as a sentence
// ("Asleep — database will wake in 3 h 20 min (Mon 09:00 America/New_York)"),
// instants in a named zone, counter names. Pure: every function takes the
// current instant and the zone from its caller. Durations: duration-words.js.
import { formatDuration } from './duration-words.js';

/** @typedef {import('./read-api-data.js').StatusData} StatusData */

const DAY = 24 * 60 * 60_000;

/**
 * "Mon 09:00 America/New_York"; a week or more ahead adds the date
 * ("Mon 12 Jan 09:00 …") so the weekday is not ambiguous.
 */
/**
 * @param {string} iso
 * @param {string} timeZone
 * @param {number} [now]
 */
export function formatInstant(iso, timeZone, now) {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  const far = now !== undefined && Math.abs(at.getTime() - now) >= 6 * DAY;
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    ...(far ? { day: 'numeric', month: 'short' } : {}),
  }).formatToParts(at);
  const get = (/** @type {Intl.DateTimeFormatPartTypes} */ type) => parts.find((p) => p.type === type)?.value ?? '';
  const date = far ? ` ${get('day')} ${get('month')}` : '';
  return `${get('weekday')}${date} ${get('hour')}:${get('minute')} ${timeZone}`;
}

/** @type {Record<string, string>} */
const STATE_WORDS = {
  starting: 'Starting',
  dispatching: 'Dispatching',
  waiting: 'Waiting',
  asleep: 'Asleep',
  stopping: 'Stopping',
};

/**
 * The headline and a detail line for the worker.
 * @param {StatusData | null | undefined} status  data of GET /api/scheduler/status
 * @param {{ now: number, timeZone: string }} context
 * @returns {{ state: string, headline: string, detail: string }}
 */
export function describeWorker(status, { now, timeZone }) {
  const state = typeof status?.workerState === 'string' && STATE_WORDS[status.workerState] ? status.workerState : 'unknown';
  const wake = describeNextWake(status, { now, timeZone });
  let headline;
  switch (state) {
    case 'asleep':
      headline = wake ? `Asleep — database will wake ${wake}` : 'Asleep — nothing is scheduled, so the database can sleep until new work arrives';
      break;
    case 'waiting':
      headline = `Waiting — calls are in flight and no query runs until one finishes${wake ? `; next planned wake ${wake}` : ''}`;
      break;
    case 'dispatching':
      headline = 'Dispatching — the worker is placing calls now';
      break;
    case 'starting':
      headline = 'Starting — the worker is reading its plan';
      break;
    case 'stopping':
      headline = 'Stopping — the worker is shutting down';
      break;
    default:
      headline = `Worker state unknown${wake ? ` — the plan says the database will wake ${wake}` : ''}`;
  }
  return { state, headline, detail: describeSource(status) };
}

/**
 * "in 3 h 20 min (Mon 09:00 America/New_York)", "now (…)", or '' when nothing is planned.
 * @param {StatusData | null | undefined} status
 * @param {{ now: number, timeZone: string }} context
 */
function describeNextWake(status, { now, timeZone }) {
  const iso = status?.nextWakeTime;
  if (typeof iso !== 'string' || Number.isNaN(Date.parse(iso))) return '';
  const ms = Date.parse(iso) - now;
  const when = formatInstant(iso, timeZone, now);
  return ms <= 30_000 ? `now (${when})` : `in ${formatDuration(ms)} (${when})`;
}

/** @param {StatusData | null | undefined} status */
function describeSource(status) {
  const age = status?.workerStateAgeSeconds;
  switch (status?.workerStateSource) {
    case 'live':
      return 'Reported live by the worker.';
    case 'published':
      return typeof age === 'number' && Number.isFinite(age)
        ? `The worker did not answer; this is the state it last published, ${formatDuration(age * 1000)} ago.`
        : 'The worker did not answer; this is the state it last published.';
    case 'unknown':
      return 'The worker did not answer and has not published a state yet.';
    default:
      return '';
  }
}

/**
 * "callsDialed" / "calls_dialed" → "Calls dialed".
 * @param {string} key
 */
export function humanizeKey(key) {
  const words = String(key).replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
