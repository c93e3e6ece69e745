// Queue-to-dial latency of one run: for each dial, the time from the moment the
// call became dispatchable to the dial. "Dispatchable" is the latest of: its due
// time (campaign creation / direct call's not_before / previous outcome + retry
// delay), the opening of the window it was dialed in, the previous outcome in
// its campaign (a freed slot), and the previous dial plus the pacing interval.
// Waiting for a free slot or for a window is not latency; waiting for a poll is.
import { openIntervals } from '@wakeplan/schedule-core';
import { campaignWindow, type CampaignWindowColumns } from '@wakeplan/db';
import type { ModeRun } from './run-mode.ts';

export interface Latency { meanSeconds: number; maxSeconds: number }

export function queueToDialLatency(run: ModeRun): Latency {
  const byCall = new Map<string, { outcomeAt: number; attempt: number }[]>();
  for (const o of run.outcomes) byCall.set(o.callId, [...(byCall.get(o.callId) ?? []), { outcomeAt: o.at, attempt: o.attempt }]);
  const campaigns = new Map(run.campaigns.map((c) => [c.id, c]));
  const lastDial = new Map<string, number>();
  const latencies: number[] = [];
  const dials = [...run.dials].sort((a, b) => a.at - b.at);
  for (const d of dials) {
    const campaign = d.campaignId ? campaigns.get(d.campaignId) : undefined;
    let ready: number;
    if (!campaign) {
      ready = run.directCalls.find((c) => c.phone === d.phone)?.dueAt ?? d.at;
    } else {
      const f = campaign.fields;
      const previous = byCall.get(d.callId)?.find((o) => o.attempt === d.attempt - 1);
      const due = previous ? previous.outcomeAt + Number(f.retry_delay_minutes) * 60_000 : campaign.at;
      const windows = openIntervals(campaignWindow(f as unknown as CampaignWindowColumns), new Date(d.at - 3 * 86_400_000), new Date(d.at + 1));
      const opened = windows.at(-1)?.start.getTime() ?? d.at;
      const freed = latestBefore(run.outcomes.filter((o) => o.campaignId === d.campaignId).map((o) => o.at), d.at);
      const pace = f.calls_per_minute ? 60_000 / Number(f.calls_per_minute) : 0;
      const paced = (lastDial.get(campaign.id) ?? -Infinity) + pace;
      ready = Math.max(due, opened, freed, paced);
      lastDial.set(campaign.id, d.at);
    }
    latencies.push(Math.max(0, d.at - ready) / 1000);
  }
  if (latencies.length === 0) return { meanSeconds: 0, maxSeconds: 0 };
  return { meanSeconds: latencies.reduce((s, x) => s + x, 0) / latencies.length, maxSeconds: Math.max(...latencies) };
}

function latestBefore(times: number[], at: number): number {
  let best = -Infinity;
  for (const t of times) if (t <= at && t > best) best = t;
  return best;
}
