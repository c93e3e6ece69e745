// Finds the compiled form of a window by its contents, validating each
// distinct window once.
//
// The wake plan looks up 100,000 windows per call, mostly fresh objects with
// repeated contents, so the lookup hashes the fields straight into a number
// (no key strings to build) and confirms a hit field by field against a
// private copy of the input, kept compact (weekdays packed into one number)
// so a hit touches little memory. Invariant: a cached entry is only returned
// for input equal, field by field, to the input that was validated.
import { buildCompiledWindow, type CompiledWindow } from './compiled-window.ts';
import type { CallingWindow } from './types.ts';
import { validateWindow } from './window-validation.ts';

class Entry {
  constructor(
    readonly timezone: string,
    readonly firstCallTime: string,
    readonly lastCallTime: string,
    readonly startDate: string | null,
    readonly endDate: string | null,
    readonly daysCode: number,
    readonly blackoutDates: readonly string[],
    readonly compiled: CompiledWindow,
    readonly next: Entry | null, // the rest of the hash chain
  ) {}
}

const MAX_CACHED = 50_000;
const NO_DAYS = -1;
const chains = new Map<number, Entry>();
let size = 0;

/** The compiled window for `w`; throws a RangeError listing every problem when it is invalid. */
export function compileWindow(w: CallingWindow): CompiledWindow {
  const daysCode = packDays(w);
  const hash = daysCode === null ? null : hashWindow(w, daysCode);
  for (let entry = hash === null ? undefined : chains.get(hash); entry; entry = entry.next ?? undefined) {
    if (sameContents(entry, w, daysCode!)) return entry.compiled;
  }
  const checked = validateWindow(w);
  if (!checked.ok) throw new RangeError(`invalid calling window: ${checked.errors.join('; ')}`);
  const compiled = buildCompiledWindow(checked.value);
  if (hash !== null) remember(hash, w, daysCode!, compiled);
  return compiled;
}

function remember(hash: number, w: CallingWindow, daysCode: number, compiled: CompiledWindow): void {
  if (size >= MAX_CACHED) {
    chains.clear();
    size = 0;
  }
  const blackouts = w.blackoutDates ? [...w.blackoutDates] : [];
  const entry = new Entry(
    w.timezone,
    w.firstCallTime,
    w.lastCallTime,
    w.startDate ?? null,
    w.endDate ?? null,
    daysCode,
    blackouts,
    compiled,
    chains.get(hash) ?? null,
  );
  chains.set(hash, entry);
  size++;
}

function sameContents(entry: Entry, w: CallingWindow, daysCode: number): boolean {
  if (
    entry.daysCode !== daysCode ||
    entry.timezone !== w.timezone ||
    entry.firstCallTime !== w.firstCallTime ||
    entry.lastCallTime !== w.lastCallTime ||
    entry.startDate !== (w.startDate ?? null) ||
    entry.endDate !== (w.endDate ?? null)
  ) {
    return false;
  }
  const mine = entry.blackoutDates;
  const theirs = w.blackoutDates ?? [];
  if (mine.length !== theirs.length) return false;
  for (let i = 0; i < mine.length; i++) if (mine[i] !== theirs[i]) return false;
  return true;
}

/**
 * The weekday list as one number (base-16 digits d + 1, so lists of different
 * lengths differ), NO_DAYS when absent, or null when it cannot be packed
 * (not a short list of small integers): such windows are validated every time.
 */
function packDays(w: CallingWindow): number | null {
  if (typeof w !== 'object' || w === null) return null;
  const days: unknown = w.daysOfWeek;
  if (days === undefined || days === null) return NO_DAYS;
  if (!Array.isArray(days) || days.length > 12) return null;
  let code = 0;
  for (const day of days) {
    if (!Number.isInteger(day) || day < 0 || day > 14) return null;
    code = code * 16 + day + 1;
  }
  return code;
}

/** FNV-1a over the fields; null when a field has a shape no valid window has (validation will say why). */
function hashWindow(w: CallingWindow, daysCode: number): number | null {
  const { timezone, firstCallTime, lastCallTime, startDate, endDate, blackoutDates } = w;
  if (typeof timezone !== 'string' || typeof firstCallTime !== 'string' || typeof lastCallTime !== 'string') return null;
  let h = hashText(hashText(hashText(0x811c9dc5, timezone), firstCallTime), lastCallTime);
  h = Math.imul(h ^ (daysCode % 0x10000000), 0x01000193);
  h = hashText(hashText(h, typeof startDate === 'string' ? startDate : ''), typeof endDate === 'string' ? endDate : '');
  if (blackoutDates !== undefined && blackoutDates !== null) {
    if (!Array.isArray(blackoutDates)) return null;
    for (const date of blackoutDates) {
      if (typeof date !== 'string') return null;
      h = hashText(h, date);
    }
  }
  return h & 0x3fffffff; // a small integer keeps Map lookups on the fast path
}

function hashText(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return Math.imul(h ^ 0xff, 0x01000193);
}
