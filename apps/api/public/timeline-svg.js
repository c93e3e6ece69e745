// The 7-day timeline as an inline SVG string: one row per campaign with its open
// windows as bars, a lane of planned wakes (triangles, with dashed lines down
// through the rows), a "now" line, day ticks in the viewer's zone.
//
// Invariants: pure (instants in, markup out); every mark carries a <title>, and
// each kind of mark differs by shape or line style as well as colour, so the
// chart reads without colour; the whole SVG has a title and a text summary.
import { el } from './markup.js';

/** @typedef {import('./read-api-data.js').PlanInterval} PlanInterval */
/** @typedef {import('./read-api-data.js').PlanWake} PlanWake */
/**
 * @typedef {{ rows: { id: string, name: string, timezone: string | null, intervals: PlanInterval[] }[],
 *   wakes: PlanWake[], now: number, dayStarts: number[], axisTimeZone: string }} TimelineModel
 */

const W = 960;
const LABEL_W = 180;
const X0 = LABEL_W;
const X1 = W - 16;
const HEADER_H = 24;
const LANE_H = 26;
const ROW_H = 32;
const BAR_H = 16;
const FOOT_H = 22;

/**
 * Midnights of `days + 1` consecutive local days, starting with the day that contains `now`.
 * @param {number} now
 * @param {number} [days]
 * @returns {number[]}
 */
export function localDayStarts(now, days = 7) {
  const d = new Date(now);
  return Array.from({ length: days + 1 }, (_, i) => new Date(d.getFullYear(), d.getMonth(), d.getDate() + i).getTime());
}

/**
 * @param {TimelineModel} model
 * @returns {string} SVG markup
 */
export function drawTimeline({ rows, wakes, now, dayStarts, axisTimeZone }) {
  const start = dayStarts[0] ?? now;
  const end = dayStarts[dayStarts.length - 1] ?? now;
  const x = (/** @type {number} */ t) => X0 + ((Math.min(Math.max(t, start), end) - start) / (end - start)) * (X1 - X0);
  const top = HEADER_H + LANE_H;
  const bottom = top + Math.max(rows.length, 1) * ROW_H;
  const names = new Map(rows.map((r) => [r.id, r.name]));
  const zoneOf = new Map(rows.map((r) => [r.id, r.timezone]));
  const visibleWakes = wakes.filter((w) => w.at >= start && w.at <= end);

  const days = dayStarts.slice(0, -1).map((d, i) => el('g', { class: 'day' },
    el('rect', { class: i % 2 ? 'day-band alt' : 'day-band', x: x(d), y: HEADER_H, width: x(dayStarts[i + 1] ?? end) - x(d), height: bottom - HEADER_H }),
    el('line', { class: 'day-tick', x1: x(d), x2: x(d), y1: HEADER_H - 6, y2: bottom }),
    el('text', { class: 'day-label', x: x(d) + 5, y: HEADER_H - 8 }, dayLabel(d, axisTimeZone))));

  const rowMarks = rows.map((r, i) => {
    const y = top + i * ROW_H;
    const bars = r.intervals.filter((iv) => iv.end > start && iv.start < end).map((iv) =>
      el('rect', { class: 'open-window', x: x(iv.start), y: y + (ROW_H - BAR_H) / 2, width: Math.max(2, x(iv.end) - x(iv.start)), height: BAR_H, rx: 3 },
        el('title', {}, `${r.name}: open ${rangeLabel(iv, r.timezone ?? axisTimeZone)}`)));
    return el('g', { class: 'campaign-row', 'data-campaign-id': r.id },
      el('line', { class: 'row-rule', x1: 8, x2: X1, y1: y + ROW_H, y2: y + ROW_H }),
      el('g', { class: 'row-head' }, el('title', {}, r.name), el('text', { class: 'row-label', x: LABEL_W - 10, y: y + ROW_H / 2 + 4 }, truncate(r.name, 24))),
      bars);
  });

  const wakeMarks = visibleWakes.map((w) => {
    const cx = x(w.at);
    const who = w.campaignId && names.get(w.campaignId) ? ` for ${names.get(w.campaignId)}` : '';
    const zone = (w.campaignId && zoneOf.get(w.campaignId)) || axisTimeZone;
    return el('g', { class: 'wake' },
      el('title', {}, `Planned wake ${instantLabel(w.at, zone)}${who}${w.reason ? ` (${w.reason})` : ''}`),
      el('line', { class: 'wake-line', x1: cx, x2: cx, y1: HEADER_H + LANE_H - 4, y2: bottom }),
      el('path', { class: 'wake-mark', d: `M${r2(cx - 6)},${HEADER_H + 6} L${r2(cx + 6)},${HEADER_H + 6} L${r2(cx)},${HEADER_H + LANE_H - 4} Z` }));
  });

  const nowMark = now >= start && now <= end ? el('g', { class: 'now' },
    el('title', {}, `Now: ${instantLabel(now, axisTimeZone)}`),
    el('rect', { class: 'past', x: X0, y: HEADER_H, width: x(now) - X0, height: bottom - HEADER_H }),
    el('line', { class: 'now-line', x1: x(now), x2: x(now), y1: HEADER_H, y2: bottom + 4 }),
    el('text', { class: 'now-label', x: x(now), y: bottom + 17 }, 'now')) : null;

  const summary = describeTimeline({ rows, wakes: visibleWakes, dayStarts, axisTimeZone });
  return el('svg', { class: 'timeline', viewBox: `0 0 ${W} ${bottom + FOOT_H}`, role: 'img', 'aria-labelledby': 'timeline-title timeline-desc', xmlns: 'http://www.w3.org/2000/svg' },
    el('title', { id: 'timeline-title' }, 'Calling windows and planned wakes, next 7 days'),
    el('desc', { id: 'timeline-desc' }, summary),
    days,
    el('text', { class: 'lane-label', x: LABEL_W - 10, y: HEADER_H + LANE_H / 2 + 4 }, 'Planned wakes'),
    rows.length ? rowMarks : el('text', { class: 'empty-label', x: (X0 + X1) / 2, y: top + ROW_H / 2 + 4 }, 'No active campaigns'),
    nowMark, wakeMarks).markup;
}

