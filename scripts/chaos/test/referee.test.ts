// The chaos referee's lifecycle rules, on hand-made instants: a request is
// blamed for a pause only when it arrived more than the tolerance after the
// pause was answered and before the resume was sent — also when the driver
// learns of the resume (its answer) after the request arrived, the race of
// seed 11 (a resume commits, rings the doorbell, and a worker's request reaches
// the provider before the resume's answer reaches the driver).
import { describe, expect, it } from 'vitest';
import type { Arrival, FakeProvider } from '../fake-provider.ts';
import { ChaosReferee } from '../referee.ts';

const PROVIDER = { calls: [], active: () => [] } as unknown as FakeProvider;
const CAMPAIGN = 'c1';

function arrival(at: number, key = `call-${at}:1`): Arrival {
  return { key, callId: key.split(':')[0]!, attempt: 1, campaignId: CAMPAIGN, to: '+12122000000', at, nth: 1, answer: 'placed' };
}

function referee(): ChaosReferee {
  const r = new ChaosReferee(8, 3000);
  r.addCampaign(CAMPAIGN, { name: 'pausing', cap: 2, hours: null }, [{ phone: '+12122000000', timezone: null }]);
  return r;
}

describe('ChaosReferee lifecycle rules', () => {
  it('a request arriving while the resume is on its way is judged against the resume\'s send instant', () => {
    const r = referee();
    r.block(CAMPAIGN, 'paused', 1_000); // pause answered
    r.onArrival(arrival(4_500), PROVIDER); // dialed after the resume committed, before its answer reached the driver
    r.unblock(CAMPAIGN, 'paused', 4_400); // the resume, recorded when its answer arrives, was sent at 4 400
    expect(r.finish()).toEqual([]);
  });

  it('still blames a request that arrived before the resume was sent (beyond the tolerance)', () => {
    const r = referee();
    r.block(CAMPAIGN, 'paused', 1_000);
    r.onArrival(arrival(4_300), PROVIDER);
    r.onArrival(arrival(3_900), PROVIDER); // within the 3 s tolerance: a claim committed before the pause
    r.unblock(CAMPAIGN, 'paused', 4_400);
    expect(r.finish()).toEqual([expect.objectContaining({ kind: 'dialed_while_paused', at: 4_300 })]);
  });

  it('blames every request after a pause that was never resumed', () => {
    const r = referee();
    r.block(CAMPAIGN, 'cancelled', 1_000);
    r.onArrival(arrival(60_000), PROVIDER);
    expect(r.finish().map((v) => v.kind)).toEqual(['dialed_while_cancelled']);
  });
});
