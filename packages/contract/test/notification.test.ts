// The NOTIFY payload contract: what buildNotification writes, parseNotification
// reads back; anything else is refused with a reason, never thrown.
import { describe, expect, it } from 'vitest';
import { buildNotification, parseNotification } from '../src/notification.ts';

const CAMPAIGN = '0b7c3f1e-8a52-4c1d-9d0e-2f6a1b3c4d5e';
const AT = new Date('2026-03-02T14:00:00Z');

describe('parseNotification', () => {
  it('reads back what buildNotification writes', () => {
    const n = buildNotification('contacts_added', AT, { campaignId: CAMPAIGN, callId: null });
    expect(n).toEqual({ v: 1, kind: 'contacts_added', campaign_id: CAMPAIGN, at: '2026-03-02T14:00:00.000Z' });
    expect(parseNotification(JSON.stringify(n))).toEqual({ ok: true, value: n });
  });

  it.each([
    ['not json', 'payload is not JSON'],
    ['[]', 'payload must be a JSON object'],
    ['{"v":2,"kind":"reload","at":"2026-03-02T14:00:00Z"}', 'v must be 1'],
    ['{"v":1,"kind":"nap","at":"2026-03-02T14:00:00Z"}', 'kind must be one of'],
    ['{"v":1,"kind":"reload","at":"soon"}', 'at must be an ISO instant'],
    ['{"v":1,"kind":"campaign_changed","at":"2026-03-02T14:00:00Z"}', 'campaign_changed needs campaign_id'],
    ['{"v":1,"kind":"call_finished","call_id":"x","at":"2026-03-02T14:00:00Z"}', 'call_id must be a UUID'],
  ])('refuses %s', (payload, reason) => {
    const parsed = parseNotification(payload);
    expect(parsed.ok ? '' : parsed.reason).toContain(reason);
  });
});
