// A calling window turned into integers, and the date filters over them.
//
// Hot paths never re-parse strings: window-cache.ts validates each distinct
// window once and keeps its compiled form. A compiled window is a daily local
// range starting `firstMs` after local midnight and lasting `durationMs`
// (0 < duration ≤ one day; exactly one day is a 24-hour window), kept only on
// the local dates the filters permit: ISO weekday, startDate..endDate
// inclusive, not blacked out.
import { MS_PER_MINUTE, isoWeekday, parseIsoDate, parseWallTime } from './civil-date.ts';
import type { CallingWindow, RecipientHours } from './types.ts';
import { zoneOffsets, type ZoneOffsets } from './zone-offsets.ts';

export interface CompiledWindow {
  /** Distinct for distinct contents while cached: a short key for memos built on top. */
  readonly id: number;
  readonly zone: ZoneOffsets;
  readonly firstMs: number;
  readonly durationMs: number;
  /** daysToAllowed[isoWeekday] = days from that weekday to the next permitted one (0 when permitted). */
  readonly daysToAllowed: readonly number[];
  readonly everyWeekday: boolean;
  readonly startDay: number; // -Infinity when unbounded
  readonly endDay: number; // +Infinity when unbounded
  readonly blackouts: ReadonlySet<number>;
  readonly sortedBlackouts: readonly number[];
  /** The last date on which a date filter changes anything; after it the weekly pattern repeats forever. */
  readonly lastFilterDay: number;
}

let nextId = 1;
const hoursCache = new Map<string, CompiledWindow>();

/** Recipient hours in a zone, as a window open on every date. Inputs must already be valid. */
export function compileHours(hours: RecipientHours, zone: string): CompiledWindow {
  const key = `${zone}|${hours.start}|${hours.end}`;
  let compiled = hoursCache.get(key);
  if (!compiled) {
    if (hoursCache.size >= 10_000) hoursCache.clear();
    compiled = buildCompiledWindow({ timezone: zone, firstCallTime: hours.start, lastCallTime: hours.end });
    hoursCache.set(key, compiled);
  }
  return compiled;
}

/** The compiled form of a window that validateWindow accepted (normalised). */
export function buildCompiledWindow(v: CallingWindow): CompiledWindow {
  const firstMinute = parseWallTime(v.firstCallTime);
  const lastMinute = parseWallTime(v.lastCallTime);
  if (firstMinute === null || lastMinute === null) throw new RangeError(`invalid wall-clock times in ${JSON.stringify(v)}`);
  const durationMinutes = lastMinute > firstMinute ? lastMinute - firstMinute : lastMinute - firstMinute + 24 * 60;
  const sortedBlackouts = (v.blackoutDates ?? []).map((d) => parseIsoDate(d)!).sort((a, b) => a - b);
  const startDay = v.startDate ? parseIsoDate(v.startDate)! : -Infinity;
  const endDay = v.endDate ? parseIsoDate(v.endDate)! : Infinity;
  const days = v.daysOfWeek ?? [1, 2, 3, 4, 5, 6, 7];
  return {
    id: nextId++,
    zone: zoneOffsets(v.timezone),
    firstMs: firstMinute * MS_PER_MINUTE,
    durationMs: durationMinutes * MS_PER_MINUTE,
    daysToAllowed: daysToAllowedTable(days),
    everyWeekday: new Set(days).size === 7,
    startDay,
    endDay,
    blackouts: new Set(sortedBlackouts),
    sortedBlackouts,
    lastFilterDay: Math.max(startDay, sortedBlackouts.at(-1) ?? -Infinity),
  };
}

function daysToAllowedTable(days: readonly number[]): number[] {
  const allowed = new Set(days);
  const table = [Infinity];
  for (let weekday = 1; weekday <= 7; weekday++) {
    let gap = 0;
    while (gap < 7 && !allowed.has(((weekday - 1 + gap) % 7) + 1)) gap++;
    table.push(gap < 7 ? gap : Infinity);
  }
  return table;
}

export function isPermittedDay(cw: CompiledWindow, day: number): boolean {
  return (
    day >= cw.startDay && day <= cw.endDay && cw.daysToAllowed[isoWeekday(day)] === 0 && !cw.blackouts.has(day)
  );
}

/** The first permitted date ≥ `day` and ≤ `lastDay`, or null. Work is bounded by weekday jumps and the blackout count. */
export function nextPermittedDay(cw: CompiledWindow, day: number, lastDay: number): number | null {
  let d = Math.max(day, cw.startDay);
  const stop = Math.min(lastDay, cw.endDay);
  while (d <= stop) {
    const skip = cw.daysToAllowed[isoWeekday(d)]!;
    if (skip === Infinity) return null;
    if (skip > 0) d += skip;
    else if (cw.blackouts.has(d)) d += 1;
    else return d;
  }
  return null;
}

/** For a permitted `day`, the last date of the unbroken run of permitted dates that starts there (may be Infinity). */
export function lastConsecutivePermittedDay(cw: CompiledWindow, day: number): number {
  if (!cw.everyWeekday) {
    let d = day;
    while (isPermittedDay(cw, d + 1)) d++;
    return d;
  }
  const nextBlackout = firstAbove(cw.sortedBlackouts, day);
  return Math.min(cw.endDay, nextBlackout - 1);
}

/** For a permitted `day`, the first date of the unbroken run of permitted dates that ends there (may be -Infinity). */
export function firstConsecutivePermittedDay(cw: CompiledWindow, day: number): number {
  if (!cw.everyWeekday) {
    let d = day;
    while (isPermittedDay(cw, d - 1)) d--;
    return d;
  }
  const previousBlackout = lastBelow(cw.sortedBlackouts, day);
  return Math.max(cw.startDay, previousBlackout + 1);
}

/** Largest element < value in an ascending list, or -Infinity. */
function lastBelow(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? sorted[lo - 1]! : -Infinity;
}

/** Smallest element > value in an ascending list, or Infinity. */
function firstAbove(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! > value) hi = mid;
    else lo = mid + 1;
  }
  return sorted[lo] ?? Infinity;
}
