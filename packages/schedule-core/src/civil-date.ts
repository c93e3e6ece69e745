// Civil (calendar) dates and wall-clock times as plain integers.
//
// A local date is an "epoch day": days since 1970-01-01 in the proleptic
// Gregorian calendar, with no time zone attached. A wall-clock time is
// milliseconds since local midnight. Everything here is integer arithmetic, so
// the host's time zone and the Date parser never take part.

export const MS_PER_MINUTE = 60_000;
export const MS_PER_DAY = 86_400_000;

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const YYYY_MM_DD = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Epoch day of a proleptic Gregorian date (month 1–12). */
function epochDayFromCivil(year: number, month: number, day: number): number {
  // Count from March so the leap day is the last day of the counted year.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const shiftedMonth = month > 2 ? month - 3 : month + 9;
  const dayOfYear = Math.floor((153 * shiftedMonth + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The date of an epoch day, as [year, month 1–12, day 1–31]. */
function civilFromEpochDay(epochDay: number): [number, number, number] {
  const z = epochDay + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

/** ISO weekday of an epoch day: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
export function isoWeekday(epochDay: number): number {
  return ((((epochDay + 3) % 7) + 7) % 7) + 1;
}

/** Strictly parses "YYYY-MM-DD" naming a real date; null otherwise. */
export function parseIsoDate(text: string): number | null {
  const match = YYYY_MM_DD.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const epochDay = epochDayFromCivil(year, month, day);
  const [, backMonth, backDay] = civilFromEpochDay(epochDay);
  return backMonth === month && backDay === day ? epochDay : null;
}

/** Whether the text has the shape YYYY-MM-DD, real or not (for error messages). */
export function looksLikeIsoDate(text: string): boolean {
  return YYYY_MM_DD.test(text);
}

/** Strictly parses "HH:mm" (24-hour, two digits each, 00:00–23:59) into minutes after midnight. */
export function parseWallTime(text: string): number | null {
  const match = HH_MM.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}
