// The shapes other packages code against (DESIGN.md §4). Types only.

/**
 * A campaign's calling window in its IANA `timezone`. Half-open: a call may
 * start at an instant whose local wall-clock time is ≥ firstCallTime and <
 * lastCallTime; lastCallTime ≤ firstCallTime crosses midnight (equal = 24 h).
 * daysOfWeek (ISO 1 = Monday … 7 = Sunday), startDate, endDate (inclusive) and
 * blackoutDates filter by the local date on which the window opens.
 */
export interface CallingWindow {
  timezone: string;
  firstCallTime: string;
  lastCallTime: string;
  daysOfWeek?: number[];
  startDate?: string | null;
  endDate?: string | null;
  blackoutDates?: string[];
}

/** A half-open span of instants [start, end). */
export interface Interval {
  start: Date;
  end: Date;
}

/** Hours a recipient may be called, "HH:mm" in the contact's zone; half-open, end ≤ start crosses midnight, equal = all day. */
export interface RecipientHours {
  start: string;
  end: string;
}

export type Validation<T, E = string> = { ok: true; value: T } | { ok: false; errors: E[] };

export interface FieldError<F extends string> {
  field: F;
  message: string;
}
