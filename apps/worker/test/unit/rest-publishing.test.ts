// When the worker writes its rest to worker_state (worker-report.ts): on every
// change of state, always before sleeping, else at most every
// REST_PUBLISH_EVERY_MS while it keeps waiting between dials.
import { describe, expect, it } from 'vitest';
import { REST_PUBLISH_EVERY_MS, restNeedsPublishing } from '../../src/worker-report.ts';

const T = new Date('2026-03-02T15:00:00Z');
const after = (ms: number) => new Date(T.getTime() + ms);

describe('restNeedsPublishing', () => {
  it.each([
    ['nothing written yet', null, 'waiting', T, true],
    ['the state changed', { state: 'waiting', at: T }, 'asleep', after(1), true],
    ['going to sleep again (its next wake must be there)', { state: 'asleep', at: T }, 'asleep', after(1), true],
    ['still waiting, just written', { state: 'waiting', at: T }, 'waiting', after(REST_PUBLISH_EVERY_MS - 1), false],
    ['still waiting, the row is old', { state: 'waiting', at: T }, 'waiting', after(REST_PUBLISH_EVERY_MS), true],
    ['the clock went back', { state: 'waiting', at: T }, 'waiting', after(-1000), true],
  ] as const)('%s → %s', (_what, last, state, at, expected) => {
    expect(restNeedsPublishing(last, state, at)).toBe(expected);
  });
});
