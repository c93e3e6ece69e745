// The calling-window questions of DESIGN.md §4, on Dates: is it open, when does
// it next open, where does the current run end, which runs fall in a span.
//
// Every function takes the instant it reasons about; none reads the clock, the
// environment or the host's time zone. Windows are validated on first use and
// cached by content; an invalid window throws a RangeError naming each problem.
import { compileWindow } from './window-cache.ts';
import { toDate, toMs } from './instant.ts';
import type { CallingWindow, Interval } from './types.ts';
import { closeAfter, isOpenAt, nextOpenAt, openRuns } from './window-runs.ts';

/** Whether a call may start at `at`: its local wall-clock time is inside the window on a permitted opening date. */
export function isWindowOpen(w: CallingWindow, at: Date): boolean {
  return isOpenAt(compileWindow(w), toMs(at, 'at'));
}

/** `from` itself when open, else the first instant after it that is open; null when the window never opens again. */
export function nextWindowOpen(w: CallingWindow, from: Date): Date | null {
  return toDate(nextOpenAt(compileWindow(w), toMs(from, 'from')));
}

/**
 * The first instant after `at` that is not open, i.e. where the run holding
 * `at` ends (touching windows, such as 24-hour windows on consecutive days, are
 * one run); null when the window is not open at `at`. A run that never ends
 * (an unrestricted 24-hour window) returns new Date(MAX_INSTANT_MS).
 */
export function windowCloseAfter(w: CallingWindow, at: Date): Date | null {
  return toDate(closeAfter(compileWindow(w), toMs(at, 'at')));
}

/** The open runs of a window clipped to [from, to), in order, merged where they touch. */
export function openIntervals(w: CallingWindow, from: Date, to: Date): Interval[] {
  const runs = openRuns(compileWindow(w), toMs(from, 'from'), toMs(to, 'to'));
  return runs.map(([start, end]) => ({ start: new Date(start), end: new Date(end) }));
}
