// The last 7 days as a band: when the database was awake because of Wakeplan
// (GET /api/scheduler/activity's modelled `awake` intervals), with the headline
// that sums it up against polling. Pure (report in, markup and words out).
//
// Invariants: only what the report says is drawn — no report, no band; hours are
// the report's own figures (the awake model lives on the server, schedule-core);
// every awake mark has a <title>, and the band has a title and a text summary.
import { el } from './markup.js';

/**
 * The parts of GET /api/scheduler/activity the page reads.
 * @typedef {{ from: string, to: string, observed_hours: number, period_hours: number, awake: { start: string, end: string }[],
 *   awake_hours: number, asleep_hours: number, asleep_percent: number, polling_hours: number, saved_hours: number,
 *   saved_cost?: { usd: number }, suspend_minutes: number, cannot_see?: string[] }} ActivityData
 */

const W = 960;
const X0 = 16;
const X1 = W - 16;
const TOP = 22;
const BAND_H = 28;

/**
 * "The database slept 86% of the last 7 days — 145 of 168 hours; polling would have kept it awake all 168."
 * @param {ActivityData} a
 * @param {number} days
 */
export function awakeHeadline(a, days) {
  if (!(a.observed_hours > 0)) return `Wakeplan has recorded no database activity in the last ${days} days yet.`;
  const span = a.observed_hours >= a.period_hours - 0.01 ? `the last ${days} days` : `the last ${hours(a.observed_hours)} hours (since Wakeplan began recording)`;
  return `The database slept ${Math.floor(a.asleep_percent)}% of ${span} — ${hours(a.asleep_hours)} of ${hours(a.observed_hours)} hours; `
    + `polling would have kept it awake all ${hours(a.polling_hours)}.`;
}

/**
 * @param {ActivityData} a
 * @param {{ axisTimeZone: string }} options
 * @returns {string} SVG markup
 */
export function drawAwakeBand(a, { axisTimeZone }) {
  const start = Date.parse(a.from);
  const end = Date.parse(a.to);
  const x = (/** @type {number} */ t) => X0 + ((Math.min(Math.max(t, start), end) - start) / (end - start)) * (X1 - X0);
  const ticks = [];
  const first = new Date(start);
  for (let d = new Date(first.getFullYear(), first.getMonth(), first.getDate() + 1).getTime(); d < end; d += 86_400_000) {
    const day = new Date(d);
    const midnight = new Date(day.getFullYear(), day.getMonth(), day.getDate()).getTime();
    if (x(midnight) > X1 - 50) continue; // no room for its label
    ticks.push(el('g', { class: 'day' },
      el('line', { class: 'day-tick', x1: x(midnight), x2: x(midnight), y1: TOP - 6, y2: TOP + BAND_H }),
      el('text', { class: 'day-label', x: x(midnight) + 4, y: TOP - 8 }, new Intl.DateTimeFormat('en-GB', { timeZone: axisTimeZone, weekday: 'short', day: 'numeric' }).format(midnight))));
  }
  const marks = a.awake.map((i) => {
    const s = Date.parse(i.start);
    const e = Date.parse(i.end);
    return el('rect', { class: 'awake', x: x(s), y: TOP, width: Math.max(2, x(e) - x(s)), height: BAND_H },
      el('title', {}, `Awake ${clock(s, axisTimeZone)}–${clock(e, axisTimeZone)} (${minutes(e - s)})`));
  });
  return el('svg', { class: 'awake-band', viewBox: `0 0 ${W} ${TOP + BAND_H + 8}`, role: 'img', 'aria-labelledby': 'awake-title awake-desc', xmlns: 'http://www.w3.org/2000/svg' },
    el('title', { id: 'awake-title' }, 'When the database was awake because of Wakeplan, last 7 days'),
    el('desc', { id: 'awake-desc' }, `${a.awake.length} awake period${a.awake.length === 1 ? '' : 's'}, ${hours(a.awake_hours)} hours in all (${axisTimeZone}).`),
    el('rect', { class: 'asleep', x: X0, y: TOP, width: X1 - X0, height: BAND_H, rx: 4 }),
    ticks, marks).markup;
}

/** @param {number} h */
function hours(h) {
  return h >= 10 ? String(Math.round(h)) : String(Math.round(h * 10) / 10);
}

/** @param {number} ms */
function minutes(ms) {
  const m = Math.round(ms / 60_000);
  return m < 120 ? `${m} min` : `${Math.round(m / 6) / 10} h`;
}

/** @param {number} ms  @param {string} timeZone */
function clock(ms, timeZone) {
  return new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);
}
