// The four dialers against local servers that implement each provider's
// documented create and lookup endpoints (src/testing/fake-providers.ts): the exact create
// request; a create sent once whatever happens (no SDK-style retry re-posts it);
// a timeout leaves the call unconfirmed, and after a restart find() finds the
// call the provider did create, so nothing is placed twice; an attempt never
// placed is not_found and placed once; 429, a concurrency answer and a refused
// connection are `refused`; another 4xx is `rejected`; Twilio's pacing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { idempotencyKeyOf, type DialRequest } from '@wakeplan/contract';
import { FakeClock, SystemClock, type Clock } from '@wakeplan/runtime';
import { createProviderDialer, type ProviderDialer } from '../src/index.ts';
import type { ProviderDialerConfig } from '../src/provider-env.ts';
import { startFakeProvider, type FakeProvider, type ProviderKind } from '../src/testing/fake-providers.ts';

const SID = `AC${'0123456789abcdef'.repeat(2)}`;
const PUBLIC_URL = 'https://wakeplan.example.com';
const CALL_ID = '5f0c6a52-3f57-4c1e-9a38-2d2f0f1b8a11';

function request(attempt = 1, to = '+15550001111'): DialRequest {
  return {
    callId: CALL_ID, attempt, idempotencyKey: idempotencyKeyOf(CALL_ID, attempt), to, agentId: 'agent-7', campaignId: null,
    variables: { name: 'Ada', age: 36 }, callbackUrl: 'http://127.0.0.1:3000/api/provider/events',
  };
}

function configFor(kind: ProviderKind, apiBaseUrl: string): ProviderDialerConfig {
  switch (kind) {
    case 'twilio': return { provider: kind, accountSid: SID, authToken: 'tok', fromNumber: '+15559990000', twimlUrl: 'https://twiml.example.com/agent.xml', apiBaseUrl, callsPerSecond: 100, publicUrl: PUBLIC_URL };
    case 'vapi': return { provider: kind, apiKey: 'vapi-key', phoneNumberId: 'pn-1', apiBaseUrl };
    case 'retell': return { provider: kind, apiKey: 'retell-key', fromNumber: '+15559990000', apiBaseUrl };
    case 'bolna': return { provider: kind, apiKey: 'bolna-key', fromNumber: undefined, apiBaseUrl };
  }
}

const KINDS: ProviderKind[] = ['twilio', 'vapi', 'retell', 'bolna'];
let fake: FakeProvider;
const dialerFor = (kind: ProviderKind, clock: Clock = new SystemClock()): ProviderDialer =>
  createProviderDialer(configFor(kind, fake.url), { clock, timeoutMs: 150 });

describe.each(KINDS)('%s dialer', (kind) => {
  beforeEach(async () => { fake = await startFakeProvider(kind); });
  afterEach(() => fake.close());

  it('reconciles rather than deduplicates', () => {
    expect(dialerFor(kind).resend).toBe('reconciles');
  });

  it('confirms a created call with the provider id', async () => {
    const result = await dialerFor(kind).dial(request());
    expect(result).toEqual({ kind: 'confirmed', providerCallId: fake.calls[0]!.id });
  });

  it('sends a 5xx create once: unconfirmed, never re-posted', async () => {
    fake.mode = '500';
    expect((await dialerFor(kind).dial(request())).kind).toBe('unconfirmed');
    expect(fake.creates()).toHaveLength(1);
  });

  it('after a timeout and a restart, find() finds the call the provider created: placed once', async () => {
    fake.mode = 'hang';
    expect((await dialerFor(kind).dial(request())).kind).toBe('unconfirmed');
    await expect.poll(() => fake.calls.length).toBe(1);
    const restarted = dialerFor(kind);
    expect(await restarted.find(request())).toEqual({ kind: 'found', providerCallId: fake.calls[0]!.id });
    expect(fake.creates()).toHaveLength(1);
  });

  it('an attempt the provider never saw is not_found, then placed exactly once', async () => {
    const dialer = dialerFor(kind);
    expect(await dialer.find(request())).toEqual({ kind: 'not_found' });
    expect((await dialer.dial(request())).kind).toBe('confirmed');
    expect(fake.creates()).toHaveLength(1);
  });

  it('a 429 and a concurrency-limit answer are refused (nothing placed); another 4xx is rejected', async () => {
    const dialer = dialerFor(kind);
    fake.mode = '429';
    expect(await dialer.dial(request())).toMatchObject({ kind: 'refused', retryAfterMs: 3000 });
    fake.mode = 'concurrency';
    expect(await dialer.dial(request())).toMatchObject({ kind: 'refused' });
    fake.mode = '400';
    expect(await dialer.dial(request())).toMatchObject({ kind: 'rejected' });
    expect(fake.calls).toHaveLength(0);
  });

  it('a refused connection is refused: the request was never sent', async () => {
    const dialer = dialerFor(kind);
    await fake.close();
    expect(await dialer.dial(request())).toMatchObject({ kind: 'refused', retryAfterMs: null });
    expect((await dialer.find(request())).kind).toBe('unknown');
  });
});

