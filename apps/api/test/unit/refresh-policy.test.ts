// The status page's pause rule: refresh only while the tab is visible and the
// user interacted within the idle window; the URL may only shorten that window.
import { describe, expect, it } from 'vitest';
import {
  IDLE_AFTER_MS, MIN_IDLE_AFTER_MS, idleAfterMsFrom, msUntilIdle, shouldRefresh,
} from '../../public/refresh-policy.js';

const now = Date.parse('2026-03-02T12:00:00Z');

describe('shouldRefresh', () => {
  it('refreshes while the tab is visible and the user interacted recently', () => {
    expect(shouldRefresh({ visible: true, lastInteractionAt: now - 1000, now })).toBe(true);
    expect(shouldRefresh({ visible: true, lastInteractionAt: now, now })).toBe(true);
  });

  it('stops when the tab is hidden, however recent the interaction', () => {
    expect(shouldRefresh({ visible: false, lastInteractionAt: now, now })).toBe(false);
  });

  it('stops once 10 minutes pass without interaction (the window is half-open)', () => {
    expect(IDLE_AFTER_MS).toBe(10 * 60 * 1000);
    expect(shouldRefresh({ visible: true, lastInteractionAt: now - IDLE_AFTER_MS + 1, now })).toBe(true);
    expect(shouldRefresh({ visible: true, lastInteractionAt: now - IDLE_AFTER_MS, now })).toBe(false);
    expect(shouldRefresh({ visible: true, lastInteractionAt: now - 3_600_000, now })).toBe(false);
  });

  it('uses a shorter idle window when given one', () => {
    expect(shouldRefresh({ visible: true, lastInteractionAt: now - 1500, now, idleAfterMs: 2000 })).toBe(true);
    expect(shouldRefresh({ visible: true, lastInteractionAt: now - 2000, now, idleAfterMs: 2000 })).toBe(false);
  });

  it('refuses nonsense instants rather than polling forever', () => {
    expect(shouldRefresh({ visible: true, lastInteractionAt: Number.NaN, now })).toBe(false);
    expect(shouldRefresh({ visible: true, lastInteractionAt: now, now: Number.NaN })).toBe(false);
  });
});

describe('msUntilIdle', () => {
  it('counts down to the end of the idle window and stops at zero', () => {
    expect(msUntilIdle({ lastInteractionAt: now, now })).toBe(IDLE_AFTER_MS);
    expect(msUntilIdle({ lastInteractionAt: now - 1000, now, idleAfterMs: 5000 })).toBe(4000);
    expect(msUntilIdle({ lastInteractionAt: now - 9000, now, idleAfterMs: 5000 })).toBe(0);
  });
});

describe('idleAfterMsFrom', () => {
  it('defaults to 10 minutes', () => {
    expect(idleAfterMsFrom('')).toBe(IDLE_AFTER_MS);
    expect(idleAfterMsFrom('?other=1')).toBe(IDLE_AFTER_MS);
  });

  it('may shorten the window, down to one second', () => {
    expect(idleAfterMsFrom('?idleAfterMs=2500')).toBe(2500);
    expect(idleAfterMsFrom('?idleAfterMs=10')).toBe(MIN_IDLE_AFTER_MS);
  });

  it('can never lengthen it, and ignores values that are not whole numbers', () => {
    expect(idleAfterMsFrom('?idleAfterMs=86400000')).toBe(IDLE_AFTER_MS);
    expect(idleAfterMsFrom('?idleAfterMs=-5')).toBe(IDLE_AFTER_MS);
    expect(idleAfterMsFrom('?idleAfterMs=1e9')).toBe(IDLE_AFTER_MS);
    expect(idleAfterMsFrom('?idleAfterMs=')).toBe(IDLE_AFTER_MS);
  });
});
