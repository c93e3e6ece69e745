// Durations in words, the one module both the status page and the API's status
// sentence use: the compact vocabulary rounds to the minute, the words round up.
import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../public/duration-words.js';

describe('formatDuration, compact (the status page)', () => {
  it.each([
    [10_000, 'under a minute'],
    [45 * 60_000, '45 min'],
    [60 * 60_000, '1 h'],
    [(3 * 60 + 20) * 60_000, '3 h 20 min'],
    [(50 * 60 + 10) * 60_000, '2 d 2 h'],
    [48 * 3_600_000, '2 d'],
  ])('%i ms → %s', (ms, words) => {
    expect(formatDuration(ms)).toBe(words);
  });
});

describe('formatDuration, words (the API\'s status sentence)', () => {
  it.each([
    [20_000, 'less than a minute'], [60_000, '1 minute'], [61_000, '2 minutes'], [119 * 60_000, '119 minutes'],
    [120 * 60_000, '2 hours'], [125 * 60_000, '2 hours 5 minutes'], [47 * 3_600_000, '47 hours'],
    [48 * 3_600_000, '2 days'], [(3 * 24 + 4) * 3_600_000, '3 days 4 hours'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms, 'words')).toBe(text);
  });
});
