// Twilio's status callback: form-encoded, signed with X-Twilio-Signature =
// base64(HMAC-SHA1(auth token, full URL + every POST parameter's name and value,
// sorted by name)). The URL is the one Twilio called — our public URL with its
// query (call_id, attempt), which the signature therefore covers.
//
// Mapping (PROVIDERS.md): queued/initiated → nothing to apply; ringing →
// ringing; in-progress → in_progress; completed → completed, or voicemail when
// AnsweredBy starts with `machine_`; busy, no-answer, failed, canceled → the
// same neutral outcome. Twilio signs no timestamp: a replay is answered as the
// duplicate it is by the idempotent outcome logic.
import { createHmac } from 'node:crypto';
import type { ProviderEventStatus } from '@wakeplan/contract';
import { instant, ourTarget, refuse, sameSignature, seconds, text, type AuthCheck, type CallbackVerdict } from '../provider-callback.ts';

export function verifyTwilioSignature(input: { authToken: string; url: string; params: URLSearchParams; signature: string | undefined }): AuthCheck {
  if (!input.signature) return { ok: false, statusCode: 401, reason: 'missing X-Twilio-Signature' };
  const given = Buffer.from(input.signature, 'base64');
  for (const url of urlVariants(input.url)) {
    if (sameSignature(given, twilioSignature(input.authToken, url, input.params))) return { ok: true };
  }
  return { ok: false, statusCode: 401, reason: 'X-Twilio-Signature does not match (is PUBLIC_URL the URL Twilio calls?)' };
}

export function twilioSignature(authToken: string, url: string, params: URLSearchParams): Buffer {
  const mac = createHmac('sha1', authToken).update(url);
  for (const name of [...new Set(params.keys())].sort()) {
    for (const value of params.getAll(name).sort()) mac.update(name + value);
  }
  return mac.digest();
}

/** Twilio may sign with or without the default port; its own SDK accepts both. */
function urlVariants(url: string): string[] {
  try {
    const u = new URL(url);
    const defaultPort = u.protocol === 'https:' ? '443' : '80';
    if (u.port === '') return [url, url.replace(u.host, `${u.hostname}:${defaultPort}`)];
    if (u.port === defaultPort) return [url, url.replace(u.host, u.hostname)];
  } catch { /* not a URL: only the exact text can match */ }
  return [url];
}

const STATUS: Record<string, ProviderEventStatus | null> = {
  queued: null, initiated: null, ringing: 'ringing', 'in-progress': 'in_progress',
  completed: 'completed', busy: 'busy', 'no-answer': 'no_answer', failed: 'failed', canceled: 'canceled',
};

export function readTwilioCallback(query: { call_id?: unknown; attempt?: unknown }, params: URLSearchParams, now: Date): CallbackVerdict {
  const target = ourTarget(query.call_id, query.attempt);
  if (!target) return refuse(400, 'the callback URL needs call_id (a UUID) and attempt (an integer >= 1)');
  const callSid = text(params.get('CallSid'));
  const callStatus = params.get('CallStatus') ?? '';
  if (!callSid) return refuse(400, 'CallSid is missing');
  if (!(callStatus in STATUS)) return refuse(422, `CallStatus "${callStatus}" is not a Twilio call status`);
  const answeredBy = params.get('AnsweredBy') ?? '';
  const status = callStatus === 'completed' && answeredBy.startsWith('machine_') ? 'voicemail' : STATUS[callStatus]!;
  return {
    kind: 'accepted',
    callback: {
      target,
      providerCallId: callSid,
      status,
      durationSeconds: seconds(params.get('CallDuration')),
      occurredAt: instant(params.get('Timestamp'), now),
      details: {
        endedReason: answeredBy ? `${callStatus} (${answeredBy})` : callStatus,
        recordingUrl: text(params.get('RecordingUrl')),
        transcript: null,
      },
    },
  };
}
