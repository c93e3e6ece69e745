// The one retry-with-backoff helper: waits double each time, stops at the first
// success or at a final failure, never waits after the last try, never throws.
import { describe, expect, it } from 'vitest';
import { retryWithBackoff, type TryResult } from '../src/retry.ts';

function script(results: TryResult<string>[]) {
  const waits: number[] = [];
  const tries: number[] = [];
  const run = () => retryWithBackoff(async (n) => { tries.push(n); return results[n - 1]!; }, {
    attempts: 4, backoffMs: 100, sleep: async (ms) => void waits.push(ms),
  });
  return { run, waits, tries };
}

describe('retryWithBackoff', () => {
  it('backs off 1×, 2×, 4× and returns the first success with its attempt number', async () => {
    const s = script([{ ok: false, reason: 'a' }, { ok: false, reason: 'b' }, { ok: false, reason: 'c' }, { ok: true, value: 'yes' }]);
    expect(await s.run()).toEqual({ ok: true, value: 'yes', attempts: 4 });
    expect(s.waits).toEqual([100, 200, 400]);
  });

  it('gives up after the last try with its reason, and does not wait after it', async () => {
    const s = script(Array.from({ length: 4 }, (_, i) => ({ ok: false as const, reason: `HTTP 50${i}` })));
    expect(await s.run()).toEqual({ ok: false, reason: 'HTTP 503', attempts: 4 });
    expect(s.waits).toEqual([100, 200, 400]);
  });

  it('stops at once on a final failure', async () => {
    const s = script([{ ok: false, reason: 'HTTP 503' }, { ok: false, reason: 'HTTP 401', final: true }]);
    expect(await s.run()).toEqual({ ok: false, reason: 'HTTP 401', attempts: 2 });
    expect(s.tries).toEqual([1, 2]);
    expect(s.waits).toEqual([100]);
  });
});
