// The API's request ledger in memory: statements grouped into bursts (a gap of
// more than a minute starts a new one), counted per route family of the requests
// in flight, and the process's own entries for the report.
import { describe, expect, it } from 'vitest';
import { RequestLedger, routeFamily } from '../../src/activity/request-ledger.ts';

describe('routeFamily', () => {
  it.each([
    ['/api/campaigns/:id/contacts', 'campaigns'],
    ['/api/scheduler/activity', 'scheduler'],
    ['/api/provider/events', 'provider'],
    ['/health', 'health'],
    [undefined, 'other'],
    ['/', 'other'],
  ])('%s → %s', (url, family) => expect(routeFamily(url)).toBe(family));
});

describe('RequestLedger', () => {
  it('groups statements into bursts by a one-minute gap, per route family', async () => {
    let now = new Date('2026-03-02T12:00:00Z');
    const ledger = new RequestLedger(() => now);
    const campaigns = ledger.requestStarted('/api/campaigns');
    expect(campaigns).toEqual({ family: 'campaigns', statementsBefore: 0 });
    ledger.statement();
    const status = ledger.requestStarted('/api/scheduler/status');
    ledger.statement(); // two families in flight
    expect(await ledger.afterRequest(campaigns, null as never)).toBeInstanceOf(Error); // statements ran: it writes (here it cannot, and keeps the entry)
    now = new Date(now.getTime() + 60_000);
    ledger.statement();
    expect(await ledger.afterRequest(status, null as never)).toBeInstanceOf(Error); // what could not be written is tried again
    ledger.statement(); // outside any request
    now = new Date(now.getTime() + 61_000);
    const calls = ledger.requestStarted('/api/calls');
    ledger.statement();
    const entries = ledger.recent(new Date(0)).map((e) => [e.startedAt.toISOString(), e.endedAt.toISOString(), e.statements, e.details]);
    expect(entries).toEqual([
      ['2026-03-02T12:00:00.000Z', '2026-03-02T12:01:00.000Z', 4, { campaigns: 1, concurrent: 1, scheduler: 1, other: 1 }],
      ['2026-03-02T12:02:01.000Z', '2026-03-02T12:02:01.000Z', 1, { calls: 1 }],
    ]);
    expect(ledger.buffer.size).toBe(1); // the finished burst waits for the next request that touches the database
    expect(ledger.recent(new Date('2026-03-02T12:02:00Z'))).toHaveLength(1);
    expect(calls.statementsBefore).toBe(4);
  });

  it('a request during which no statement ran writes nothing', async () => {
    const ledger = new RequestLedger(() => new Date('2026-03-02T12:00:00Z'));
    ledger.requestStarted('/api/campaigns');
    ledger.statement();
    const idle = ledger.requestStarted('/health');
    expect(await ledger.afterRequest(idle, null as never)).toBeNull(); // `sql` would throw if it were used
  });
});
