// The chaos suite's telephony provider: the receiving end of the webhook dialer
// (DESIGN.md §6) on 127.0.0.1, and the sender of signed provider events to the
// API's callback URL. It misbehaves on purpose, from the run's seed:
//
//   refusals   429 with Retry-After (nothing placed)
//   holds      the request is never answered and nothing is placed
//   lost       the call is placed but the answer never comes back
//   errors     503 (nothing placed)
//   outages    for a while every request is reset or answered 503 — longer than the dialer's retries
//   events     progress events (ringing, in_progress), duplicated and late outcomes
//
// Two modes: `deduplicating` (a repeated Idempotency-Key is the same call: the
// webhook contract) and `reconciling` (no deduplication, as real providers:
// every accepted request places a call; `GET /calls?call_id&attempt` finds the
// calls placed for an attempt, for dialers that reconcile before re-sending).
//
// Invariants: it records facts only — every request's arrival, every call's
// start, end and reported outcome, with real-time instants — and reports each
// arrival and start to the referee synchronously, before answering; whether a
// fact breaks a rule is the referee's (referee.ts) and the verdict's business.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signedHeaders, verifySignedBody, type ProviderEventStatus } from '@wakeplan/contract';
import type { Random } from './random.ts';

export type ProviderMode = 'deduplicating' | 'reconciling';

export interface ProviderFaults {
  refuse: number;
  hold: number;
  lost: number;
  error: number;
  duplicateEvent: number;
  progress: number;
}

export const CALM: ProviderFaults = { refuse: 0, hold: 0, lost: 0, error: 0, duplicateEvent: 0, progress: 0 };

export interface Arrival {
  key: string;
  callId: string;
  attempt: number;
  campaignId: string | null;
  to: string;
  at: number;
  /** 1 for the first request of this key the provider saw, 2 for the next… */
  nth: number;
  answer: 'placed' | 'same_call' | 'refused' | 'held' | 'lost' | 'error' | 'outage' | 'bad_signature';
}

export interface PlacedCall {
  key: string;
  callId: string;
  attempt: number;
  campaignId: string | null;
  providerCallId: string;
  startedAt: number;
  endedAt: number | null;
  outcome: ProviderEventStatus;
  /** When the API accepted the final event (2xx), and what it answered. */
  reportedAt: number | null;
  reportResult: string | null;
}

export interface Referee {
  /** A request arrived (before it is answered). */
  onArrival(a: Arrival, provider: FakeProvider): void;
  /** A call is being placed (after it is counted among the active ones). */
  onPlace(call: PlacedCall, provider: FakeProvider): void;
}

export interface ProviderOptions {
  dialSecret: string;
  eventsSecret: string;
  mode: ProviderMode;
  random: Random;
  referee: Referee;
  /** Call length in ms. */
  callMs: [number, number];
}

const OUTCOMES: [ProviderEventStatus, number][] = [['completed', 0.6], ['no_answer', 0.2], ['busy', 0.1], ['voicemail', 0.05], ['failed', 0.05]];

export class FakeProvider {
  url = '';
  faults: ProviderFaults = CALM;
  outageUntil = 0;
  readonly arrivals: Arrival[] = [];
  readonly calls: PlacedCall[] = [];
  /** Events the API never accepted (after every retry). */
  readonly undelivered: { key: string; status: string; reason: string }[] = [];
  private readonly seen = new Map<string, number>();
  private readonly held = new Set<ServerResponse>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly posting = new Set<Promise<void>>();
  private server: Server | null = null;
  private closed = false;

  constructor(private readonly o: ProviderOptions) {}

