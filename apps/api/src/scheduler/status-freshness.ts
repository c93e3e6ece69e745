// How the scheduler status changes with the clock alone, for the conditional
// GETs (plugins/conditional-get.ts): `currentTime` always (left out of the
// tag), `nextWakeTime` while something is due now (it is then the request's
// instant: "now"), and `minutesUntilWake` with the message built from it, once
// a minute until the wake. Everything else changes when something writes or
// the worker acts.
import type { Freshness } from '../plugins/conditional-get.ts';

interface StatusTimes {
  currentTime: string;
  nextWakeTime: string | null;
  minutesUntilWake: number | null;
}

export const statusFreshness: Freshness<{ data: StatusTimes }> = {
  stable: ({ data }) => {
    const { currentTime, ...rest } = data;
    return data.nextWakeTime === currentTime ? { ...rest, nextWakeTime: 'now' } : rest;
  },
  expires: ({ data }, now) => {
    if (data.nextWakeTime === null || data.minutesUntilWake === null) return null;
    const wake = Date.parse(data.nextWakeTime);
    // minutesUntilWake = ceil(ms left / 1 min): it drops by one when ms left reaches (minutes - 1) whole minutes.
    const tick = wake - Math.max(0, data.minutesUntilWake - 1) * 60_000;
    return new Date(Math.max(tick, now.getTime()));
  },
};
