// Direct-call schemas: `POST /api/calls` and `GET /api/calls/:id` (with the attempt history and provider events).
import { Type, type Static } from 'typebox';
import { CALL_STATUSES } from '@wakeplan/db';
import { Instant, NullableInstant, Uuid } from './common.ts';
import { DefaultCountry } from './contacts.ts';

export const CreateCallBody = Type.Object({
  phone: Type.String({ maxLength: 64 }),
  agent_id: Type.String({ minLength: 1, maxLength: 200 }),
  name: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
  timezone: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
  variables: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  not_before: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'ISO instant with offset; default: due at once' })),
  default_country: Type.Optional(DefaultCountry),
}, { additionalProperties: false, title: 'CallCreate' });
export type CreateCallBody = Static<typeof CreateCallBody>;

export const CreateCallHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'a retried request with the same key returns the same call' })),
});

const NullableString = (description?: string) => Type.Union([Type.String(), Type.Null()], description ? { description } : {});

const CallAttempt = Type.Object({
  attempt: Type.Integer(),
  status: Type.String({ description: 'dialing, in_progress, unknown, or how it ended (completed, no_answer, busy, voicemail, failed, canceled; refused: the provider did not start the call, the attempt does not count)' }),
  worker_id: NullableString('the worker that claimed it'),
  provider_call_id: NullableString(),
  claimed_at: Instant,
  confirmed_at: NullableInstant,
  last_event_at: NullableInstant,
  ended_at: NullableInstant,
  duration_seconds: Type.Union([Type.Integer(), Type.Null()]),
  error: NullableString(),
  ended_reason: NullableString("the provider's own reason the call ended (Vapi endedReason, Retell disconnection_reason, …)"),
  recording_url: NullableString(),
  transcript: NullableString('the transcript as the provider sent it (text or URL)'),
}, { title: 'CallAttempt' });

const ProviderEventRecord = Type.Object({
  id: Type.String({ description: 'the event\'s sequence number as received (a 64-bit integer, as a string)' }),
  attempt: Type.Integer(),
  status: Type.String(),
  provider_call_id: NullableString(),
  duration_seconds: Type.Union([Type.Integer(), Type.Null()]),
  occurred_at: Instant,
  received_at: Instant,
  applied: Type.Boolean({ description: 'false for a duplicate, late or out-of-order event that changed nothing' }),
}, { title: 'ProviderEventRecord' });

export const Call = Type.Object({
  id: Uuid,
  campaign_id: Type.Union([Uuid, Type.Null()]),
  phone: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  timezone: Type.Union([Type.String(), Type.Null()]),
  agent_id: Type.Union([Type.String(), Type.Null()]),
  variables: Type.Record(Type.String(), Type.Unknown()),
  status: Type.Enum([...CALL_STATUSES]),
  attempt: Type.Integer(),
  not_before: Type.Union([Instant, Type.Null()], { description: 'earliest instant the next attempt may start; null = at once' }),
  result_deadline: NullableInstant,
  provider_call_id: Type.Union([Type.String(), Type.Null()]),
  last_outcome: Type.Union([Type.String(), Type.Null()]),
  idempotency_key: Type.Union([Type.String(), Type.Null()]),
  created_at: Instant,
  updated_at: Instant,
}, { title: 'Call' });
export type Call = Static<typeof Call>;

export const CallWithAttempts = Type.Object({
  ...Call.properties,
  attempts: Type.Array(CallAttempt, { description: 'every attempt, oldest first' }),
  events: Type.Array(ProviderEventRecord, { description: 'every provider event received for this call, in the order received' }),
}, { title: 'CallDetail' });
