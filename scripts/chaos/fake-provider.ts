// The chaos suite's telephony provider on 127.0.0.1: it takes dial requests,
// places calls, and sends signed events about them to the API. It misbehaves on
// purpose, from the run's seed:
//
//   refusals   429 with Retry-After (nothing placed)
//   holds      the request is never answered and nothing is placed
//   lost       the call is placed but the answer never comes back
//   errors     503 (nothing placed)
//   outages    for a while every request is reset or answered 503 — longer than the dialer's retries
//   events     progress events, duplicated and late outcomes
//
// Two modes, two wires:
//   `deduplicating` — the webhook contract (DESIGN.md §6): `POST /dial` signed
//     with the dial secret, a repeated Idempotency-Key is the same call; events
//     to the request's callback_url (`/api/provider/events`), signed;
//   `reconciling` — Retell's API (retell-wire.ts; the workers run DIALER=retell):
//     NO deduplication, every accepted create places a call, as real providers;
//     `POST /v3/list-calls` finds the calls of an attempt by metadata (the
//     worker's find()); events are Retell webhooks to `/api/provider/retell`,
//     signed with the API key. Lookups meet outages too.
//
// Invariants: it records facts only — every request's arrival, every call's
// start, end and reported outcome, with real-time instants — and reports each
// arrival and start to the referee synchronously, before answering; whether a
// fact breaks a rule is the referee's (referee.ts) and the verdict's business.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signedHeaders, verifySignedBody, type ProviderEventStatus } from '@wakeplan/contract';
import type { Random } from './random.ts';
import {
  bearerOk, createdAnswer, eventFor, listAnswer, readListFilter, readRetellCreate, retellSignatureHeader, webhookBody,
  RETELL_CREATE_PATH, RETELL_LIST_PATH, type RetellEvent,
} from './retell-wire.ts';

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
  to: string;
  providerCallId: string;
  startedAt: number;
  endedAt: number | null;
  outcome: ProviderEventStatus;
  /** When the API accepted the final event (2xx), and what it answered. */
  reportedAt: number | null;
  reportResult: string | null;
  /** Where its events go (the webhook request's callback_url, or the API's Retell route), and Retell's metadata. */
  eventsUrl: string;
  metadata: Record<string, unknown>;
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
  /** Reconciling mode: Retell's API key (the Bearer token, and the webhooks' signing key). */
  retellApiKey: string;
  /** Reconciling mode: a Retell create names no campaign; the driver knows each number's. */
  campaignOf: (to: string) => string | null;
}

/** Lookups answered in reconciling mode (list-calls), by what they found. */
export interface LookupCounts {
  found: number;
  notFound: number;
  failed: number;
}

/** What a create request says, whichever the wire. */
interface Create {
  arrival: Arrival;
  authentic: boolean;
  eventsUrl: string;
  metadata: Record<string, unknown>;
}

const OUTCOMES: [ProviderEventStatus, number][] = [['completed', 0.6], ['no_answer', 0.2], ['busy', 0.1], ['voicemail', 0.05], ['failed', 0.05]];