  /** Calls placed and not yet ended. */
  active(): PlacedCall[] {
    return this.calls.filter((c) => c.endedAt === null);
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Stops placing calls; waits for the calls in progress to end and their events to be delivered. */
  async drain(timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    while ((this.active().length > 0 || this.posting.size > 0) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    for (const res of this.held) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString();
    const url = new URL(req.url ?? '/', 'http://provider');
    if (req.method === 'GET' && url.pathname === '/calls') return this.lookup(url, res);
    if (req.method !== 'POST' || url.pathname !== '/dial') return void res.writeHead(404).end();
    this.dial(req, body, res);
  }

  /** `GET /calls?call_id&attempt`: the calls placed for one attempt (a reconciling dialer's find()). */
  private lookup(url: URL, res: ServerResponse): void {
    const key = `${url.searchParams.get('call_id')}:${url.searchParams.get('attempt')}`;
    const found = this.calls.filter((c) => c.key === key);
    if (found.length === 0) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"calls":[]}');
    res.writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ calls: found.map((c) => ({ provider_call_id: c.providerCallId, status: c.endedAt === null ? 'in_progress' : c.outcome })) }));
  }

  private dial(req: IncomingMessage, body: string, res: ServerResponse): void {
    const r = this.o.random;
    const key = String(req.headers['idempotency-key'] ?? '');
    const nth = (this.seen.get(key) ?? 0) + 1;
    this.seen.set(key, nth);
    let parsed: { call_id: string; attempt: number; campaign_id: string | null; to: string; callback_url: string };
    try {
      parsed = JSON.parse(body);
    } catch {
      return void res.writeHead(400).end('bad body');
    }
    const arrival: Arrival = {
      key, callId: parsed.call_id, attempt: parsed.attempt, campaignId: parsed.campaign_id, to: parsed.to, at: Date.now(), nth, answer: 'placed',
    };
    const signature = verifySignedBody({
      secret: this.o.dialSecret, timestampHeader: header(req, 'x-wakeplan-timestamp'), signatureHeader: header(req, 'x-wakeplan-signature'),
      rawBody: body, at: new Date(),
    });
    const existing = this.o.mode === 'deduplicating' ? this.calls.find((c) => c.key === key) : undefined;
    arrival.answer = !signature.ok ? 'bad_signature'
      : Date.now() < this.outageUntil ? 'outage'
        : existing ? 'same_call'
          : r.chance(this.faults.refuse) ? 'refused'
            : r.chance(this.faults.hold) ? 'held'
              : r.chance(this.faults.error) ? 'error'
                : r.chance(this.faults.lost) ? 'lost' : 'placed';
    this.arrivals.push(arrival);
    this.o.referee.onArrival(arrival, this);
    switch (arrival.answer) {
      case 'bad_signature': return void res.writeHead(401).end('bad signature');
      case 'outage': return r.chance(0.5) ? void res.destroy() : void res.writeHead(503).end('down');
      case 'same_call': return void json(res, 200, { provider_call_id: existing!.providerCallId });
      case 'refused': return void res.writeHead(429, { 'retry-after': '1' }).end('slow down');
      case 'held': return void this.held.add(res);
      case 'error': return void res.writeHead(503).end('try again');
      default: {
        const call = this.place(arrival, parsed.callback_url);
        if (arrival.answer === 'lost') this.held.add(res);
        else json(res, 200, { provider_call_id: call.providerCallId });
      }
    }
  }

  private place(a: Arrival, callbackUrl: string): PlacedCall {
    const r = this.o.random;
    const call: PlacedCall = {
      key: a.key, callId: a.callId, attempt: a.attempt, campaignId: a.campaignId, providerCallId: `pc-${this.calls.length + 1}`,
      startedAt: Date.now(), endedAt: null, outcome: pickOutcome(r()), reportedAt: null, reportResult: null,
    };
    this.calls.push(call);
    this.o.referee.onPlace(call, this);
    const ms = r.between(this.o.callMs[0], this.o.callMs[1]);
    if (r.chance(this.faults.progress)) this.later(ms * 0.3, () => this.post(callbackUrl, call, 'ringing'));
    if (r.chance(this.faults.progress)) this.later(ms * 0.6, () => this.post(callbackUrl, call, 'in_progress'));
    const duplicate = r.chance(this.faults.duplicateEvent);
    const lateProgress = r.chance(this.faults.progress / 4);
    this.later(ms, () => {
      call.endedAt = Date.now(); // leaves the provider's count before its outcome is reported
      void this.post(callbackUrl, call, call.outcome, true).then(() => {
        if (duplicate) void this.post(callbackUrl, call, call.outcome);
        if (lateProgress) void this.post(callbackUrl, call, 'in_progress');
      });
    });
    return call;
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.closed) fn();
    }, ms);
    this.timers.add(t);
  }

  /** Posts one signed event, retrying as providers do until the API accepts it. */
  private post(url: string, call: PlacedCall, status: ProviderEventStatus, final = false): Promise<void> {
    const task = (async () => {
      const body = JSON.stringify({
        call_id: call.callId, attempt: call.attempt, provider_call_id: call.providerCallId, status,
        duration_seconds: final ? Math.round(((call.endedAt ?? Date.now()) - call.startedAt) / 1000) : null,
        occurred_at: new Date().toISOString(),
      });
      let reason = '';
      for (let i = 0; i < 12 && !this.closed; i++) {
        try {
          const res = await fetch(url, {
            method: 'POST', body, signal: AbortSignal.timeout(5000),
            headers: { 'content-type': 'application/json', ...signedHeaders(this.o.eventsSecret, body, new Date()) },
          });
          const text = await res.text();
          if (res.ok) {
            if (final) {
              call.reportedAt = Date.now();
              call.reportResult = (JSON.parse(text) as { data?: { result?: string } }).data?.result ?? '?';
            }
            return;
          }
          reason = `HTTP ${res.status}: ${text.slice(0, 120)}`;
        } catch (error) {
          reason = (error as Error).message;
        }
        await new Promise((r) => setTimeout(r, 200 * 2 ** Math.min(i, 4)));
      }
      if (!this.closed) this.undelivered.push({ key: call.key, status, reason });
    })();
    this.posting.add(task);
    return task.finally(() => this.posting.delete(task));
  }
}

function pickOutcome(x: number): ProviderEventStatus {
  let acc = 0;
  for (const [status, p] of OUTCOMES) if (x < (acc += p)) return status;
  return 'completed';
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
