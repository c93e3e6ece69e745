// calls_per_minute pacing slots (pure): spacing, the one-second burst, no
// banking of idle time, and the rate held over a long run.
import { describe, expect, it } from 'vitest';
import { grantPacingSlots, pacingReadyAt } from '../src/pacing.ts';

const t = (s: number) => new Date(Date.UTC(2026, 2, 2, 15, 0, s));

describe('pacing', () => {
  it('grants slots spaced 60/cpm seconds apart, with at most one second of burst', () => {
    expect(grantPacingSlots(null, null, t(0), 7)).toMatchObject({ count: 7 });
    expect(grantPacingSlots(6, null, t(0), 5)).toMatchObject({ count: 1, lastSlotAt: t(0), readyAt: t(10) });
    expect(grantPacingSlots(6, t(0), t(5), 5)).toMatchObject({ count: 0, readyAt: t(10) });
    expect(grantPacingSlots(6, t(0), t(3600), 5)).toMatchObject({ count: 1 }); // an idle hour is not banked
    expect(grantPacingSlots(600, null, t(0), 50)).toMatchObject({ count: 10 });
    expect(grantPacingSlots(600, t(0), new Date(t(0).getTime() + 500), 50).count).toBe(5);
    expect(pacingReadyAt(6, t(0))).toEqual(t(10));
    expect(pacingReadyAt(null, t(0))).toBeNull();
  });

  it('never exceeds the rate over a long run', () => {
    let last: Date | null = null;
    let total = 0;
    for (let ms = 0; ms <= 60_000; ms += 137) {
      const g = grantPacingSlots(120, last, new Date(Date.UTC(2026, 0, 1) + ms), 100);
      total += g.count;
      last = g.lastSlotAt;
    }
    expect(total).toBeLessThanOrEqual(120 + 2);
    expect(total).toBeGreaterThanOrEqual(118);
  });
});
