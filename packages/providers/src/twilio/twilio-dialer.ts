// Twilio Programmable Voice: create a call (form-encoded, HTTP Basic) and find
// one again. Twilio has no metadata field, so our call id and attempt ride in
// the StatusCallback URL's query (Twilio signs the full URL, so they cannot be
// forged); per-contact variables become query parameters of the TwiML URL.
//
// Reconciliation: Twilio cannot be asked "the call of attempt X"; find() lists
// calls To the contact From our number and keeps those created within the
// look-back. Exactly one → found; none → not_found; several → unknown (never a
// guess, never a second call).
// Pacing: at most TWILIO_CALLS_PER_SECOND creates a second (call-pacer.ts).
import type { DialRequest } from '@wakeplan/contract';
import type { Clock } from '@wakeplan/runtime';
import { CallPacer } from '../call-pacer.ts';
import { variableText, type CallLookup, type DialResult, type ProviderDialer } from '../dialer-port.ts';
import { classifyCreate, classifyLookup, exchange, lookupOf, mentionsConcurrency, stringField } from '../provider-http.ts';

export interface TwilioDialerOptions {
  accountSid: string;
  authToken: string;
  fromNumber: string;
  twimlUrl: string;
  apiBaseUrl: string;
  /** The API's public base URL: status callbacks go to <publicUrl>/api/provider/twilio/status. */
  publicUrl: string;
  callsPerSecond: number;
  clock: Clock;
  timeoutMs: number;
  lookbackMs: number;
}

/** Twilio's status events we ask for (the default is `completed` only). */
const STATUS_EVENTS = ['initiated', 'ringing', 'answered', 'completed'];

export class TwilioDialer implements ProviderDialer {
  readonly name = 'twilio';
  readonly resend = 'reconciles' as const;
  private readonly pacer: CallPacer;

  constructor(private readonly o: TwilioDialerOptions) {
    this.pacer = new CallPacer(o.clock, o.callsPerSecond);
  }

  async dial(request: DialRequest): Promise<DialResult> {
    await this.pacer.wait();
    const form = new URLSearchParams({
      To: request.to,
      From: this.o.fromNumber,
      Url: twimlUrlWith(this.o.twimlUrl, request.variables),
      StatusCallback: twilioStatusCallbackUrl(this.o.publicUrl, request.callId, request.attempt),
      StatusCallbackMethod: 'POST',
    });
    for (const event of STATUS_EVENTS) form.append('StatusCallbackEvent', event);
    const answer = await exchange({
      method: 'POST', url: this.callsUrl(), timeoutMs: this.o.timeoutMs, body: form.toString(),
      headers: { ...this.auth(), 'content-type': 'application/x-www-form-urlencoded' },
    });
    return classifyCreate(answer, { idOf: (body) => stringField(body, 'sid'), isConcurrencyLimit: ({ text }) => mentionsConcurrency(text) });
  }

  async find(request: DialRequest): Promise<CallLookup> {
    const query = new URLSearchParams({ To: request.to, From: this.o.fromNumber, PageSize: '50' });
    const answer = await exchange({ method: 'GET', url: `${this.callsUrl()}?${query}`, headers: this.auth(), timeoutMs: this.o.timeoutMs });
    const sinceMs = this.o.clock.now().getTime() - this.o.lookbackMs;
    return classifyLookup(answer, (body) => {
      const calls = (body as { calls?: unknown } | null)?.calls;
      if (!Array.isArray(calls)) return { kind: 'unknown', reason: 'the call list has no `calls` array' };
      const recent = calls.filter((c) => stringField(c, 'to') === request.to && Date.parse(stringField(c, 'date_created') ?? '') >= sinceMs);
      return lookupOf(recent.map((c) => stringField(c, 'sid')).filter((sid): sid is string => sid !== null));
    });
  }

  async close(): Promise<void> {}

  private callsUrl(): string {
    return `${this.o.apiBaseUrl}/2010-04-01/Accounts/${encodeURIComponent(this.o.accountSid)}/Calls.json`;
  }

  private auth(): Record<string, string> {
    return { authorization: `Basic ${Buffer.from(`${this.o.accountSid}:${this.o.authToken}`).toString('base64')}` };
  }
}

function twilioStatusCallbackUrl(publicUrl: string, callId: string, attempt: number): string {
  return `${publicUrl}/api/provider/twilio/status?${new URLSearchParams({ call_id: callId, attempt: String(attempt) })}`;
}

function twimlUrlWith(base: string, variables: Record<string, unknown>): string {
  const url = new URL(base);
  for (const [name, value] of Object.entries(variables)) url.searchParams.set(name, variableText(value));
  return url.toString();
}
