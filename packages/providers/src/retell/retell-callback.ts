// Retell's webhooks: POST { event, call }, signed `x-retell-signature:
// v=<ms timestamp>,d=<hex HMAC-SHA256(API key, raw body + timestamp)>` — the
// scheme of the official SDK's verify(), which rejects timestamps more than 5
// minutes from now. Checked over the raw body, in constant time.
//
// Events: call_started → in_progress; call_ended and call_analyzed → the
// outcome of `disconnection_reason` (call_analyzed: voicemail when the analysis
// says in_voicemail). A repeat (Retell retries up to 3 times) is a duplicate.
// `concurrency_limit_reached` → refused: Retell did not start the call (its
// workspace limit), nothing reached the recipient; the attempt does not count.
import { createHmac } from 'node:crypto';
import type { ProviderEventStatus } from '@wakeplan/contract';
import {
  instant, milliseconds, NO_DETAILS, ourTarget, record, refuse, sameSignature, text, type AuthCheck, type CallbackTarget, type CallbackVerdict,
} from '../provider-callback.ts';

const WINDOW_MS = 5 * 60_000;

export function retellSignature(apiKey: string, rawBody: Buffer | string, timestampMs: number): string {
  return createHmac('sha256', apiKey).update(rawBody).update(String(timestampMs)).digest('hex');
}

export function verifyRetellSignature(input: { apiKey: string; signature: string | undefined; rawBody: Buffer; now: Date }): AuthCheck {
  const match = /^v=(\d{1,16}),d=([0-9a-f]{64})$/i.exec(input.signature ?? '');
  if (!match) return { ok: false, statusCode: 401, reason: 'missing or malformed x-retell-signature (v=<ms>,d=<hex>)' };
  const timestampMs = Number(match[1]);
  if (Math.abs(input.now.getTime() - timestampMs) > WINDOW_MS) return { ok: false, statusCode: 401, reason: 'x-retell-signature timestamp outside the 5-minute window' };
  const expected = Buffer.from(retellSignature(input.apiKey, input.rawBody, timestampMs), 'hex');
  return sameSignature(Buffer.from(match[2]!, 'hex'), expected) ? { ok: true } : { ok: false, statusCode: 401, reason: 'x-retell-signature does not match' };
}

const COMPLETED = new Set(['user_hangup', 'agent_hangup', 'call_transfer', 'inactivity', 'max_duration_reached', 'transfer_bridged']);

/** disconnection_reason → neutral outcome; unknown reasons (errors, dial_failed, …) are failures. */
function retellOutcome(reason: string): ProviderEventStatus {
  if (reason === 'concurrency_limit_reached') return 'refused';
  if (reason === 'dial_no_answer') return 'no_answer';
  if (reason === 'dial_busy') return 'busy';
  if (reason === 'voicemail_reached') return 'voicemail';
  if (reason === 'manual_stopped') return 'canceled';
  return COMPLETED.has(reason) ? 'completed' : 'failed';
}

export function readRetellCallback(body: unknown, now: Date): CallbackVerdict {
  const event = text(record(body)?.event);
  const call = record(record(body)?.call);
  if (!event || !call) return refuse(400, 'the body must be { "event": …, "call": { … } }');
  const target = retellTarget(call);
  if (!target) return refuse(400, 'call carries neither our metadata (wakeplan_call_id, wakeplan_attempt) nor a call_id');
  const providerCallId = text(call.call_id);
  if (event === 'call_started') {
    return { kind: 'accepted', callback: { target, providerCallId, status: 'in_progress', durationSeconds: null, occurredAt: instant(call.start_timestamp, now), details: NO_DETAILS } };
  }
  if (event !== 'call_ended' && event !== 'call_analyzed') return refuse(422, `event "${event}" is not handled: call_started, call_ended, call_analyzed`);
  const reason = text(call.disconnection_reason);
  if (!reason) return refuse(400, `${event} without call.disconnection_reason`);
  const inVoicemail = record(call.call_analysis)?.in_voicemail === true;
  const durationMs = milliseconds(call.duration_ms) ?? milliseconds(span(call.start_timestamp, call.end_timestamp));
  return {
    kind: 'accepted',
    callback: {
      target, providerCallId,
      status: event === 'call_analyzed' && inVoicemail ? 'voicemail' : retellOutcome(reason),
      durationSeconds: durationMs === null ? null : Math.round(durationMs / 1000),
      occurredAt: instant(call.end_timestamp, now),
      details: { endedReason: reason, recordingUrl: text(call.recording_url), transcript: text(call.transcript) },
    },
  };
}

function retellTarget(call: Record<string, unknown>): CallbackTarget | null {
  const metadata = record(call.metadata);
  const ours = ourTarget(metadata?.wakeplan_call_id, metadata?.wakeplan_attempt);
  if (ours) return ours;
  const id = text(call.call_id);
  return id ? { providerCallId: id } : null;
}

function span(start: unknown, end: unknown): number | null {
  return typeof start === 'number' && typeof end === 'number' && end >= start ? end - start : null;
}
