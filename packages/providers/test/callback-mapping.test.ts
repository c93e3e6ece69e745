// Every documented final status and ended reason of each provider → the right
// neutral outcome (PROVIDERS.md's mapping tables), read from payloads shaped as
// the providers send them; malformed or unhandled payloads are refused with
// 400/422, never thrown.
import { describe, expect, it } from 'vitest';
import { readBolnaCallback, readRetellCallback, readTwilioCallback, readVapiCallback, type CallbackVerdict } from '../src/index.ts';

const NOW = new Date('2026-03-02T15:00:00Z');
const CALL_ID = '5f0c6a52-3f57-4c1e-9a38-2d2f0f1b8a11';
const META = { wakeplan_call_id: CALL_ID, wakeplan_attempt: '2', wakeplan_key: `${CALL_ID}:2` };

const statusOf = (v: CallbackVerdict) => (v.kind === 'accepted' ? v.callback.status : `refused ${v.statusCode}`);

describe('twilio CallStatus (and AnsweredBy)', () => {
  const read = (fields: Record<string, string>) => readTwilioCallback({ call_id: CALL_ID, attempt: '2' }, new URLSearchParams({ CallSid: 'CA1', ...fields }), NOW);
  it.each([
    ['queued', '', null], ['initiated', '', null], ['ringing', '', 'ringing'], ['in-progress', '', 'in_progress'],
    ['completed', '', 'completed'], ['completed', 'human', 'completed'], ['completed', 'machine_start', 'voicemail'],
    ['completed', 'machine_end_beep', 'voicemail'], ['busy', '', 'busy'], ['no-answer', '', 'no_answer'], ['failed', '', 'failed'], ['canceled', '', 'canceled'],
  ])('%s %s → %s', (CallStatus, AnsweredBy, expected) => {
    expect(statusOf(read(AnsweredBy ? { CallStatus, AnsweredBy } : { CallStatus }))).toBe(expected);
  });
  it('targets the attempt of the callback URL; refuses a missing or bad target, a missing sid, an unknown status', () => {
    const v = read({ CallStatus: 'completed', CallDuration: '9' });
    expect(v).toMatchObject({ kind: 'accepted', callback: { target: { callId: CALL_ID, attempt: 2 }, providerCallId: 'CA1', durationSeconds: 9 } });
    expect(statusOf(readTwilioCallback({ call_id: 'x', attempt: '1' }, new URLSearchParams({ CallSid: 'CA1', CallStatus: 'busy' }), NOW))).toBe('refused 400');
    expect(statusOf(readTwilioCallback({ call_id: CALL_ID, attempt: '1' }, new URLSearchParams({ CallStatus: 'busy' }), NOW))).toBe('refused 400');
    expect(statusOf(read({ CallStatus: 'vanished' }))).toBe('refused 422');
  });
});

describe('vapi endedReason', () => {
  const report = (endedReason: string) => readVapiCallback({ message: { type: 'end-of-call-report', endedReason, call: { id: 'v1', assistantOverrides: { metadata: META } } } }, NOW);
  it.each([
    ['customer-did-not-answer', 'no_answer'], ['customer-busy', 'busy'], ['voicemail', 'voicemail'], ['manually-canceled', 'canceled'],
    ['customer-ended-call', 'completed'], ['assistant-ended-call', 'completed'], ['assistant-said-end-call-phrase', 'completed'],
    ['assistant-forwarded-call', 'completed'], ['exceeded-max-duration', 'completed'], ['silence-timed-out', 'completed'],
    ['call.start.error-subscription-concurrency-limit-reached', 'refused'], ['call.start.error-get-org', 'failed'], ['twilio-failed-to-connect-call', 'failed'],
    ['pipeline-error-openai-llm-failed', 'failed'], ['assistant-not-found', 'failed'],
  ])('%s → %s', (reason, expected) => {
    expect(statusOf(report(reason))).toBe(expected);
  });
  it.each([
    ['queued', null], ['ringing', 'ringing'], ['in-progress', 'in_progress'], ['forwarding', 'in_progress'], ['ended', null],
  ])('status-update %s → %s', (status, expected) => {
    expect(statusOf(readVapiCallback({ message: { type: 'status-update', status, call: { id: 'v1', metadata: META } } }, NOW))).toBe(expected);
  });
  it('falls back to the provider call id; refuses other shapes', () => {
    const v = readVapiCallback({ message: { type: 'status-update', status: 'ringing', call: { id: 'v9' } } }, NOW);
    expect(v).toMatchObject({ callback: { target: { providerCallId: 'v9' } } });
    expect(statusOf(readVapiCallback({ hello: 1 }, NOW))).toBe('refused 400');
    expect(statusOf(readVapiCallback({ message: { type: 'speech-update', call: { id: 'v9' } } }, NOW))).toBe('refused 422');
    expect(statusOf(readVapiCallback({ message: { type: 'end-of-call-report', call: { id: 'v9' } } }, NOW))).toBe('refused 400');
  });
});

