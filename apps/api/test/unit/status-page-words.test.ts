// The status page's sentences: instants named in a zone (across a DST change),
// and the worker headline the issue asks for (durations: duration-words.test.ts).
import { describe, expect, it } from 'vitest';
import { describeWorker, formatInstant, humanizeKey } from '../../public/describe-status.js';

const NY = 'America/New_York';

describe('formatInstant', () => {
  it('names the weekday and the wall-clock time in the given zone, on both sides of a DST change', () => {
    expect(formatInstant('2026-03-02T14:00:00Z', NY)).toBe('Mon 09:00 America/New_York'); // EST, UTC-5
    expect(formatInstant('2026-03-09T13:00:00Z', NY)).toBe('Mon 09:00 America/New_York'); // EDT, UTC-4
  });

  it('adds the date when the instant is a week or more away', () => {
    const now = Date.parse('2026-03-02T12:00:00Z');
    expect(formatInstant('2026-03-16T13:00:00Z', NY, now)).toBe('Mon 16 Mar 09:00 America/New_York');
  });
});

describe('describeWorker', () => {
  const now = Date.parse('2026-03-02T10:40:00Z');

  it('says when a sleeping database will wake, in words', () => {
    const words = describeWorker({ workerState: 'asleep', nextWakeTime: '2026-03-02T14:00:00Z' }, { now, timeZone: NY });
    expect(words.state).toBe('asleep');
    expect(words.headline).toBe('Asleep — database will wake in 3 h 20 min (Mon 09:00 America/New_York)');
  });

  it('says the database can sleep indefinitely when nothing is planned', () => {
    expect(describeWorker({ workerState: 'asleep', nextWakeTime: null }, { now, timeZone: NY }).headline)
      .toMatch(/^Asleep — nothing is scheduled/);
  });

  it('names the source of a published (not live) state and its age', () => {
    const words = describeWorker({ workerState: 'waiting', workerStateSource: 'published', workerStateAgeSeconds: 300 }, { now, timeZone: NY });
    expect(words.headline).toMatch(/^Waiting — /);
    expect(words.detail).toBe('The worker did not answer; this is the state it last published, 5 min ago.');
  });

  it('does not guess an unknown state', () => {
    expect(describeWorker({ workerState: 'sideways' }, { now, timeZone: NY }).state).toBe('unknown');
    expect(describeWorker({ workerState: 'unknown', workerStateSource: 'unknown', workerStateAgeSeconds: null }, { now, timeZone: NY }).detail)
      .toBe('The worker did not answer and has not published a state yet.');
    expect(describeWorker(null, { now, timeZone: NY }).headline).toBe('Worker state unknown');
  });
});

describe('humanizeKey', () => {
  it('turns counter names into words', () => {
    expect(humanizeKey('callsDialed')).toBe('Calls dialed');
    expect(humanizeKey('db_wakes')).toBe('Db wakes');
  });
});