export class FakeProvider {
  url = '';
  /** Reconciling mode: the API's Retell webhook route (set once the API listens). */
  retellWebhookUrl = '';
  faults: ProviderFaults = CALM;
  outageUntil = 0;
  readonly arrivals: Arrival[] = [];
  readonly calls: PlacedCall[] = [];
  readonly lookups: LookupCounts = { found: 0, notFound: 0, failed: 0 };
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
    const path = new URL(req.url ?? '/', 'http://provider').pathname;
    const route = `${req.method} ${path}`;
    if (this.o.mode === 'deduplicating' && route === 'POST /dial') return this.webhookCreate(req, body, res);
    if (this.o.mode === 'reconciling' && route === `POST ${RETELL_CREATE_PATH}`) return this.retellCreate(req, body, res);
    if (this.o.mode === 'reconciling' && route === `POST ${RETELL_LIST_PATH}`) return this.retellList(req, body, res);
    json(res, 404, { message: `no route ${route}` });
  }

  /** The webhook contract's `POST /dial`: signed, deduplicated by Idempotency-Key. */
  private webhookCreate(req: IncomingMessage, body: string, res: ServerResponse): void {
    let parsed: { call_id: string; attempt: number; campaign_id: string | null; to: string; callback_url: string };
    try {
      parsed = JSON.parse(body);
    } catch {
      return void res.writeHead(400).end('bad body');
    }
    const key = String(req.headers['idempotency-key'] ?? '');
    const signature = verifySignedBody({
      secret: this.o.dialSecret, timestampHeader: header(req, 'x-wakeplan-timestamp'), signatureHeader: header(req, 'x-wakeplan-signature'),
      rawBody: body, at: new Date(),
    });
    const create: Create = {
      arrival: this.arrival(key, parsed.call_id, parsed.attempt, parsed.campaign_id, parsed.to),
      authentic: signature.ok, eventsUrl: parsed.callback_url, metadata: {},
    };
    const existing = this.calls.find((c) => c.key === key);
    this.admit(create, existing, res, {
      rejected: () => res.writeHead(401).end('bad signature'),
      sameCall: (call) => json(res, 200, { provider_call_id: call.providerCallId }),
      placed: (call) => json(res, 200, { provider_call_id: call.providerCallId }),
    });
  }

  /** Retell's create: Bearer key, no deduplication. */
  private retellCreate(req: IncomingMessage, body: string, res: ServerResponse): void {
    const read = readRetellCreate(body);
    if (typeof read === 'string') return json(res, 400, { message: read });
    const create: Create = {
      arrival: this.arrival(read.key, read.callId, read.attempt, this.o.campaignOf(read.to), read.to),
      authentic: bearerOk(header(req, 'authorization'), this.o.retellApiKey), eventsUrl: this.retellWebhookUrl, metadata: read.metadata,
    };
    this.admit(create, undefined, res, {
      rejected: () => json(res, 401, { message: 'Unauthorized' }),
      sameCall: () => {},
      placed: (call) => json(res, 201, createdAnswer(call.providerCallId, call.metadata)),
    });
  }

  /** Retell's list-calls, filtered by metadata: the worker's find(). Answers every call matching, as Retell would. */
  private retellList(req: IncomingMessage, body: string, res: ServerResponse): void {
    if (!bearerOk(header(req, 'authorization'), this.o.retellApiKey)) return json(res, 401, { message: 'Unauthorized' });
    const filter = readListFilter(body);
    if (typeof filter === 'string') return json(res, 400, { message: filter });
    if (Date.now() < this.outageUntil) {
      this.lookups.failed++;
      return this.o.random.chance(0.5) ? void res.destroy() : json(res, 503, { message: 'down' });
    }
    const found = this.calls.filter((c) => filter.every(([k, v]) => c.metadata[k] === v));
    if (found.length > 0) this.lookups.found++;
    else this.lookups.notFound++;
    json(res, 200, listAnswer(found.map((c) => ({ retellCallId: c.providerCallId, metadata: c.metadata, ended: c.endedAt !== null, outcome: c.outcome }))));
  }

  private arrival(key: string, callId: string, attempt: number, campaignId: string | null, to: string): Arrival {
    const nth = (this.seen.get(key) ?? 0) + 1;
    this.seen.set(key, nth);
    return { key, callId, attempt, campaignId, to, at: Date.now(), nth, answer: 'placed' };
  }

  /** The faults, the same for both wires; `existing`: the call a deduplicating provider already has for this key. */
  private admit(create: Create, existing: PlacedCall | undefined, res: ServerResponse, answer: {
    rejected: () => void; sameCall: (call: PlacedCall) => void; placed: (call: PlacedCall) => void;
  }): void {
    const r = this.o.random;
    const { arrival } = create;
    arrival.answer = !create.authentic ? 'bad_signature'
      : Date.now() < this.outageUntil ? 'outage'
        : existing ? 'same_call'
          : r.chance(this.faults.refuse) ? 'refused'
            : r.chance(this.faults.hold) ? 'held'
              : r.chance(this.faults.error) ? 'error'
                : r.chance(this.faults.lost) ? 'lost' : 'placed';
    this.arrivals.push(arrival);
    this.o.referee.onArrival(arrival, this);
    switch (arrival.answer) {
      case 'bad_signature': return answer.rejected();
      case 'outage': return r.chance(0.5) ? void res.destroy() : json(res, 503, { message: 'down' });
      case 'same_call': return answer.sameCall(existing!);
      case 'refused': return void res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' }).end('{"message":"slow down"}');
      case 'held': return void this.held.add(res);
      case 'error': return json(res, 503, { message: 'try again' });
      default: {
        const call = this.place(create);
        if (arrival.answer === 'lost') this.held.add(res);
        else answer.placed(call);
      }
    }
  }

  private place({ arrival: a, eventsUrl, metadata }: Create): PlacedCall {
    const r = this.o.random;
    const call: PlacedCall = {
      key: a.key, callId: a.callId, attempt: a.attempt, campaignId: a.campaignId, to: a.to,
      providerCallId: this.o.mode === 'reconciling' ? `call_${this.calls.length + 1}` : `pc-${this.calls.length + 1}`,
      startedAt: Date.now(), endedAt: null, outcome: pickOutcome(r()), reportedAt: null, reportResult: null, eventsUrl, metadata,
    };
    this.calls.push(call);
    this.o.referee.onPlace(call, this);
    const ms = r.between(this.o.callMs[0], this.o.callMs[1]);
    if (r.chance(this.faults.progress)) this.later(ms * 0.3, () => this.post(call, 'ringing'));
    if (r.chance(this.faults.progress)) this.later(ms * 0.6, () => this.post(call, 'in_progress'));
    const duplicate = r.chance(this.faults.duplicateEvent);
    const lateProgress = r.chance(this.faults.progress / 4);
    this.later(ms, () => {
      call.endedAt = Date.now(); // leaves the provider's count before its outcome is reported
      void this.post(call, call.outcome, true).then(() => {
        // Retell follows call_ended with call_analyzed (or repeats a delivery); the webhook contract repeats the event.
        if (duplicate) void this.post(call, call.outcome, false, this.o.mode === 'reconciling' && r.chance(0.5));
        if (lateProgress) void this.post(call, 'in_progress');
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

  /**
   * Posts one event, retrying as providers do until the API accepts it: the
   * webhook contract's signed event, or Retell's webhook (`analyzed`: the
   * call_analyzed that follows call_ended; a status Retell has no event for is not sent).
   */
  private post(call: PlacedCall, status: ProviderEventStatus, final = false, analyzed = false): Promise<void> {
    let event: RetellEvent | null = null;
    if (this.o.mode === 'reconciling') {
      event = analyzed ? 'call_analyzed' : eventFor(status, call.outcome);
      if (event === null) return Promise.resolve();
    }
    const task = (async () => {
      let reason = '';
      for (let i = 0; i < 12 && !this.closed; i++) {
        const { body, headers } = event ? this.retellEvent(call, event) : this.webhookEvent(call, status, final);
        try {
          const res = await fetch(call.eventsUrl, {
            method: 'POST', body, signal: AbortSignal.timeout(5000), headers: { 'content-type': 'application/json', ...headers },
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

  private webhookEvent(call: PlacedCall, status: ProviderEventStatus, final: boolean): { body: string; headers: Record<string, string> } {
    const body = JSON.stringify({
      call_id: call.callId, attempt: call.attempt, provider_call_id: call.providerCallId, status,
      duration_seconds: final ? Math.round(((call.endedAt ?? Date.now()) - call.startedAt) / 1000) : null,
      occurred_at: new Date().toISOString(),
    });
    return { body, headers: signedHeaders(this.o.eventsSecret, body, new Date()) };
  }

  private retellEvent(call: PlacedCall, event: RetellEvent): { body: string; headers: Record<string, string> } {
    const body = webhookBody(event, {
      retellCallId: call.providerCallId, to: call.to, metadata: call.metadata, startedAt: call.startedAt, endedAt: call.endedAt, outcome: call.outcome,
    });
    return { body, headers: { 'x-retell-signature': retellSignatureHeader(this.o.retellApiKey, body, Date.now()) } };
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
