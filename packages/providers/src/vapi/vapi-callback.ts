// Vapi's server messages: POST { message: { type, call, timestamp, … } } to the
// server URL. Authenticated by the credential set on the server URL, checked
// with VAPI_WEBHOOK_SECRET: a bearer token (`Authorization: Bearer`, or the
// legacy `X-Vapi-Secret` header), or an HMAC (`x-signature` = hex HMAC-SHA256 of
// "<x-timestamp>.<raw body>", timestamp within 5 minutes).
//
// Handled: `status-update` (ringing, in-progress, forwarding → progress; queued
// and ended → nothing to apply: the outcome comes with the report) and
// `end-of-call-report` (endedReason → neutral outcome). Any other type → 422.
// `call.start.error-subscription-concurrency-limit-reached` → refused: Vapi did
// not start the call (the account's concurrency limit), nothing reached the
// recipient; the attempt does not count.
import { createHmac } from 'node:crypto';
import type { ProviderEventStatus } from '@wakeplan/contract';
import {
  instant, NO_DETAILS, ourTarget, record, refuse, sameSecret, sameSignature, seconds, text, type AuthCheck, type CallbackTarget, type CallbackVerdict,
} from '../provider-callback.ts';

const WINDOW_MS = 5 * 60_000;

export function verifyVapiRequest(input: { secret: string; headers: Record<string, string | undefined>; rawBody: Buffer; now: Date }): AuthCheck {
  const { headers, secret } = input;
  const signature = headers['x-signature'];
  if (signature !== undefined) {
    const timestamp = headers['x-timestamp'] ?? '';
    if (!/^\d{1,16}$/.test(timestamp)) return { ok: false, statusCode: 401, reason: 'x-signature without a numeric x-timestamp' };
    const ms = Number(timestamp) < 1e12 ? Number(timestamp) * 1000 : Number(timestamp);
    if (Math.abs(input.now.getTime() - ms) > WINDOW_MS) return { ok: false, statusCode: 401, reason: 'x-timestamp outside the 5-minute window' };
    const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(input.rawBody).digest();
    const given = Buffer.from(signature.replace(/^sha256=/i, ''), 'hex');
    return sameSignature(given, expected) ? { ok: true } : { ok: false, statusCode: 401, reason: 'x-signature does not match' };
  }
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1] ?? headers['x-vapi-secret'];
  if (bearer === undefined) return { ok: false, statusCode: 401, reason: 'no credential: expected Authorization: Bearer, X-Vapi-Secret or x-signature' };
  return sameSecret(bearer, secret) ? { ok: true } : { ok: false, statusCode: 401, reason: 'the credential does not match VAPI_WEBHOOK_SECRET' };
}

const PROGRESS: Record<string, ProviderEventStatus | null> = {
  queued: null, scheduled: null, ringing: 'ringing', 'in-progress': 'in_progress', forwarding: 'in_progress', ended: null,
};

const COMPLETED_REASONS = new Set([
  'customer-ended-call', 'assistant-ended-call', 'assistant-said-end-call-phrase', 'assistant-ended-call-after-message-spoken',
  'assistant-ended-call-with-hangup-task', 'assistant-forwarded-call', 'exceeded-max-duration', 'silence-timed-out',
]);

/** endedReason → neutral outcome; a reason we do not know is a failure (the call did end), recorded as sent. */
function vapiOutcome(endedReason: string): ProviderEventStatus {
  if (endedReason === 'call.start.error-subscription-concurrency-limit-reached') return 'refused';
  if (endedReason === 'customer-did-not-answer') return 'no_answer';
  if (endedReason === 'customer-busy') return 'busy';
  if (endedReason === 'voicemail') return 'voicemail';
  if (endedReason === 'manually-canceled') return 'canceled';
  if (COMPLETED_REASONS.has(endedReason)) return 'completed';
  return 'failed';
}

export function readVapiCallback(body: unknown, now: Date): CallbackVerdict {
  const message = record(record(body)?.message);
  if (!message) return refuse(400, 'the body must be { "message": { "type": … } }');
  const type = text(message.type);
  const call = record(message.call);
  const target = vapiTarget(call);
  if (!target) return refuse(400, 'message.call carries neither our metadata (wakeplan_call_id, wakeplan_attempt) nor an id');
  const providerCallId = text(call?.id);
  const occurredAt = instant(message.timestamp, now);
  if (type === 'status-update') {
    const status = text(message.status) ?? '';
    if (!(status in PROGRESS)) return refuse(422, `status-update with unknown status "${status}"`);
    return { kind: 'accepted', callback: { target, providerCallId, status: PROGRESS[status]!, durationSeconds: null, occurredAt, details: NO_DETAILS } };
  }
  if (type === 'end-of-call-report') {
    const endedReason = text(message.endedReason) ?? text(call?.endedReason);
    if (!endedReason) return refuse(400, 'end-of-call-report without endedReason');
    const artifact = record(message.artifact);
    return {
      kind: 'accepted',
      callback: {
        target, providerCallId, status: vapiOutcome(endedReason), occurredAt: instant(message.endedAt ?? message.timestamp, now),
        durationSeconds: seconds(message.durationSeconds) ?? spanSeconds(message.startedAt, message.endedAt),
        details: {
          endedReason,
          recordingUrl: text(message.recordingUrl) ?? text(artifact?.recordingUrl) ?? text(record(artifact?.recording)?.stereoUrl),
          transcript: text(artifact?.transcript) ?? text(message.transcript),
        },
      },
    };
  }
  return refuse(422, `message type "${type ?? ''}" is not handled: send status-update and end-of-call-report only`);
}

function vapiTarget(call: Record<string, unknown> | null): CallbackTarget | null {
  const metadata = record(record(call?.assistantOverrides)?.metadata) ?? record(call?.metadata);
  const ours = ourTarget(metadata?.wakeplan_call_id, metadata?.wakeplan_attempt);
  if (ours) return ours;
  const id = text(call?.id);
  return id ? { providerCallId: id } : null;
}

function spanSeconds(startedAt: unknown, endedAt: unknown): number | null {
  const ms = Date.parse(String(endedAt)) - Date.parse(String(startedAt));
  return seconds(ms / 1000);
}