describe('retell disconnection_reason', () => {
  const ended = (reason: string, event = 'call_ended', analysis?: object) =>
    readRetellCallback({ event, call: { call_id: 'r1', metadata: META, disconnection_reason: reason, call_analysis: analysis } }, NOW);
  it.each([
    ['dial_no_answer', 'no_answer'], ['dial_busy', 'busy'], ['voicemail_reached', 'voicemail'], ['manual_stopped', 'canceled'],
    ['user_hangup', 'completed'], ['agent_hangup', 'completed'], ['call_transfer', 'completed'], ['inactivity', 'completed'],
    ['max_duration_reached', 'completed'], ['dial_failed', 'failed'], ['invalid_destination', 'failed'],
    ['telephony_provider_permission_denied', 'failed'], ['concurrency_limit_reached', 'refused'], ['error_llm_websocket_open', 'failed'],
  ])('%s → %s', (reason, expected) => {
    expect(statusOf(ended(reason))).toBe(expected);
  });
  it('call_started is progress; call_analyzed in voicemail is voicemail; other events are 422', () => {
    expect(statusOf(readRetellCallback({ event: 'call_started', call: { call_id: 'r1', metadata: META } }, NOW))).toBe('in_progress');
    expect(statusOf(ended('user_hangup', 'call_analyzed', { in_voicemail: true }))).toBe('voicemail');
    expect(statusOf(ended('user_hangup', 'call_analyzed', { in_voicemail: false }))).toBe('completed');
    expect(statusOf(readRetellCallback({ event: 'transcript_updated', call: { call_id: 'r1' } }, NOW))).toBe('refused 422');
    expect(statusOf(readRetellCallback({ event: 'call_ended' }, NOW))).toBe('refused 400');
  });
});

describe('bolna execution status', () => {
  const exec = (status: string, extra: object = {}) => readBolnaCallback({ id: 'e1', status, conversation_duration: 30, ...extra }, NOW);
  it.each([
    ['queued', {}, null], ['initiated', {}, null], ['ringing', {}, 'ringing'], ['in-progress', {}, 'in_progress'],
    ['call-disconnected', {}, 'in_progress'], ['completed', {}, 'completed'], ['completed', { answered_by_voice_mail: true }, 'voicemail'],
    ['completed', { conversation_duration: 0 }, 'no_answer'], ['no-answer', {}, 'no_answer'], ['busy', {}, 'busy'], ['canceled', {}, 'canceled'],
    ['stopped', {}, 'failed'], ['failed', {}, 'failed'], ['error', {}, 'failed'], ['balance-low', {}, 'failed'],
  ])('%s %o → %s', (status, extra, expected) => {
    expect(statusOf(exec(status, extra))).toBe(expected);
  });
  it('targets our ids from the recipient data, else the execution id; refuses other shapes', () => {
    expect(exec('busy', { context_details: { recipient_data: META } })).toMatchObject({ callback: { target: { callId: CALL_ID, attempt: 2 } } });
    expect(exec('busy')).toMatchObject({ callback: { target: { providerCallId: 'e1' } } });
    expect(statusOf(readBolnaCallback([1, 2], NOW))).toBe('refused 400');
    expect(statusOf(exec('teleported'))).toBe('refused 422');
  });
});

describe('whatever arrives, a reader answers and never throws', () => {
  it('accepts or refuses arbitrary JSON, and every accepted instant and duration is sane', async () => {
    const fc = (await import('fast-check')).default;
    const shaped = fc.record({
      event: fc.constantFrom('call_started', 'call_ended', 'call_analyzed', 'x'),
      id: fc.string(), status: fc.constantFrom('completed', 'busy', 'ringing', 'queued', 'x'),
      conversation_duration: fc.oneof(fc.double(), fc.string(), fc.constant(1e300)),
      updated_at: fc.oneof(fc.string(), fc.double(), fc.constant(1e20)),
      call: fc.record({ call_id: fc.string(), disconnection_reason: fc.string(), duration_ms: fc.oneof(fc.double(), fc.constant(-1)), start_timestamp: fc.double(), end_timestamp: fc.double(), metadata: fc.jsonValue() }),
      message: fc.record({ type: fc.constantFrom('status-update', 'end-of-call-report', 'x'), status: fc.string(), endedReason: fc.string(), timestamp: fc.oneof(fc.double(), fc.constant(1e20)), startedAt: fc.string(), endedAt: fc.string(), call: fc.jsonValue() }),
    }, { requiredKeys: [] });
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), shaped), (body) => {
      for (const verdict of [readVapiCallback(body, NOW), readRetellCallback(body, NOW), readBolnaCallback(body, NOW),
        readTwilioCallback({ call_id: CALL_ID, attempt: '1' }, new URLSearchParams(typeof body === 'string' ? body : JSON.stringify(body)), NOW)]) {
        expect(['accepted', 'refused']).toContain(verdict.kind);
        if (verdict.kind === 'accepted') {
          expect(Number.isFinite(Date.parse(verdict.callback.occurredAt))).toBe(true);
          const d = verdict.callback.durationSeconds;
          expect(d === null || (Number.isInteger(d) && d >= 0 && d < 2 ** 31)).toBe(true);
        }
      }
    }), {
      numRuns: 500,
      // Found by CI: a duration in seconds that rounds past an int (duration_seconds) was accepted.
      examples: [[{ id: ' ', status: 'completed', conversation_duration: 2147483647.5 }], [{ call: { call_id: 'x', duration_ms: 366 * 86_400_000 } }]],
    });
  });
});
