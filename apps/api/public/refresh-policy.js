// When the status page may ask the API for fresh data.
//
// Every refresh is a query, and a query keeps a serverless database awake, so a
// dashboard left open must stop asking. The rule: refresh only while the tab is
// visible AND someone touched the page (pointer, key, scroll, focus) within the
// idle window (10 minutes). Pure functions of plain values: the page passes the
// clock in, the unit test drives it.

export const IDLE_AFTER_MS = 10 * 60 * 1000;
export const REFRESH_EVERY_MS = 15 * 1000;
/** The shortest idle window the `?idleAfterMs=` URL parameter may ask for. */
export const MIN_IDLE_AFTER_MS = 1000;

/**
 * True when the page may refresh now.
 * @param {{ visible: boolean, lastInteractionAt: number, now: number, idleAfterMs?: number }} input
 */
export function shouldRefresh({ visible, lastInteractionAt, now, idleAfterMs = IDLE_AFTER_MS }) {
  if (!visible) return false;
  if (!Number.isFinite(lastInteractionAt) || !Number.isFinite(now)) return false;
  return now - lastInteractionAt < idleAfterMs;
}

/**
 * Milliseconds until the idle window runs out (0 when it already has): the page
 * arms a timer for this so the pause notice appears on time, not at the next tick.
 * @param {{ lastInteractionAt: number, now: number, idleAfterMs?: number }} input
 */
export function msUntilIdle({ lastInteractionAt, now, idleAfterMs = IDLE_AFTER_MS }) {
  return Math.max(0, lastInteractionAt + idleAfterMs - now);
}

/**
 * The idle window the page uses. `?idleAfterMs=N` may only shorten it (down to
 * one second), never lengthen it, so the parameter can never keep a database
 * awake longer than the rule allows; anything else gives the default.
 * @param {string} search  location.search, e.g. "?idleAfterMs=2000"
 */
export function idleAfterMsFrom(search) {
  const raw = new URLSearchParams(search).get('idleAfterMs');
  if (raw === null || !/^\d+$/.test(raw)) return IDLE_AFTER_MS;
  return Math.min(IDLE_AFTER_MS, Math.max(MIN_IDLE_AFTER_MS, Number(raw)));
}
