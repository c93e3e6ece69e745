// A brute-force reference for the window rules, written independently of the
// implementation: each instant's local time is the instant shifted by luxon's
// offset for it, read with Date's UTC getters; dates compare as ISO strings;
// searches step one minute at a time. Openness can only change on whole UTC
// minutes for the zones and years under test (whole-minute offsets), so a
// minute scan is exact.
import { DateTime, IANAZone } from 'luxon';
import type { CallingWindow, RecipientHours } from '../src/index.ts';

const MINUTE = 60_000;

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

// luxon's answer per zone and whole second, remembered because scans revisit the same minutes.
const offsetMemo = new Map<string, Map<number, number>>();
function offsetMinutes(zone: string, t: number): number {
  let memo = offsetMemo.get(zone);
  if (!memo || memo.size > 500_000) offsetMemo.set(zone, (memo = new Map()));
  const second = Math.floor(t / 1000);
  let offset = memo.get(second);
  if (offset === undefined) {
    offset = IANAZone.create(zone).offset(t);
    memo.set(second, offset);
  }
  return offset;
}

/** Whether the window may open on the local date that starts at `dayStart` (a UTC-midnight stand-in for the local date). */
function permitted(w: CallingWindow, dayStart: number): boolean {
  const date = new Date(dayStart);
  const weekday = date.getUTCDay() === 0 ? 7 : date.getUTCDay();
  if (w.daysOfWeek && !w.daysOfWeek.includes(weekday)) return false;
  const isoDate = date.toISOString().slice(0, 10);
  if (w.startDate && isoDate < w.startDate) return false;
  if (w.endDate && isoDate > w.endDate) return false;
  return !(w.blackoutDates ?? []).includes(isoDate);
}

/** A zone's UTC offset in minutes at an instant. */
export type OffsetMinutes = (t: number) => number;

/**
 * Membership: local time inside [D first, D first + length) for a permitted
 * opening date D (today or yesterday). Offsets come from luxon unless the
 * caller supplies them (e.g. a zone's two offsets around one transition).
 */
export function oracleOpen(w: CallingWindow, t: number, offsetOf?: OffsetMinutes): boolean {
  // The local wall clock as if it were UTC: the instant shifted by the zone's offset.
  const local = new Date(t + (offsetOf ? offsetOf(t) : offsetMinutes(w.timezone, t)) * MINUTE);
  const dayStart = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
  const msOfDay = local.getTime() - dayStart;
  const first = minutes(w.firstCallTime) * MINUTE;
  const last = minutes(w.lastCallTime) * MINUTE;
  const length = last > first ? last - first : last - first + 1440 * MINUTE;
  const intoToday = msOfDay - first;
  if (intoToday >= 0 && intoToday < length && permitted(w, dayStart)) return true;
  const intoYesterday = msOfDay + 1440 * MINUTE - first;
  return intoYesterday < length && permitted(w, dayStart - 1440 * MINUTE);
}

export function hoursAsWindow(hours: RecipientHours, zone: string): CallingWindow {
  return { timezone: zone, firstCallTime: hours.start, lastCallTime: hours.end };
}

export type OpenTest = (t: number) => boolean;

/** `from` if open, else the first open minute after it within `horizonMinutes`; undefined when none in range. */
export function scanNextOpen(open: OpenTest, from: number, horizonMinutes: number): number | undefined {
  if (open(from)) return from;
  let t = Math.floor(from / MINUTE) * MINUTE + MINUTE;
  for (let i = 0; i < horizonMinutes; i++, t += MINUTE) if (open(t)) return t;
  return undefined;
}

/** The first minute after `at` that is not open, within the horizon; null when `at` is not open. */
export function scanCloseAfter(open: OpenTest, at: number, horizonMinutes: number): number | null | undefined {
  if (!open(at)) return null;
  let t = Math.floor(at / MINUTE) * MINUTE + MINUTE;
  for (let i = 0; i < horizonMinutes; i++, t += MINUTE) if (!open(t)) return t;
  return undefined;
}

/** Open runs in [from, to) by minute scan, as [start, end) epoch-ms pairs. */
export function scanIntervals(open: OpenTest, from: number, to: number): [number, number][] {
  const runs: [number, number][] = [];
  let runStart: number | null = open(from) ? from : null;
  for (let t = Math.floor(from / MINUTE) * MINUTE + MINUTE; t < to; t += MINUTE) {
    const isOpen = open(t);
    if (isOpen && runStart === null) runStart = t;
    if (!isOpen && runStart !== null) {
      runs.push([runStart, t]);
      runStart = null;
    }
  }
  if (runStart !== null) runs.push([runStart, to]);
  return runs;
}

/**
 * Instants where the zone's offset changes, to the minute, between two years
 * (for clustering test instants). Offsets are sampled every `stepMs`, so two
 * changes within one step that cancel out are not seen.
 */
export function findTransitions(zone: string, fromYear: number, toYear: number, stepMs = 6 * 3_600_000): number[] {
  const offset = (t: number) => DateTime.fromMillis(t, { zone }).offset;
  const found: number[] = [];
  const end = Date.UTC(toYear + 1, 0, 1);
  for (let t = Date.UTC(fromYear, 0, 1); t < end; t += stepMs) {
    const next = t + stepMs;
    if (offset(t) === offset(next)) continue;
    let lo = t;
    let hi = next;
    while (hi - lo > MINUTE) {
      const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
      if (offset(mid) === offset(lo)) lo = mid;
      else hi = mid;
    }
    found.push(hi);
  }
  return found;
}
