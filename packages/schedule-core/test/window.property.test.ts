// Property tests: the implementation against the brute-force minute-by-minute
// oracle, over random windows in many zones and instants clustered around real
// DST and date-line transitions.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { isWindowOpen, nextWindowOpen, openIntervals, windowCloseAfter } from '../src/index.ts';
import { arbWindowCase } from './arbitraries.ts';
import { oracleOpen, scanCloseAfter, scanIntervals, scanNextOpen } from './oracle.ts';

const HOUR = 3_600_000;
const SCAN_MINUTES = 3 * 24 * 60;
const SLOW = 120_000;

describe('window rules match the minute-by-minute oracle', () => {
  test('isWindowOpen', () => {
    fc.assert(
      fc.property(arbWindowCase, ({ w, t }) => {
        expect(isWindowOpen(w, new Date(t))).toBe(oracleOpen(w, t));
      }),
      { numRuns: 3000 },
    );
  });

  test('nextWindowOpen', () => {
    fc.assert(
      fc.property(arbWindowCase, ({ w, t }) => {
        const expected = scanNextOpen((x) => oracleOpen(w, x), t, SCAN_MINUTES);
        const got = nextWindowOpen(w, new Date(t))?.getTime() ?? null;
        if (expected !== undefined) {
          expect(got).toBe(expected);
          return;
        }
        // Nothing within the scan: the answer is null, or later and truly an opening.
        if (got === null) return;
        expect(got).toBeGreaterThan(t + SCAN_MINUTES * 60_000);
        expect(oracleOpen(w, got)).toBe(true);
        expect(oracleOpen(w, got - 1)).toBe(false);
      }),
      { numRuns: 300 },
    );
  }, SLOW);

  test('windowCloseAfter', () => {
    fc.assert(
      fc.property(arbWindowCase, ({ w, t }) => {
        const expected = scanCloseAfter((x) => oracleOpen(w, x), t, SCAN_MINUTES);
        const got = windowCloseAfter(w, new Date(t))?.getTime() ?? null;
        if (expected !== undefined) {
          expect(got).toBe(expected);
          return;
        }
        expect(got).toBeGreaterThan(t + SCAN_MINUTES * 60_000);
      }),
      { numRuns: 300 },
    );
  }, SLOW);

  test('openIntervals over 36 hours', () => {
    fc.assert(
      fc.property(arbWindowCase, ({ w, t }) => {
        const to = t + 36 * HOUR;
        const expected = scanIntervals((x) => oracleOpen(w, x), t, to);
        const got = openIntervals(w, new Date(t), new Date(to)).map((i) => [i.start.getTime(), i.end.getTime()]);
        expect(got).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  }, SLOW);
});
