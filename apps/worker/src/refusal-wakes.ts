// Wakes owed to refused claims (issue 15, item 5): a claim the plan said was due
// but that was refused for pacing or a closed window says when it can succeed —
// "campaign X not before T" — and that instant, not the stale plan, is the
// campaign's next wake. Kept per campaign, so it maps onto a per-campaign plan.
//
// Invariants: a campaign has at most one owed wake (the latest refusal wins); a
// claim that succeeds, or a full resync, forgets it; an owed wake whose instant
// has come by the time the worker would rest is handed back as due now (the
// worker runs another round instead of resting on it), never dropped.
import type { WakeDecision } from '@wakeplan/schedule-core';

export class RefusalWakes {
  private readonly byCampaign = new Map<string, Date>();

  note(campaignId: string, at: Date): void {
    this.byCampaign.set(campaignId, at);
  }

  forget(campaignId: string): void {
    this.byCampaign.delete(campaignId);
  }

  clear(): void {
    this.byCampaign.clear();
  }

  /** Campaigns whose refusal is over at `now` (removed: the caller claims for them again). */
  takeDue(now: Date): string[] {
    const due = [...this.byCampaign].filter(([, at]) => at.getTime() <= now.getTime()).map(([id]) => id);
    for (const id of due) this.byCampaign.delete(id);
    return due;
  }

  /** `planned`, or the earliest owed wake when it comes first. */
  earlierThan<W extends { at: Date }>(planned: W | null): W | WakeDecision | null {
    let best: W | WakeDecision | null = planned;
    for (const [campaignId, at] of this.byCampaign) {
      if (!best || at.getTime() < best.at.getTime()) best = { at, reason: 'claim_refused', campaignId };
    }
    return best;
  }
}
