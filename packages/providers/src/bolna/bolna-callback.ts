// Bolna's execution webhook: one URL per agent, the whole execution POSTed on
// every status change. Bolna signs nothing, so the URL carries a secret token
// (/api/provider/bolna/<BOLNA_WEBHOOK_TOKEN>), compared in constant time.
//
// Mapping: ringing → ringing; in-progress and call-disconnected → in_progress
// (call-disconnected is NOT final: the outcome comes with `completed`, after
// post-processing); completed → voicemail when answered_by_voice_mail, no_answer
// when conversation_duration is 0 (a rejected call arrives so), else completed;
// no-answer, busy, canceled → the same; stopped, failed, error, balance-low →
// failed; queued, scheduled, rescheduled, initiated → nothing to apply.
import type { ProviderEventStatus } from '@wakeplan/contract';
import { instant, ourTarget, record, refuse, sameSecret, seconds, text, type AuthCheck, type CallbackTarget, type CallbackVerdict } from '../provider-callback.ts';

export function verifyBolnaToken(given: string, expected: string): AuthCheck {
  return sameSecret(given, expected) ? { ok: true } : { ok: false, statusCode: 403, reason: 'wrong webhook token' };
}

const STATUS: Record<string, ProviderEventStatus | null> = {
  queued: null, scheduled: null, rescheduled: null, initiated: null,
  ringing: 'ringing', 'in-progress': 'in_progress', 'call-disconnected': 'in_progress',
  'no-answer': 'no_answer', busy: 'busy', canceled: 'canceled',
  stopped: 'failed', failed: 'failed', error: 'failed', 'balance-low': 'failed',
};

export function readBolnaCallback(body: unknown, now: Date): CallbackVerdict {
  const execution = record(body);
  const id = text(execution?.id) ?? text(execution?.execution_id);
  const status = text(execution?.status);
  if (!execution || !id || !status) return refuse(400, 'the body must be an execution with id and status');
  if (status !== 'completed' && !(status in STATUS)) return refuse(422, `execution status "${status}" is not a Bolna status`);
  const duration = seconds(execution.conversation_duration) ?? seconds(execution.conversation_time);
  const telephony = record(execution.telephony_data);
  return {
    kind: 'accepted',
    callback: {
      target: bolnaTarget(execution, id),
      providerCallId: id,
      status: status === 'completed' ? completedOutcome(execution.answered_by_voice_mail === true, duration) : STATUS[status]!,
      durationSeconds: duration,
      occurredAt: instant(execution.updated_at, now),
      details: {
        endedReason: text(telephony?.hangup_reason) ?? status,
        recordingUrl: text(telephony?.recording_url) ?? text(execution.recording_url),
        transcript: text(execution.transcript),
      },
    },
  };
}

function completedOutcome(voicemail: boolean, durationSeconds: number | null): ProviderEventStatus {
  if (voicemail) return 'voicemail';
  return durationSeconds === 0 ? 'no_answer' : 'completed';
}

function bolnaTarget(execution: Record<string, unknown>, id: string): CallbackTarget {
  const data = record(record(execution.context_details)?.recipient_data);
  return ourTarget(data?.wakeplan_call_id, data?.wakeplan_attempt) ?? { providerCallId: id };
}
