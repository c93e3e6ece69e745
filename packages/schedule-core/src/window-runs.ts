// Membership, next opening and run end of a compiled window, on epoch
// milliseconds.
//
// The definition is membership of instants: an instant is open when its local
// wall-clock time (utc + offset at that instant) lies in the local range
// [D + first, D + first + duration) of a permitted date D. DST gaps and repeats
// therefore need no special case: a range is mapped back to instants piece by
// piece over constant-offset segments (instant = local − offset), which is
// exact. Work per call is bounded by jumps over dates and offset segments,
// never by scanning minutes.
import { MS_PER_DAY } from './civil-date.ts';
import {
  firstConsecutivePermittedDay,
  isPermittedDay,
  lastConsecutivePermittedDay,
  nextPermittedDay,
  type CompiledWindow,
} from './compiled-window.ts';
import { MAX_INSTANT_MS } from './instant.ts';
import { MAX_ABS_OFFSET_MS, type ZoneOffsets } from './zone-offsets.ts';

/**
 * With no endDate, a search for the next opening stops this many days after
 * the later of `from` and the last date filter (startDate, last blackout). After
 * that date the weekly pattern repeats forever, so failing to open within five
 * years means the window can never open (e.g. every permitted opening falls in
 * a DST gap).
 */
export const SEARCH_HORIZON_DAYS = 5 * 366;
const MAX_RUN_STEPS = 10_000;

interface LocalRange {
  start: number;
  end: number;
}

/**
 * The local range of a permitted date that contains local time `local`. A
 * 24-hour window's ranges touch, so there it is the whole run of consecutive
 * permitted dates, unbounded (±Infinity) on a side with no date filter.
 */
function rangeContaining(cw: CompiledWindow, local: number): LocalRange | null {
  const today = Math.floor(local / MS_PER_DAY);
  for (let day = today; day >= today - 1; day--) {
    const start = day * MS_PER_DAY + cw.firstMs;
    const into = local - start;
    if (into < 0 || into >= cw.durationMs || !isPermittedDay(cw, day)) continue;
    if (cw.durationMs < MS_PER_DAY) return { start, end: start + cw.durationMs };
    return {
      start: firstConsecutivePermittedDay(cw, day) * MS_PER_DAY + cw.firstMs,
      end: (lastConsecutivePermittedDay(cw, day) + 1) * MS_PER_DAY + cw.firstMs,
    };
  }
  return null;
}

export function isOpenAt(cw: CompiledWindow, t: number): boolean {
  const local = t + cw.zone.offsetAt(t);
  const today = Math.floor(local / MS_PER_DAY);
  for (let day = today; day >= today - 1; day--) {
    const into = local - (day * MS_PER_DAY + cw.firstMs);
    if (into >= 0 && into < cw.durationMs && isPermittedDay(cw, day)) return true;
  }
  return false;
}

/** The first instant ≥ notBefore whose local time lies in [localStart, localEnd), or null. */
function firstInstantInLocalRange(zone: ZoneOffsets, localStart: number, localEnd: number, notBefore: number) {
  const stop = localEnd + MAX_ABS_OFFSET_MS;
  for (let t = Math.max(notBefore, localStart - MAX_ABS_OFFSET_MS); t < stop; ) {
    const offset = zone.offsetAt(t);
    const end = zone.segmentEnd(t);
    const lo = Math.max(t, localStart - offset);
    if (lo < Math.min(end, localEnd - offset)) return lo;
    t = end;
  }
  return null;
}

/** The earliest open instant ≥ `from`, or null when the window never opens again (see SEARCH_HORIZON_DAYS). */
export function nextOpenAt(cw: CompiledWindow, from: number): number | null {
  if (isOpenAt(cw, from)) return from;
  const zone = cw.zone;
  const fromDay = Math.floor((from + zone.offsetAt(from)) / MS_PER_DAY);
  const lastDay = Math.min(cw.endDay, Math.max(fromDay, cw.lastFilterDay) + SEARCH_HORIZON_DAYS);
  let best = Infinity;
  let maxOffsetBeforeBest = Infinity;
  // Two days back: after a fall-back across midnight, later instants can show an earlier local date.
  let day: number | null = fromDay - 2;
  while ((day = nextPermittedDay(cw, day, lastDay)) !== null) {
    const start = day * MS_PER_DAY + cw.firstMs;
    // Instants of this or later dates that come before `best` would need a larger offset than any near `best`.
    if (start - maxOffsetBeforeBest >= best) break;
    const candidate = firstInstantInLocalRange(zone, start, start + cw.durationMs, from);
    if (candidate !== null && candidate < best) {
      best = candidate;
      maxOffsetBeforeBest = zone.maxOffsetBetween(Math.max(from, best - 2 * MAX_ABS_OFFSET_MS), best);
    }
    day += 1;
  }
  return best === Infinity ? null : best;
}

/**
 * The first instant after `t` that is not open (the end of the run holding
 * `t`), MAX_INSTANT_MS when the run never ends, or null when `t` is not open.
 *
 * A run can end at either edge of a local range: past its end, or, when a
 * fall-back turns the clock back, before its start (the repeated times belong
 * to the previous date, which may be blocked). So even a range without an end
 * is followed offset piece by offset piece until no offset can show a local
 * time before its start.
 */
export function closeAfter(cw: CompiledWindow, t: number): number | null {
  const zone = cw.zone;
  let cursor = t;
  for (let step = 0; step < MAX_RUN_STEPS; step++) {
    const offset = zone.offsetAt(cursor);
    const range = rangeContaining(cw, cursor + offset);
    if (range === null) return step === 0 ? null : cursor;
    const safeUntil = range.end - MAX_ABS_OFFSET_MS;
    if (cursor >= range.start + MAX_ABS_OFFSET_MS && cursor < safeUntil) {
      // Every instant in [cursor, safeUntil) has a local time inside the range, whatever its offset.
      if (safeUntil === Infinity) return MAX_INSTANT_MS;
      cursor = safeUntil;
      continue;
    }
    cursor = Math.min(zone.segmentEnd(cursor), range.end - offset);
  }
  throw new Error(`window run from ${new Date(t).toISOString()} did not resolve in ${MAX_RUN_STEPS} steps`);
}

/** Maximal open runs clipped to [from, to), in order; touching runs are already one run. */
export function openRuns(cw: CompiledWindow, from: number, to: number): [number, number][] {
  const runs: [number, number][] = [];
  let cursor = from;
  while (cursor < to) {
    const start = nextOpenAt(cw, cursor);
    if (start === null || start >= to) break;
    const end = closeAfter(cw, start)!;
    runs.push([start, Math.min(end, to)]);
    cursor = end;
  }
  return runs;
}
