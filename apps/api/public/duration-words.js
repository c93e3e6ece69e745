// A duration in words — one rule, two vocabularies: `compact` for the status
// page ("3 h 20 min") and `words` for the API's status sentence ("Database will
// wake in 3 hours 20 minutes"). A plain ES module, served to the browser as it
// is and imported by the API's TypeScript (apps/api scheduler/status-message.ts),
// typed by JSDoc (checkJs).
//
// Invariants: `words` rounds up, so "will wake in N minutes" agrees with the
// status's minutesUntilWake (also rounded up) and never promises a wake earlier
// than planned; `compact` rounds to the nearest minute, for a glance. Past a
// style's limit the next unit takes over, with the remainder in the one below.

/**
 * @typedef {{ round: (x: number) => number, underMs: number, under: string, hoursFrom: number, daysFrom: number,
 *   unit: (n: number, unit: 'minute' | 'hour' | 'day') => string }} DurationStyle
 */

/** @type {Record<'compact' | 'words', DurationStyle>} */
const STYLES = {
  compact: {
    round: Math.round, underMs: 30_000, under: 'under a minute', hoursFrom: 60, daysFrom: 24 * 60,
    unit: (n, unit) => `${n} ${{ minute: 'min', hour: 'h', day: 'd' }[unit]}`,
  },
  words: {
    round: Math.ceil, underMs: 60_000, under: 'less than a minute', hoursFrom: 120, daysFrom: 48 * 60,
    unit: (n, unit) => `${n} ${unit}${n === 1 ? '' : 's'}`,
  },
};

/**
 * "3 h 20 min" (compact) or "3 hours 20 minutes" (words).
 * @param {number} ms
 * @param {'compact' | 'words'} [styleName]
 * @returns {string}
 */
export function formatDuration(ms, styleName = 'compact') {
  const style = STYLES[styleName];
  if (!Number.isFinite(ms) || ms < style.underMs) return style.under;
  const minutes = style.round(ms / 60_000);
  if (minutes < style.hoursFrom) return style.unit(minutes, 'minute');
  if (minutes < style.daysFrom) return withRest(style, Math.floor(minutes / 60), 'hour', minutes % 60, 'minute');
  const days = Math.floor(minutes / (24 * 60));
  return withRest(style, days, 'day', Math.floor((minutes - days * 24 * 60) / 60), 'hour');
}

/**
 * @param {DurationStyle} style
 * @param {number} n
 * @param {'hour' | 'day'} unit
 * @param {number} rest
 * @param {'minute' | 'hour'} restUnit
 */
function withRest(style, n, unit, rest, restUnit) {
  return rest === 0 ? style.unit(n, unit) : `${style.unit(n, unit)} ${style.unit(rest, restUnit)}`;
}
