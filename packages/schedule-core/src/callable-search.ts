// Searching window ∩ recipient hours on epoch milliseconds.
//
// A rule pairs a compiled campaign window with the compiled hours in one
// contact zone (null = no hours restriction). The search alternates between
// the two (next window opening, then next hours opening from there) and only
// moves forward. Where both zones keep a constant offset, each is a fixed
// daily pattern of instants, so if those patterns cannot meet (e.g. New York
// office hours and Tokyo daytime) the whole stretch up to the next transition
// is skipped in O(1): a window and hours that never overlap are proven so in
// a handful of steps, not a year of days.
import { MS_PER_DAY } from './civil-date.ts';
import type { CompiledWindow } from './compiled-window.ts';
import { closeAfter, isOpenAt, nextOpenAt } from './window-runs.ts';
import type { ZoneOffsets } from './zone-offsets.ts';

/**
 * nextCallableAt returns null when nothing is callable between `from` and
 * this long after the window next opens: a full year, so every DST shift
 * between two zones is seen.
 */
export const OVERLAP_HORIZON_MS = 400 * MS_PER_DAY;

export interface CallableRule {
  readonly window: CompiledWindow;
  readonly hours: CompiledWindow | null;
}

export function isCallableAt(rule: CallableRule, t: number): boolean {
  return isOpenAt(rule.window, t) && (rule.hours === null || isOpenAt(rule.hours, t));
}

/** The earliest instant ≥ from inside both, or null when none before the horizon (see OVERLAP_HORIZON_MS). */
export function nextCallableAt(rule: CallableRule, from: number): number | null {
  const firstOpen = nextOpenAt(rule.window, from);
  if (rule.hours === null || firstOpen === null) return firstOpen;
  // Nothing is callable in [from, firstOpen): the window is closed there.
  return searchCallable(rule, firstOpen, firstOpen + OVERLAP_HORIZON_MS);
}

/** The earliest instant in [cursor, limit) inside both, or null; the caller knows nothing before `cursor` qualifies. */
export function searchCallable(rule: CallableRule, cursor: number, limit: number): number | null {
  const hours = rule.hours;
  if (hours === null) {
    const open = nextOpenAt(rule.window, cursor);
    return open !== null && open < limit ? open : null;
  }
  while (cursor < limit) {
    cursor = skipDisjointStretch(rule.window, hours, cursor, limit);
    if (cursor >= limit) break;
    const windowOpen = nextOpenAt(rule.window, cursor);
    if (windowOpen === null || windowOpen >= limit) break;
    const hoursOpen = nextOpenAt(hours, windowOpen);
    if (hoursOpen === null || hoursOpen >= limit) break;
    if (hoursOpen === windowOpen || isOpenAt(rule.window, hoursOpen)) return hoursOpen;
    cursor = hoursOpen; // moves forward: hoursOpen > windowOpen ≥ cursor
  }
  return null;
}

/** The first instant after `t` outside window ∩ hours, or null when `t` is not inside both. */
export function callableCloseAfter(rule: CallableRule, t: number): number | null {
  const windowClose = closeAfter(rule.window, t);
  if (windowClose === null || rule.hours === null) return windowClose;
  const hoursClose = closeAfter(rule.hours, t);
  return hoursClose === null ? null : Math.min(windowClose, hoursClose);
}

/**
 * `t`, or the next offset change of either zone when nothing in between can
 * be callable. While offsets are constant an instant's local time is the
 * instant shifted by a constant, so the window's instants (whatever its date
 * filters) lie within one daily arc and the hours' instants within another.
 */
function skipDisjointStretch(window: CompiledWindow, hours: CompiledWindow, t: number, limit: number): number {
  const windowOffset = window.zone.offsetAt(t);
  const hoursOffset = hours.zone.offsetAt(t);
  const windowArc = mod(window.firstMs - windowOffset, MS_PER_DAY);
  const hoursArc = mod(hours.firstMs - hoursOffset, MS_PER_DAY);
  const meet =
    mod(hoursArc - windowArc, MS_PER_DAY) < window.durationMs || mod(windowArc - hoursArc, MS_PER_DAY) < hours.durationMs;
  if (meet) return t;
  return firstChangeOfEither(window.zone, hours.zone, t, limit);
}

const WALK_STEP_MS = 7 * MS_PER_DAY;

/** The first offset change after `t` in either zone (or `limit`), walking both a week at a time so neither is read far past it. */
function firstChangeOfEither(a: ZoneOffsets, b: ZoneOffsets, t: number, limit: number): number {
  const offsetA = a.offsetAt(t);
  const offsetB = b.offsetAt(t);
  for (let from = t; from < limit; from += WALK_STEP_MS) {
    // A change exactly at a week boundary shows up here rather than inside the week.
    if (a.offsetAt(from) !== offsetA || b.offsetAt(from) !== offsetB) return from;
    const to = Math.min(from + WALK_STEP_MS, limit);
    const change = b.nextChangeAfter(from, a.nextChangeAfter(from, to));
    if (change < to) return change;
  }
  return limit;
}

function mod(value: number, modulus: number): number {
  return ((value % modulus) + modulus) % modulus;
}
