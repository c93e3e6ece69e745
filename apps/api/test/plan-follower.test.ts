// The API's kept copy of the plan (scheduler/plan-follower.ts) on a real
// database: after each step of a table of write sequences — through the API
// (create, contacts, pause, resume, cancel, a window edit, an outcome event, a
// direct call), a claim as the worker makes it (marked), an outcome settled by
// another connection — a copy that only ever caught up (told of nothing) holds
// exactly what a fresh whole read holds, and the API's status says what the
// status computed from a whole read said before issue 11. A change committed by
// another connection, with its NOTIFY (as the worker's settle sends it), shows in
// the next status.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildNotification, signedHeaders } from '@wakeplan/contract';
import {
  applyProviderEvent, createSql, markPlanChanged, notifySchedulerChanged, planInputFromSnapshot, readPlanSnapshot,
  dispatchablePlanCampaign, type Sql,
} from '@wakeplan/db';
import { markDialing } from '@wakeplan/db/testing';
import { computeWakePlan, nextCampaignDue, windowLabel } from '@wakeplan/schedule-core';
import { PlanFollower, type PlanView } from '../src/scheduler/plan-follower.ts';
import { AUTH, campaignBody, json, phoneNumber, useTestApi } from './helpers.ts';

const SECRET = 'follower-events-secret';
const { db, api } = useTestApi({
  env: { PROVIDER_EVENTS_SECRET: SECRET },
  truncate: ['campaigns', 'calls', 'call_attempts', 'provider_events', 'worker_state', 'outbox_events'],
});
const START = new Date('2026-03-02T14:30:00Z'); // 09:30 in New York: the default window is open
let other: Sql;
beforeAll(() => {
  other = createSql({ url: db.current.url, applicationName: 'another-process', idleTimeoutS: 5, max: 2 });
});
afterAll(() => other.end({ timeout: 2 }));
beforeEach(() => {
  api.worker.health = { status: 503 };
  api.clock.set(START);
});

/** Moves the clock past the status cache and the catch-up interval. */
const tick = () => api.clock.set(new Date(api.clock.now().getTime() + 1000));
const page = { limit: 1000, offset: 0, nextWakes: 10 };
let phones = 0;

async function inject(method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) {
  const res = await api.app.inject({ method, url, headers: AUTH, ...(payload === undefined ? {} : { payload: payload as object }) });
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  return json(res).data;
}

interface World {
  campaigns: string[];
  claimed: { callId: string; attempt: number }[];
}

type Step = (w: World) => Promise<void>;

const steps = {
  create: (extra: Record<string, unknown> = {}, contacts = 2): Step => async (w) => {
    const list = Array.from({ length: contacts }, () => ({ phone: phoneNumber(phones++) }));
    w.campaigns.push((await inject('POST', '/api/campaigns', campaignBody({ ...extra, contacts: list }))).id);
  },
  contacts: (i: number): Step => async (w) => {
    await inject('POST', `/api/campaigns/${w.campaigns[i]}/contacts`, [{ phone: phoneNumber(phones++) }]);
  },
  lifecycle: (i: number, action: 'pause' | 'resume' | 'cancel'): Step => async (w) => {
    await inject('POST', `/api/campaigns/${w.campaigns[i]}/${action}`);
  },
  window: (i: number, first: string): Step => async (w) => {
    await inject('PATCH', `/api/campaigns/${w.campaigns[i]}`, { first_call_time: first });
  },
  direct: (): Step => async () => {
    await inject('POST', '/api/calls', { phone: phoneNumber(phones++), agent_id: 'a' });
  },
  /** A claim as the worker makes it (apps/worker sql/claims.ts): one queued contact dialing, its campaign marked changed. */
  claim: (i: number): Step => async (w) => {
    const campaignId = w.campaigns[i]!;
    const [call] = await db.current.sql<{ id: string }[]>`select id from calls where campaign_id = ${campaignId} and status = 'queued' order by id limit 1`;
    if (!call) return;
    await db.current.sql.begin(async (tx) => {
      await markDialing(tx, [call.id], api.clock.now(), new Date(api.clock.now().getTime() + 30 * 60_000));
      await markPlanChanged(tx, campaignId);
    });
    const [row] = await db.current.sql<{ attempt: number }[]>`select attempt from calls where id = ${call.id}`;
    w.claimed.push({ callId: call.id, attempt: row!.attempt });
  },
  /** The provider's outcome for the oldest claimed call, through POST /api/provider/events. */
  outcome: (status: string): Step => async (w) => {
    const claimed = w.claimed.shift();
    if (!claimed) return;
    const raw = JSON.stringify({ call_id: claimed.callId, attempt: claimed.attempt, status, occurred_at: api.clock.now().toISOString() });
    const res = await api.app.inject({
      method: 'POST', url: '/api/provider/events', payload: raw,
      headers: { 'content-type': 'application/json', ...signedHeaders(SECRET, raw, api.clock.now()) },
    });
    expect(res.statusCode).toBe(200);
  },
  /** The same outcome, settled by another process's connection (the worker's deadline expiry, a second API). */
  settledElsewhere: (status: string): Step => async (w) => {
    const claimed = w.claimed.shift();
    if (!claimed) return;
    const event = { call_id: claimed.callId, attempt: claimed.attempt, status, occurred_at: api.clock.now().toISOString() };
    expect((await applyProviderEvent(other, event as never, api.clock.now(), { resultTimeoutMinutes: 30 })).result).toBe('applied');
  },
};

