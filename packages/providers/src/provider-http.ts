// One HTTP exchange with a provider, and what its answer means for a create or
// a lookup. Shared by the four adapters; plain fetch, no retries here.
//
// Invariants (PROVIDERS.md: no provider accepts an idempotency key):
//   * a create is sent ONCE per dial(); it is never retried by this module;
//   * `refused` (safe to send again) only when the provider provably did not
//     process the request: the connection was refused or the name did not
//     resolve (nothing was sent), a 429, or the provider's own "concurrency
//     limit" answer to the create;
//   * any other failure after the request may have left — a timeout, a reset,
//     a 5xx — is `unconfirmed`: the worker reconciles with find(), never re-sends blindly;
//   * another 4xx is `rejected` (the attempt failed; the retry policy decides).
import { describeFailure } from '@wakeplan/runtime';
import type { CallLookup, DialResult } from './dialer-port.ts';

export type HttpAnswer =
  | { kind: 'answer'; status: number; body: unknown; text: string; retryAfterMs: number | null }
  | { kind: 'not_sent'; reason: string }
  | { kind: 'no_answer'; reason: string };

/** Error codes that mean the request never reached the provider. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

export interface HttpCall {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export async function exchange(call: HttpCall): Promise<HttpAnswer> {
  let response: Response;
  try {
    response = await fetch(call.url, {
      method: call.method, headers: call.headers, body: call.body, signal: AbortSignal.timeout(call.timeoutMs),
    });
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    if (code && NOT_SENT_CODES.has(code)) return { kind: 'not_sent', reason: `${code}: the request was not sent` };
    return { kind: 'no_answer', reason: describeFailure(error) };
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    return { kind: 'no_answer', reason: `HTTP ${response.status}, body lost: ${describeFailure(error)}` };
  }
  return { kind: 'answer', status: response.status, body: parseJson(text), text, retryAfterMs: retryAfterMs(response.headers.get('retry-after')) };
}

export interface CreateRules {
  /** The provider's id of the call in a 2xx body, or null. */
  idOf: (body: unknown) => string | null;
  /** True when a 4xx answer is the provider's own concurrency limit: nothing was placed. */
  isConcurrencyLimit?: (answer: { status: number; text: string }) => boolean;
}

export function classifyCreate(answer: HttpAnswer, rules: CreateRules): DialResult {
  if (answer.kind === 'not_sent') return { kind: 'refused', reason: answer.reason, retryAfterMs: null };
  if (answer.kind === 'no_answer') return { kind: 'unconfirmed', reason: answer.reason };
  const { status, text } = answer;
  if (status >= 200 && status < 300) return { kind: 'confirmed', providerCallId: rules.idOf(answer.body) };
  if (status === 429) return { kind: 'refused', reason: `HTTP 429: ${snippet(text)}`, retryAfterMs: answer.retryAfterMs };
  if (status >= 400 && status < 500 && rules.isConcurrencyLimit?.({ status, text })) {
    return { kind: 'refused', reason: `concurrency limit: HTTP ${status}: ${snippet(text)}`, retryAfterMs: answer.retryAfterMs };
  }
  if (status >= 400 && status < 500) return { kind: 'rejected', reason: `HTTP ${status}: ${snippet(text)}` };
  return { kind: 'unconfirmed', reason: `HTTP ${status}: ${snippet(text)}` };
}

/** A lookup answer: 2xx is read by `read`; anything else leaves the attempt unknown. */
export function classifyLookup(answer: HttpAnswer, read: (body: unknown) => CallLookup): CallLookup {
  if (answer.kind !== 'answer') return { kind: 'unknown', reason: `lookup failed: ${answer.reason}` };
  if (answer.status < 200 || answer.status >= 300) return { kind: 'unknown', reason: `lookup failed: HTTP ${answer.status}: ${snippet(answer.text)}` };
  return read(answer.body);
}

/** Several calls matched one attempt: we cannot say which, so we say we do not know. */
export function lookupOf(ids: string[]): CallLookup {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return { kind: 'not_found' };
  if (unique.length === 1) return { kind: 'found', providerCallId: unique[0]! };
  return { kind: 'unknown', reason: `${unique.length} calls match this attempt (${unique.slice(0, 3).join(', ')})` };
}

export function mentionsConcurrency(text: string): boolean {
  return /concurren/i.test(text);
}

export function stringField(value: unknown, key: string): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'string' && field !== '' ? field : null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function retryAfterMs(header: string | null): number | null {
  if (header === null || !/^\d{1,6}$/.test(header.trim())) return null;
  return Number(header.trim()) * 1000;
}

function snippet(text: string): string {
  return text.slice(0, 200);
}
