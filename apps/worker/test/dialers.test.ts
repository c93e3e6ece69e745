// The two dialers. Webhook: DESIGN.md §6 body, headers and signature; one
// request per dial(); 2xx confirms, 409 confirms without an id, other 4xx
// reject; a 429 or a refused connection is `refused` (Retry-After, capped);
// 408/425/5xx and timeouts are unconfirmed (the worker sends again, under the
// dial rule, with the same key and body). Simulated: seeded, its outcome
// mix, and outcomes delivered through the sink on the clock.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { verifySignedBody, type DialRequest, type ProviderEvent } from '@wakeplan/contract';
import { FakeClock, SystemClock } from '@wakeplan/runtime';
import { SimulatedDialer } from '../src/dialers/simulated.ts';
import { retryAfterOf, WebhookDialer } from '../src/dialers/webhook.ts';

const request: DialRequest = {
  callId: '8f7a2c1e-1111-4a2b-9c3d-000000000001', attempt: 2, idempotencyKey: '8f7a2c1e-1111-4a2b-9c3d-000000000001:2',
  to: '+12125550100', agentId: 'agent-7', campaignId: null, variables: { first_name: 'Ada' }, callbackUrl: 'http://127.0.0.1:3000/api/provider/events',
};

interface Seen { headers: IncomingMessage['headers']; body: string }
let close: (() => Promise<void>) | null = null;
afterEach(async () => {
  await close?.();
  close = null;
});

async function provider(answers: ((n: number) => { status: number; body?: string; hang?: boolean; headers?: Record<string, string> })): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ headers: req.headers, body });
      const a = answers(seen.length);
      if (a.hang) return;
      res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers }).end(a.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/calls`, seen };
}

describe('WebhookDialer', () => {
  it('POSTs the contract body with Idempotency-Key and a valid signature; 2xx with provider_call_id confirms', async () => {
    const p = await provider(() => ({ status: 201, body: '{"provider_call_id":"pc-1"}' }));
    const dialer = new WebhookDialer({ url: p.url, secret: 'hook-secret', clock: new SystemClock() });
    expect(await dialer.dial(request)).toEqual({ kind: 'confirmed', providerCallId: 'pc-1' });
    const [{ headers, body }] = p.seen as [Seen];
    expect(JSON.parse(body)).toEqual({
      call_id: request.callId, attempt: 2, to: '+12125550100', agent_id: 'agent-7', campaign_id: null,
      variables: { first_name: 'Ada' }, callback_url: request.callbackUrl,
    });
    expect(headers['idempotency-key']).toBe(request.idempotencyKey);
    expect(headers['content-type']).toBe('application/json');
    expect(verifySignedBody({
      secret: 'hook-secret', timestampHeader: headers['x-wakeplan-timestamp'] as string,
      signatureHeader: headers['x-wakeplan-signature'] as string, rawBody: body, at: new Date(),
    })).toEqual({ ok: true });
    expect(dialer.resend).toBe('deduplicates');
  });

  it.each([400, 401, 404, 410, 422])('a %i rejects the attempt without re-sending', async (status) => {
    const p = await provider(() => ({ status, body: '{"error":"bad number"}' }));
    const result = await new WebhookDialer({ url: p.url, secret: 's', clock: new SystemClock() }).dial(request);
    expect(result).toMatchObject({ kind: 'rejected' });
    expect(p.seen).toHaveLength(1);
  });

  it('a 409 ("already in progress" for this key) confirms without a provider id', async () => {
    const p = await provider(() => ({ status: 409, body: '{"error":"in progress"}' }));
    expect(await new WebhookDialer({ url: p.url, secret: 's', clock: new SystemClock() }).dial(request)).toEqual({ kind: 'confirmed', providerCallId: null });
    expect(p.seen).toHaveLength(1);
  });

  it.each([408, 425, 502, 503])('a %i leaves the attempt unconfirmed after one request: the worker sends it again, under the dial rule', async (status) => {
    const p = await provider(() => ({ status }));
    expect(await new WebhookDialer({ url: p.url, secret: 's', clock: new SystemClock() }).dial(request)).toMatchObject({ kind: 'unconfirmed', reason: `HTTP ${status}` });
    expect(p.seen).toHaveLength(1);
  });

  it('a 429 is refused (nothing was placed) with its Retry-After, capped', async () => {
    const p = await provider(() => ({ status: 429, headers: { 'retry-after': '120' } }));
    const clock = new FakeClock(new Date('2026-03-02T15:00:00Z'));
    expect(await new WebhookDialer({ url: p.url, secret: 's', clock }).dial(request))
      .toEqual({ kind: 'refused', reason: expect.stringContaining('HTTP 429'), retryAfterMs: 120_000 });
    expect(await new WebhookDialer({ url: p.url, secret: 's', clock, maxRetryAfterMs: 20_000 }).dial(request))
      .toMatchObject({ kind: 'refused', retryAfterMs: 20_000 });
    const bare = await provider(() => ({ status: 429 }));
    expect(await new WebhookDialer({ url: bare.url, secret: 's', clock }).dial(request)).toMatchObject({ kind: 'refused', retryAfterMs: null });
    expect(p.seen).toHaveLength(2);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = new Date('2026-03-02T15:00:00Z');
    expect(retryAfterOf('7', now)).toBe(7000);
    expect(retryAfterOf('Mon, 02 Mar 2026 15:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterOf('soon', now)).toBeNull();
    expect(retryAfterOf(null, now)).toBeNull();
  });

  it('sends of one attempt carry the same key and body; a timeout is unconfirmed, and nothing throws', async () => {
    const p = await provider((n) => (n === 1 ? { status: 0, hang: true } : { status: 200, body: '{"provider_call_id":"pc-3"}' }));
    const dialer = new WebhookDialer({ url: p.url, secret: 's', clock: new SystemClock(), timeoutMs: 200 });
    expect(await dialer.dial(request)).toMatchObject({ kind: 'unconfirmed' });
    expect(await dialer.dial(request)).toEqual({ kind: 'confirmed', providerCallId: 'pc-3' });
    expect(p.seen).toHaveLength(2);
    expect(new Set(p.seen.map((s) => s.headers['idempotency-key']))).toEqual(new Set([request.idempotencyKey]));
    expect(new Set(p.seen.map((s) => s.body)).size).toBe(1);
  });

  it('a connection refused before sending is refused (nothing can have been placed)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = await new WebhookDialer({ url: `http://127.0.0.1:${port}/x`, secret: 's', clock: new SystemClock() }).dial(request);
    expect(unreachable).toMatchObject({ kind: 'refused', retryAfterMs: null });
  });
});

