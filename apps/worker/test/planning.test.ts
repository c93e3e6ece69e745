// The pure parts of the worker's decisions: shaping the plan snapshot (caps,
// pacing, the account cap, ended campaigns), how it rests in each scheduling
// mode, how NOTIFY kinds become hints, and how hints fold.
import { describe, expect, it } from 'vitest';
import type { CampaignPlanRow, PlanSnapshot } from '@wakeplan/db';
import { HintBook } from '../src/hints.ts';
import { hintsForNotification } from '../src/notification-hints.ts';
import { evaluatePlan, type PlanEvaluation } from '../src/plan-evaluation.ts';
import { decideRest, NEAR_WAKE_MS, refuseSpinningWake } from '../src/scheduling-mode.ts';

const NOW = new Date('2026-03-02T15:00:00Z'); // Monday 10:00 New York
const window = { timezone: 'America/New_York', firstCallTime: '09:00', lastCallTime: '17:00' };
const ID = '11111111-1111-4111-8111-111111111111';

function campaign(fields: Partial<CampaignPlanRow> = {}): CampaignPlanRow {
  return { id: ID, window, recipientHours: null, maxConcurrentCalls: 2, callsPerMinute: null, lastDialAt: null, inFlight: 0,
    pending: [{ timezone: null, earliestDueAt: new Date(0) }], ...fields };
}
function snapshot(fields: Partial<PlanSnapshot> = {}): PlanSnapshot {
  return { campaigns: [campaign()], directEarliestDueAt: null, inFlightTotal: 0, earliestResultDeadline: null, earliestResendAt: null, earliestDeliveryAt: null, ...fields };
}

describe('evaluatePlan', () => {
  it('reports a campaign with work in its open window as due', () => {
    const ev = evaluatePlan(snapshot(), NOW, 10);
    expect(ev).toMatchObject({ dueCampaignIds: [ID], directDue: false, deadlinePassed: false, openWindowWithWork: true, endedCampaignIds: [] });
  });

  it('holds back a campaign at its cap until a call ends (or its result deadline)', () => {
    const deadline = new Date(NOW.getTime() + 600_000);
    const ev = evaluatePlan(snapshot({ campaigns: [campaign({ inFlight: 2 })], inFlightTotal: 2, earliestResultDeadline: deadline }), NOW, 10);
    expect(ev.dueCampaignIds).toEqual([]);
    expect(ev.nextWake).toEqual({ at: deadline, reason: 'result_deadline' });
  });

  it('holds back everything, direct calls too, at the account cap', () => {
    const ev = evaluatePlan(snapshot({ inFlightTotal: 10, directEarliestDueAt: new Date(0) }), NOW, 10);
    expect(ev).toMatchObject({ dueCampaignIds: [], directDue: false, accountFull: true, nextWake: null });
  });

  it('is not due before the next pacing slot, and wakes for it', () => {
    const ev = evaluatePlan(snapshot({ campaigns: [campaign({ callsPerMinute: 2, lastDialAt: new Date(NOW.getTime() - 10_000) })] }), NOW, 10);
    expect(ev.dueCampaignIds).toEqual([]);
    expect(ev.nextWake?.at).toEqual(new Date(NOW.getTime() + 20_000));
  });

  it('reports a campaign whose window has ended for good, with work queued, for expiry', () => {
    const ended = campaign({ window: { ...window, endDate: '2026-03-01' } });
    expect(evaluatePlan(snapshot({ campaigns: [ended] }), NOW, 10).endedCampaignIds).toEqual([ID]);
  });

  it('sees passed deadlines and due direct calls', () => {
    const ev = evaluatePlan(snapshot({ campaigns: [], directEarliestDueAt: new Date(0), inFlightTotal: 1, earliestResultDeadline: NOW }), NOW, 10);
    expect(ev).toMatchObject({ directDue: true, deadlinePassed: true, inFlight: 1 });
  });
});

