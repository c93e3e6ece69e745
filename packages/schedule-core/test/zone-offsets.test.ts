// The offset cache against luxon itself, at random instants over decades and
// in every zone the runtime knows, and the host-zone independence of results.
import fc from 'fast-check';
import { IANAZone } from 'luxon';
import { describe, expect, test } from 'vitest';
import { zoneOffsets } from '../src/zone-offsets.ts';
import { ZONES } from './arbitraries.ts';

const ALL_ZONES = Intl.supportedValuesOf('timeZone');

describe('zone offset cache', () => {
  test('agrees with luxon at random instants 1970-2040 in the test zones', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: 0, max: Date.UTC(2040, 0, 1) }), (zone, t) => {
        expect(zoneOffsets(zone).offsetAt(t)).toBe(IANAZone.create(zone).offset(t) * 60_000);
      }),
      { numRuns: 2000 },
    );
  });

  test('agrees with luxon in every zone this runtime knows, 2000-2035', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ALL_ZONES), fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2035, 0, 1) }), (zone, t) => {
        expect(zoneOffsets(zone).offsetAt(t)).toBe(IANAZone.create(zone).offset(t) * 60_000);
      }),
      { numRuns: 3000 },
    );
  });

  test('segments tile time with no gaps and change offset exactly at transitions', () => {
    const zone = zoneOffsets('America/New_York');
    const pieces: [number, number, number][] = [];
    zone.forEachSegment(Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1), (start, end, offset) => {
      pieces.push([start, end, offset]);
    });
    for (let i = 1; i < pieces.length; i++) expect(pieces[i]![0]).toBe(pieces[i - 1]![1]);
    const changes = pieces.filter((p, i) => i > 0 && p[2] !== pieces[i - 1]![2]).map((p) => new Date(p[0]).toISOString());
    expect(changes).toEqual(['2026-03-08T07:00:00.000Z', '2026-11-01T06:00:00.000Z']);
  });
});

describe('host time zone', () => {
  test('the suite really runs under the configured host zone, which the results never depend on', () => {
    const zone = process.env.TZ;
    expect(zone).toBeTruthy();
    const instant = Date.UTC(2026, 6, 1);
    // Date's local methods follow the host zone; schedule-core never calls them.
    expect(-new Date(instant).getTimezoneOffset()).toBe(IANAZone.create(zone!).offset(instant));
  });
});