/**
 * The text alternative: what a sighted reader takes from the chart at a glance.
 * @param {Omit<TimelineModel, 'now'>} model
 */
export function describeTimeline({ rows, wakes, dayStarts, axisTimeZone }) {
  const from = dayLabel(dayStarts[0] ?? 0, axisTimeZone);
  const to = dayLabel(dayStarts[dayStarts.length - 2] ?? 0, axisTimeZone);
  const open = rows.map((r) => `${r.name}: ${r.intervals.length} open window${r.intervals.length === 1 ? '' : 's'}`);
  const next = wakes[0] ? ` The first is ${instantLabel(wakes[0].at, axisTimeZone)}.` : '';
  return `${from} to ${to} (${axisTimeZone}). ${open.length ? `${open.join('; ')}.` : 'No active campaigns.'} ${wakes.length} planned wake${wakes.length === 1 ? '' : 's'}.${next}`;
}

/** @param {number} ms  @param {string} timeZone */
function dayLabel(ms, timeZone) {
  return new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric' }).format(ms);
}

/** @param {number} ms  @param {string} timeZone */
function instantLabel(ms, timeZone) {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(ms);
  const get = (/** @type {Intl.DateTimeFormatPartTypes} */ type) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('weekday')} ${get('day')} ${get('month')} ${get('hour')}:${get('minute')} ${timeZone}`;
}

/** @param {PlanInterval} interval  @param {string} timeZone */
function rangeLabel({ start, end }, timeZone) {
  const clock = (/** @type {number} */ ms) => new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);
  const day = (/** @type {number} */ ms) => new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short' }).format(ms);
  const sameDay = day(start) === day(end - 1);
  return `${day(start)} ${clock(start)}–${sameDay ? '' : `${day(end)} `}${clock(end)} ${timeZone}`;
}

/** @param {number} n */
function r2(n) {
  return Math.round(n * 100) / 100;
}

/** @param {string} text  @param {number} max */
function truncate(text, max) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