/** What the status computed before issue 11, from one whole read (never-due campaigns last, as documented). */
async function statusFromWholeRead(sql: Sql, at: Date) {
  const snapshot = await readPlanSnapshot(sql);
  const [active] = await sql<{ n: number }[]>`select count(*)::int as n from campaigns where status = 'active'`;
  const [direct] = await sql<{ n: number }[]>`select count(*)::int as n from calls where campaign_id is null and status = 'queued'`;
  const tracked = snapshot.campaigns.map((row) => {
    const due = nextCampaignDue(dispatchablePlanCampaign(row), at);
    return { id: row.id, window: windowLabel(row.window), inFlight: row.inFlight, nextDueAt: due?.toISOString() ?? null };
  }).sort((a, b) => ((a.nextDueAt ?? '~') < (b.nextDueAt ?? '~') ? -1 : (a.nextDueAt ?? '~') > (b.nextDueAt ?? '~') ? 1 : a.id < b.id ? -1 : 1));
  const plan = computeWakePlan(planInputFromSnapshot(snapshot), at);
  const dueNow = plan.dueNowCampaignIds.length > 0 || plan.directCallsDueNow || plan.deadlinePassed;
  const nextWake = dueNow ? at : plan.nextWake?.at ?? null;
  return {
    nextWakeTime: nextWake?.toISOString() ?? null,
    nextWakeReason: dueNow ? 'due_now' : plan.nextWake?.reason ?? null,
    campaignCount: active!.n,
    callsInFlight: snapshot.inFlightTotal,
    directCallsQueued: direct!.n,
    nextWakes: tracked.filter((c) => c.nextDueAt !== null).slice(0, 10).map((c) => ({ at: c.nextDueAt, campaignId: c.id })),
    campaignsTotal: tracked.length,
    campaigns: tracked.slice(0, 50),
  };
}

/** The parts of a view a whole read must reproduce, rows included. */
function comparable(view: PlanView) {
  return {
    totals: view.totals, activeCount: view.activeCount, wake: { ...view.wake, dueNowCampaignIds: [...view.wake.dueNowCampaignIds].sort() },
    trackedTotal: view.trackedTotal, page: view.page, nextWakes: view.nextWakes,
    rows: view.page.map((c) => view.row(c.id)),
  };
}

const SEQUENCES: [string, Step[]][] = [
  ['create, contacts, pause, resume, cancel', [
    steps.create(), steps.create({ first_call_time: '11:00' }, 1), steps.contacts(0), steps.lifecycle(0, 'pause'),
    steps.contacts(1), steps.lifecycle(0, 'resume'), steps.lifecycle(1, 'cancel'), steps.lifecycle(0, 'pause'),
  ]],
  ['claims, outcomes through the API and from another connection, a direct call', [
    steps.create({ max_concurrent_calls: 1 }, 3), steps.create({ recipient_calling_hours: { start: '10:00', end: '18:00' } }, 2),
    steps.claim(0), steps.direct(), steps.outcome('no_answer'), steps.claim(0), steps.settledElsewhere('completed'),
    steps.claim(1), steps.outcome('busy'), steps.direct(),
  ]],
  ['a window edit, a pause with a call in flight, the last call ending', [
    steps.create({ first_call_time: '12:00' }, 1), steps.window(0, '09:00'), steps.claim(0), steps.lifecycle(0, 'pause'),
    steps.settledElsewhere('completed'), steps.lifecycle(0, 'resume'), steps.create({}, 1), steps.lifecycle(1, 'cancel'),
  ]],
];