describe('decideRest', () => {
  const base = (fields: Partial<PlanEvaluation>): PlanEvaluation => ({ ...evaluatePlan(snapshot({ campaigns: [] }), NOW, 10), ...fields });
  const at = (ms: number) => new Date(NOW.getTime() + ms);

  it('wakeplan: asleep until the next wake, waiting while calls are in flight or the wake is near', () => {
    expect(decideRest({ kind: 'wakeplan' }, base({ nextWake: { at: at(3_600_000), reason: 'campaign_window', campaignId: ID } }), NOW))
      .toEqual({ state: 'asleep', wake: { at: at(3_600_000), reason: `campaign_window ${ID}` } });
    expect(decideRest({ kind: 'wakeplan' }, base({ nextWake: null }), NOW)).toEqual({ state: 'asleep', wake: null });
    expect(decideRest({ kind: 'wakeplan' }, base({ inFlight: 1, nextWake: null }), NOW).state).toBe('waiting');
    expect(decideRest({ kind: 'wakeplan' }, base({ nextWake: { at: at(NEAR_WAKE_MS), reason: 'retry_due' } }), NOW).state).toBe('waiting');
  });

  it('polling: a pass every interval, whatever the plan says', () => {
    expect(decideRest({ kind: 'polling', intervalMs: 10_000 }, base({ nextWake: { at: at(5_000), reason: 'retry_due' } }), NOW))
      .toEqual({ state: 'waiting', wake: { at: at(10_000), reason: 'poll' } });
  });

  it('window_polling: polls while a window with work is open, else sleeps until the plan says', () => {
    const mode = { kind: 'window_polling' as const, intervalMs: 10_000 };
    expect(decideRest(mode, base({ openWindowWithWork: true }), NOW)).toEqual({ state: 'waiting', wake: { at: at(10_000), reason: 'poll' } });
    expect(decideRest(mode, base({ nextWake: { at: at(86_400_000), reason: 'campaign_window' } }), NOW))
      .toEqual({ state: 'asleep', wake: { at: at(86_400_000), reason: 'campaign_window' } });
  });
});

describe('refuseSpinningWake', () => {
  it('refuses a wake at or before the plan\'s now and backs off, doubling up to an hour', () => {
    const later = { at: new Date(NOW.getTime() + 1), reason: 'retry_due' };
    expect(refuseSpinningWake(later, NOW, NOW, 0)).toEqual({ wake: later, refused: null });
    expect(refuseSpinningWake(null, NOW, NOW, 0)).toEqual({ wake: null, refused: null });
    const spin = { at: NOW, reason: 'retry_due' };
    expect(refuseSpinningWake(spin, NOW, NOW, 0)).toEqual({ wake: { at: new Date(NOW.getTime() + 60_000), reason: 'backoff after a refused wake (retry_due)' }, refused: spin });
    expect(refuseSpinningWake(spin, NOW, NOW, 3).wake?.at).toEqual(new Date(NOW.getTime() + 480_000));
    expect(refuseSpinningWake(spin, NOW, NOW, 20).wake?.at).toEqual(new Date(NOW.getTime() + 3_600_000));
  });
});

describe('notifications and hints', () => {
  const n = (fields: Record<string, unknown>) => JSON.stringify({ v: 1, at: NOW.toISOString(), ...fields });

  it('handles each kind directly; only reload and unreadable payloads ask for a full resync', () => {
    expect(hintsForNotification(n({ kind: 'call_finished', campaign_id: ID })).hints).toEqual([{ kind: 'campaign', campaignId: ID, reason: 'call_finished' }]);
    expect(hintsForNotification(n({ kind: 'call_finished', call_id: ID })).hints).toEqual([{ kind: 'direct', reason: 'call_finished' }]);
    expect(hintsForNotification(n({ kind: 'call_queued', call_id: ID })).hints).toEqual([{ kind: 'direct', reason: 'call_queued' }]);
    expect(hintsForNotification(n({ kind: 'contacts_added', campaign_id: ID })).hints).toEqual([{ kind: 'campaign', campaignId: ID, reason: 'contacts_added' }]);
    expect(hintsForNotification(n({ kind: 'campaign_changed', campaign_id: ID })).hints.map((h) => h.kind)).toEqual(['campaign']);
    expect(hintsForNotification(n({ kind: 'reload' })).hints).toEqual([{ kind: 'resync', reason: 'reload' }]);
    for (const garbage of ['', 'null', '{', n({ kind: 'what' }), n({ kind: 'contacts_added' }), JSON.stringify({ v: 2, kind: 'reload', at: 'x' })]) {
      const result = hintsForNotification(garbage);
      expect(result.problem).toBeTruthy();
      expect(result.hints).toMatchObject([{ kind: 'resync' }]);
    }
  });

  it('folds hints until taken; every hint bumps the sequence', () => {
    const book = new HintBook();
    book.add({ kind: 'campaign', campaignId: 'a', reason: 'x' });
    book.add({ kind: 'campaign', campaignId: 'a', reason: 'x' });
    book.add({ kind: 'doorbell', needsPlanRead: false });
    expect(book.hasUntaken).toBe(true);
    const taken = book.take();
    expect(taken).toMatchObject({ seq: 3, readPlan: false, fullResync: false, campaigns: new Set(['a']) });
    expect(book.hasUntaken).toBe(false);
    book.add({ kind: 'listener_lost' });
    expect(book.take()).toMatchObject({ seq: 4, fullResync: true });
    book.add({ kind: 'startup' });
    expect(book.take()).toMatchObject({ fullResync: true, resendUnconfirmed: true });
  });
});
