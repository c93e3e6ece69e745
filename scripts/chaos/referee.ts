// The chaos suite's rules as the provider sees them, judged at the instant each
// request arrives and each call is placed (DESIGN.md §6 invariants):
//
//   dialed_after_outcome     a request for an attempt whose outcome the API had accepted more than
//                            OUTCOME_RACE_MS before (a send checked just before the commit may land after it)
//   dialed_while_paused / _cancelled / _window_closed
//                            a request arriving after the campaign was paused, cancelled or its
//                            window closed (by more than `toleranceMs`: a claim committed just
//                            before the change may still be on the wire)
//   dialed_outside_recipient_hours   the contact's local time outside the campaign's calling hours
//   overlapping_attempts     a call placed for attempt n+1 while the provider still has attempt n
//   dialed_twice             a second call placed for one attempt (a provider that does not deduplicate)
//   campaign_cap_exceeded / account_cap_exceeded   more calls at the provider than the caps allow
//   bad_signature            a dial request whose signature does not verify
//
// Invariants: the driver records every lifecycle change here with the instant
// the API answered it (blocking) or the instant it was sent (unblocking), so a
// dial is only blamed when the change had certainly committed before it. The
// lifecycle rules are judged at the end (finish()), against every change's
// instants: a resume commits, rings the doorbell and a worker's request can
// reach the provider before the driver has the resume's answer — judged live,
// that request would meet a block the driver had not yet closed.
import { isContactCallable, type CallingWindow, type RecipientHours } from '@wakeplan/schedule-core';
import type { Arrival, FakeProvider, PlacedCall, Referee } from './fake-provider.ts';

export interface LiveViolation {
  kind: string;
  at: number;
  key: string | null;
  /** Which request of this key the provider saw (1 = first); null for placements. */
  nth: number | null;
  detail: string;
}

type BlockReason = 'paused' | 'cancelled' | 'window_closed';

interface Track {
  name: string;
  cap: number;
  hours: RecipientHours | null;
  blocks: { reason: BlockReason; from: number; to: number | null }[];
}

/** A request checked against the database just before the outcome committed may arrive just after it. */
const OUTCOME_RACE_MS = 500;
const ALL_DAY: CallingWindow = { timezone: 'UTC', firstCallTime: '00:00', lastCallTime: '00:00' };

export class ChaosReferee implements Referee {
  private readonly live: LiveViolation[] = [];
  /** Arrivals whose lifecycle rules are judged at the end, once every block's end is known. */
  private readonly arrivals: Arrival[] = [];
  private readonly tracks = new Map<string, Track>();
  private readonly zones = new Map<string, string>();

  constructor(private readonly accountCap: number, private readonly toleranceMs: number) {}

  addCampaign(id: string, t: { name: string; cap: number; hours: RecipientHours | null }, contacts: { phone: string; timezone: string | null }[]): void {
    this.tracks.set(id, { ...t, blocks: [] });
    for (const c of contacts) this.zones.set(`${id}|${c.phone}`, c.timezone ?? 'UTC');
  }

  /** The campaign stopped being dialable at `answeredAt` (the API had committed the change by then). */
  block(id: string, reason: BlockReason, answeredAt: number): void {
    const t = this.tracks.get(id)!;
    if (!t.blocks.some((b) => b.reason === reason && b.to === null)) t.blocks.push({ reason, from: answeredAt, to: null });
  }

  /** The campaign may be dialed again from `sentAt` (the change commits after the request is sent). */
  unblock(id: string, reason: BlockReason, sentAt: number): void {
    for (const b of this.tracks.get(id)!.blocks) if (b.reason === reason && b.to === null) b.to = sentAt;
  }

  onArrival(a: Arrival, provider: FakeProvider): void {
    const add = (kind: string, detail: string) => this.live.push({ kind, at: a.at, key: a.key, nth: a.nth, detail });
    if (a.answer === 'bad_signature') add('bad_signature', 'the dial request signature does not verify');
    const reported = provider.calls.find((c) => c.key === a.key && c.reportedAt !== null && c.reportedAt + OUTCOME_RACE_MS < a.at);
    if (reported) add('dialed_after_outcome', `outcome ${reported.outcome} accepted ${a.at - reported.reportedAt!} ms before this request (request #${a.nth})`);
    const t = a.campaignId ? this.tracks.get(a.campaignId) : undefined;
    if (!t) return;
    this.arrivals.push(a);
    if (t.hours) {
      const zone = this.zones.get(`${a.campaignId}|${a.to}`) ?? 'UTC';
      if (!isContactCallable(ALL_DAY, t.hours, zone, new Date(a.at))) add('dialed_outside_recipient_hours', `${t.name}: ${a.to} in ${zone}, hours ${t.hours.start}–${t.hours.end}`);
    }
  }

  /** Every violation: the live ones, then the lifecycle rules judged now that every block's end is known. */
  finish(): LiveViolation[] {
    const lifecycle = this.arrivals.flatMap((a) => {
      const t = this.tracks.get(a.campaignId!)!;
      return t.blocks
        .filter((b) => a.at >= b.from + this.toleranceMs && (b.to === null || a.at < b.to))
        .map((b) => ({
          kind: `dialed_while_${b.reason}`, at: a.at, key: a.key, nth: a.nth,
          detail: `${t.name}: ${b.reason} ${a.at - b.from} ms before this request (request #${a.nth})`,
        }));
    });
    return [...this.live, ...lifecycle];
  }

  onPlace(call: PlacedCall, provider: FakeProvider): void {
    const add = (kind: string, detail: string) => this.live.push({ kind, at: call.startedAt, key: call.key, nth: null, detail });
    const active = provider.active();
    for (const other of active) {
      if (other === call || other.callId !== call.callId) continue;
      if (other.key === call.key) add('dialed_twice', `a second call placed for ${call.key}`);
      else add('overlapping_attempts', `attempt ${call.attempt} placed while attempt ${other.attempt} (${other.key}) is still live`);
    }
    const t = call.campaignId ? this.tracks.get(call.campaignId) : undefined;
    const inCampaign = active.filter((c) => c.campaignId === call.campaignId);
    const twice = (calls: PlacedCall[]) => (new Set(calls.map((c) => c.key)).size < calls.length ? ', counting a second call of one attempt' : '');
    if (t && inCampaign.length > t.cap) add('campaign_cap_exceeded', `${t.name}: ${inCampaign.length} calls at once, cap ${t.cap}${twice(inCampaign)}`);
    if (active.length > this.accountCap) add('account_cap_exceeded', `${active.length} calls at once, account cap ${this.accountCap}${twice(active)}`);
  }
}
