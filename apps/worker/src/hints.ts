// Hints that the plan may have changed (DESIGN.md §3): NOTIFY, the doorbell,
// the timer, signals, a lost listening connection. They are folded together
// until the dispatch loop takes them, so bursts coalesce into one pass.
//
// Invariant (no lost wake-ups): every hint bumps `seq`. The loop remembers the
// seq its plan reflects (set as a round begins, before it reads) and may only
// settle (wait or sleep) when no hint has arrived since; otherwise it runs one
// more round, which takes the new hints and reads again what they name. A dial
// answer is a hint too (it must be recorded), but one that changes no plan.
export type Hint =
  | { kind: 'startup' }
  | { kind: 'timer'; reason: string }
  | { kind: 'doorbell'; needsPlanRead: boolean; requestIds?: string[] }
  | { kind: 'resync'; reason: string }
  | { kind: 'listener_lost' }
  | { kind: 'campaign'; campaignId: string; reason: string; changed?: boolean }
  | { kind: 'direct'; reason: string }
  | { kind: 'dial_answered' };

export interface TakenHints {
  /** seq when taken: a plan read begun now reflects every hint up to here. */
  seq: number;
  fullResync: boolean;
  resendUnconfirmed: boolean;
  /** Catch up on every campaign marked changed (the whole plan if never read), unless LISTEN was open throughout (then every change came as a hint naming it). */
  readPlan: boolean;
  direct: boolean;
  /** Campaigns to read again (only those). */
  campaigns: Set<string>;
  /** Of those, the ones whose settings changed (campaign_changed): their deferrals no longer hold. */
  changedCampaigns: Set<string>;
  /** Every hint folded in was a dial answer (they change no plan unless recording them does). */
  answersOnly: boolean;
  reasons: string[];
}

const MAX_REASONS = 5;

export class HintBook {
  private seqValue = 0;
  private takenSeq = 0;
  private folded = HintBook.empty(0);
  private otherSinceTake = false;

  get seq(): number {
    return this.seqValue;
  }

  /** True when hints arrived that the loop has not taken yet. */
  get hasUntaken(): boolean {
    return this.seqValue > this.takenSeq;
  }

  add(hint: Hint): void {
    this.seqValue++;
    const f = this.folded;
    if (f.reasons.length < MAX_REASONS) f.reasons.push(describe(hint));
    if (hint.kind === 'dial_answered') f.answersOnly = !this.otherSinceTake;
    else {
      this.otherSinceTake = true;
      f.answersOnly = false;
    }
    switch (hint.kind) {
      case 'startup': f.fullResync = true; f.resendUnconfirmed = true; break;
      case 'resync': f.fullResync = true; break;
      case 'listener_lost': f.fullResync = true; break;
      case 'timer': f.readPlan = true; break;
      case 'doorbell': f.readPlan ||= hint.needsPlanRead; break;
      case 'campaign':
        f.campaigns.add(hint.campaignId);
        if (hint.changed) f.changedCampaigns.add(hint.campaignId);
        break;
      case 'direct': f.direct = true; break;
      case 'dial_answered': break;
    }
  }

  take(): TakenHints {
    const taken = { ...this.folded, seq: this.seqValue };
    this.takenSeq = this.seqValue;
    this.folded = HintBook.empty(this.seqValue);
    this.otherSinceTake = false;
    return taken;
  }

  /** Reasons of the hints not yet taken, for the "woke: why" line. */
  pendingReasons(): string[] {
    return [...this.folded.reasons];
  }

  private static empty(seq: number): TakenHints {
    return { seq, fullResync: false, resendUnconfirmed: false, readPlan: false, direct: false, campaigns: new Set(), changedCampaigns: new Set(), answersOnly: false, reasons: [] };
  }
}

function describe(hint: Hint): string {
  switch (hint.kind) {
    case 'startup': return 'startup';
    case 'timer': return `timer (${hint.reason})`;
    case 'doorbell': return hint.requestIds?.length ? `doorbell (request ${hint.requestIds.join(', ')})` : 'doorbell';
    case 'resync': return `resync (${hint.reason})`;
    case 'listener_lost': return 'listening connection lost';
    case 'campaign': return `${hint.reason} campaign ${hint.campaignId}`;
    case 'direct': return `${hint.reason} (direct call)`;
    case 'dial_answered': return 'dial request answered';
  }
}