describe('the kept copy of the plan', () => {
  it.each(SEQUENCES)('%s: after every step, a copy that only caught up equals a fresh whole read, and the status equals the old computation', async (_name, sequence) => {
    const kept = new PlanFollower(api.sql);
    await kept.view(api.clock.now(), page); // its one whole read
    const world: World = { campaigns: [], claimed: [] };
    for (const step of sequence) {
      await step(world);
      tick();
      const at = api.clock.now();
      expect(comparable(await kept.view(at, page))).toEqual(comparable(await new PlanFollower(api.sql).view(at, page)));
      const status = await inject('GET', '/api/scheduler/status');
      const reference = await statusFromWholeRead(api.sql, at);
      expect({
        ...status,
        campaigns: status.campaigns.map(({ name: _n, queuedCount: _q, ...c }: Record<string, unknown>) => c),
      }).toMatchObject(reference);
    }
  });

  it('a change committed by another connection, with its NOTIFY, shows in the next status', async () => {
    const world: World = { campaigns: [], claimed: [] };
    await steps.create({ max_concurrent_calls: 1 }, 2)(world);
    const [id] = world.campaigns;
    const before = await inject('GET', '/api/scheduler/status');
    expect(before).toMatchObject({ callsInFlight: 0, nextWakeReason: 'due_now', campaigns: [{ id, inFlight: 0, nextDueAt: START.toISOString() }] });

    // Another process claims a contact and says so, as the worker's transactions do (the doorbell goes elsewhere).
    const [call] = await other<{ id: string }[]>`select id from calls where campaign_id = ${id!} order by id limit 1`;
    await other.begin(async (tx) => {
      await markDialing(tx, [call!.id], START, new Date(START.getTime() + 30 * 60_000));
      await notifySchedulerChanged(tx, buildNotification('campaign_changed', START, { campaignId: id }));
    });
    tick();
    const claimed = await inject('GET', '/api/scheduler/status');
    expect(claimed).toMatchObject({ callsInFlight: 1, nextWakeReason: 'result_deadline', campaigns: [{ id, inFlight: 1, nextDueAt: null }] });

    // Its outcome, settled there too: the campaign is due again.
    await applyProviderEvent(other, { call_id: call!.id, attempt: 1, status: 'completed', occurred_at: START.toISOString() } as never,
      api.clock.now(), { resultTimeoutMinutes: 30 });
    tick();
    const settled = await inject('GET', '/api/scheduler/status');
    expect(settled).toMatchObject({ callsInFlight: 0, nextWakeReason: 'due_now', campaigns: [{ id, inFlight: 0, queuedCount: 1 }] });
  });

  it('answers a request overtaken by a later one at that later instant, and rebuilds for an earlier clock', async () => {
    const world: World = { campaigns: [], claimed: [] };
    await steps.create({ first_call_time: '10:00' }, 1)(world);
    const kept = new PlanFollower(api.sql);
    const later = new Date(START.getTime() + 400);
    expect((await kept.view(later, page)).at).toEqual(later);
    expect((await kept.view(START, page)).at).toEqual(later); // 400 ms late: answered at the later instant
    const hourEarlier = new Date(START.getTime() - 3_600_000);
    const view = await kept.view(hourEarlier, page);
    expect(view.at).toEqual(hourEarlier);
    expect(view.page[0]!.nextDueAt).toBe('2026-03-02T15:00:00.000Z');
  });

  it('over its cap keeps no copy, and still answers from a whole read', async () => {
    const world: World = { campaigns: [], claimed: [] };
    await steps.create({}, 1)(world);
    await steps.create({}, 1)(world);
    const capped = new PlanFollower(api.sql, { maxCampaigns: 1 });
    expect((await capped.view(START, page)).trackedTotal).toBe(2);
    await steps.lifecycle(0, 'pause')(world);
    expect((await capped.view(START, page)).trackedTotal).toBe(1); // same instant: a kept copy would not have read again
  });
});
