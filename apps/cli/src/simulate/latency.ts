// Queue-to-dial latency of one run: for each dial, the time from the moment the
// call became dispatchable to the dial. "Dispatchable" is the latest of: its due
// time (campaign creation / direct call's not_before / previous outcome + retry
// delay), the opening of the window it was dialed in, the previous outcome in
// its campaign (a freed slot), and the previous dial plus the pacing interval.
// Waiting for a free slot or for a window is not latency; waiting for a poll is.
import { openIntervals } from '@wakeplan/schedule-core';
import type { ModeRun } from './run-mode.ts';

export interface Latency { meanSeconds: number; maxSeconds: number }

export function queueToDialLatency(run: ModeRun): Latency {
  const outcomeAt = new Map(run.outcomes.map((o) => [`${o.callId}:${o.attempt}`, o.at]));
  const freedAt = new OutcomeTimeline(run.outcomes);
  const directDueAt = new Map(run.directCalls.map((c) => [c.phone, c.dueAt]));
  const campaigns = new Map(run.campaigns.map((c) => [c.id, c]));
  const lastDial = new Map<string, number>();
  let sum = 0;
  let max = 0;
  const dials = [...run.dials].sort((a, b) => a.at - b.at);
  for (const d of dials) {
    const campaign = d.campaignId ? campaigns.get(d.campaignId) : undefined;
    let ready = directDueAt.get(d.phone) ?? d.at;
    if (campaign) {
      const f = campaign.fields;
      const previous = outcomeAt.get(`${d.callId}:${d.attempt - 1}`);
      const due = previous !== undefined ? previous + Number(f.retry_delay_minutes) * 60_000 : campaign.at;
      const windows = openIntervals(campaign.window, new Date(d.at - 3 * 86_400_000), new Date(d.at + 1));
      const opened = windows.at(-1)?.start.getTime() ?? d.at;
      const pace = f.calls_per_minute ? 60_000 / Number(f.calls_per_minute) : 0;
      const paced = (lastDial.get(campaign.id) ?? -Infinity) + pace;
      ready = Math.max(due, opened, freedAt.latest(campaign.id, d.at), paced);
      lastDial.set(campaign.id, d.at);
    }
    const seconds = Math.max(0, d.at - ready) / 1000;
    sum += seconds;
    max = Math.max(max, seconds);
  }
  return dials.length === 0 ? { meanSeconds: 0, maxSeconds: 0 } : { meanSeconds: sum / dials.length, maxSeconds: max };
}

/** Outcome instants per campaign; `latest` is asked with non-decreasing instants, so a cursor suffices. */
class OutcomeTimeline {
  private readonly times = new Map<string, number[]>();
  private readonly cursor = new Map<string, number>();

  constructor(outcomes: ModeRun['outcomes']) {
    for (const o of outcomes) {
      if (!o.campaignId) continue;
      const list = this.times.get(o.campaignId);
      if (list) list.push(o.at);
      else this.times.set(o.campaignId, [o.at]);
    }
    for (const list of this.times.values()) list.sort((a, b) => a - b);
  }

  /** The latest outcome of the campaign at or before `at`, or -Infinity. */
  latest(campaignId: string, at: number): number {
    const list = this.times.get(campaignId) ?? [];
    let i = this.cursor.get(campaignId) ?? 0;
    while (i < list.length && list[i]! <= at) i++;
    this.cursor.set(campaignId, i);
    return i > 0 ? list[i - 1]! : -Infinity;
  }
}
