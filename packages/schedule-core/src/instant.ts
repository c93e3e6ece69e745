// Conversions at the edge of the public API: Dates in, epoch milliseconds
// inside, fresh Dates out (a returned Date is never shared, so callers may
// mutate it). An invalid Date, or one outside years 0001–9999, is a
// programming error and throws: searches run a few years past their input and
// must stay inside what Date and Intl can represent.

/** The largest instant a Date can hold; a run that never ends "closes" here. */
export const MAX_INSTANT_MS = 8.64e15;

/** 0001-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z. */
const MIN_SUPPORTED_MS = -62_135_596_800_000;
const MAX_SUPPORTED_MS = 253_402_300_799_999;

export function toMs(value: Date, name: string): number {
  const ms = value instanceof Date ? value.getTime() : Number.NaN;
  if (!(ms >= MIN_SUPPORTED_MS && ms <= MAX_SUPPORTED_MS)) {
    throw new RangeError(`${name} must be a valid Date in years 0001–9999, got ${String(value)}`);
  }
  return ms;
}

export function toDate(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}