describe('SimulatedDialer', () => {
  function run(seed: number, n: number) {
    const clock = new FakeClock(new Date('2026-03-02T15:00:00Z'));
    const events: ProviderEvent[] = [];
    const dialer = new SimulatedDialer({
      clock, seed, sink: async (e) => void events.push(e), callSeconds: { min: 10, max: 100 },
      outcomes: { completed: 60, no_answer: 30, busy: 10 }, progressAfterSeconds: 50,
    });
    return { clock, events, dialer, dials: Promise.all(Array.from({ length: n }, (_, i) => dialer.dial({ ...request, attempt: i + 1 }))) };
  }

  it('confirms at once and reports each outcome after its seeded duration, through the sink', async () => {
    const a = run(42, 200);
    expect((await a.dials).every((r) => r.kind === 'confirmed')).toBe(true);
    expect(a.events).toHaveLength(0);
    a.clock.advanceBy(101_000);
    const finals = a.events.filter((e) => e.status !== 'in_progress');
    expect(finals).toHaveLength(200);
    for (const e of finals) {
      const seconds = (Date.parse(e.occurred_at) - Date.parse('2026-03-02T15:00:00Z')) / 1000;
      expect(seconds).toBeGreaterThanOrEqual(10);
      expect(seconds).toBeLessThanOrEqual(100);
      if (e.status === 'completed') expect(e.duration_seconds).toBe(seconds);
    }
    const share = (s: string) => finals.filter((e) => e.status === s).length / finals.length;
    expect(share('completed')).toBeGreaterThan(0.45);
    expect(share('no_answer')).toBeGreaterThan(0.15);
    expect(share('voicemail')).toBe(0);
    expect(a.events.some((e) => e.status === 'in_progress')).toBe(true);
  });

  it('repeats exactly for the same seed, and differs for another', async () => {
    const a = run(7, 50);
    const b = run(7, 50);
    const c = run(8, 50);
    await Promise.all([a.dials, b.dials, c.dials]);
    for (const x of [a, b, c]) x.clock.advanceBy(200_000);
    expect(b.events).toEqual(a.events);
    expect(c.events).not.toEqual(a.events);
  });

  it('drops pending outcomes on close', async () => {
    const a = run(1, 5);
    await a.dials;
    await a.dialer.close();
    a.clock.advanceBy(200_000);
    expect(a.events).toEqual([]);
  });
});