describe('create requests as the providers document them', () => {
  afterEach(() => fake.close());

  it('twilio: form-encoded, HTTP Basic, our ids in the StatusCallback query, variables on the TwiML URL', async () => {
    fake = await startFakeProvider('twilio');
    await dialerFor('twilio').dial(request());
    const [sent] = fake.creates();
    expect(sent!.path).toBe(`/2010-04-01/Accounts/${SID}/Calls.json`);
    expect(sent!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(sent!.headers.authorization).toBe(`Basic ${Buffer.from(`${SID}:tok`).toString('base64')}`);
    const form = new URLSearchParams(sent!.body);
    expect(Object.fromEntries(form)).toMatchObject({
      To: '+15550001111', From: '+15559990000', Url: 'https://twiml.example.com/agent.xml?name=Ada&age=36',
      StatusCallback: `${PUBLIC_URL}/api/provider/twilio/status?call_id=${CALL_ID}&attempt=1`, StatusCallbackMethod: 'POST',
    });
    expect(form.getAll('StatusCallbackEvent')).toEqual(['initiated', 'ringing', 'answered', 'completed']);
  });

  it('vapi: JSON with Bearer key; assistant, number, variables and our metadata', async () => {
    fake = await startFakeProvider('vapi');
    await dialerFor('vapi').dial(request());
    const [sent] = fake.creates();
    expect(sent!.headers.authorization).toBe('Bearer vapi-key');
    expect(JSON.parse(sent!.body)).toEqual({
      assistantId: 'agent-7', phoneNumberId: 'pn-1', customer: { number: '+15550001111' },
      assistantOverrides: { variableValues: { name: 'Ada', age: 36 }, metadata: { wakeplan_call_id: CALL_ID, wakeplan_attempt: '1', wakeplan_key: `${CALL_ID}:1` } },
    });
  });

  it('retell: JSON with Bearer key; override_agent_id, string dynamic variables, our metadata', async () => {
    fake = await startFakeProvider('retell');
    await dialerFor('retell').dial(request());
    const [sent] = fake.creates();
    expect(sent!.headers.authorization).toBe('Bearer retell-key');
    expect(JSON.parse(sent!.body)).toEqual({
      from_number: '+15559990000', to_number: '+15550001111', override_agent_id: 'agent-7',
      retell_llm_dynamic_variables: { name: 'Ada', age: '36' },
      metadata: { wakeplan_call_id: CALL_ID, wakeplan_attempt: '1', wakeplan_key: `${CALL_ID}:1` },
    });
  });

  it('bolna: JSON with Bearer key; agent, recipient, variables and our ids in user_data', async () => {
    fake = await startFakeProvider('bolna');
    await dialerFor('bolna').dial(request());
    const [sent] = fake.creates();
    expect(sent!.headers.authorization).toBe('Bearer bolna-key');
    expect(JSON.parse(sent!.body)).toEqual({
      agent_id: 'agent-7', recipient_phone_number: '+15550001111',
      user_data: { name: 'Ada', age: 36, wakeplan_call_id: CALL_ID, wakeplan_attempt: '1', wakeplan_key: `${CALL_ID}:1` },
    });
  });
});

describe('twilio specifics', () => {
  afterEach(() => fake.close());

  it('paces creates to TWILIO_CALLS_PER_SECOND on the clock port', async () => {
    fake = await startFakeProvider('twilio');
    const clock = new FakeClock(new Date());
    const dialer = createProviderDialer({ ...configFor('twilio', fake.url), callsPerSecond: 1 } as ProviderDialerConfig, { clock, timeoutMs: 1000 });
    const first = dialer.dial(request(1, '+15550001111'));
    const second = dialer.dial(request(1, '+15550002222'));
    await first;
    expect(fake.creates()).toHaveLength(1);
    expect(clock.nextTimerAt()?.getTime()).toBe(clock.now().getTime() + 1000);
    clock.advanceBy(1000);
    await second;
    expect(fake.creates()).toHaveLength(2);
  });

  it('two calls to the number within the look-back: unknown, never a guess', async () => {
    fake = await startFakeProvider('twilio');
    const dialer = dialerFor('twilio');
    await dialer.dial(request(1));
    await dialer.dial(request(2));
    expect(await dialer.find(request(2))).toMatchObject({ kind: 'unknown' });
  });
});
