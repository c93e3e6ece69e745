// Per-contact results: `GET /api/campaigns/:id/calls` (JSON pages) and
// `GET /api/campaigns/:id/calls.csv` (the same rows as CSV) share the query.
import { Type, type Static } from 'typebox';
import { CALL_STATUSES } from '@wakeplan/db';
import { Instant, Uuid } from './common.ts';

const MAX_RESULTS_PAGE = 1000;

const NullableString = (description?: string) => Type.Union([Type.String(), Type.Null()], description ? { description } : {});

const resultFilters = {
  status: Type.Optional(Type.Array(Type.Enum([...CALL_STATUSES]), {
    maxItems: CALL_STATUSES.length, description: 'only contacts in these states; repeat the parameter for several (`status=queued&status=failed`)',
  })),
  outcome: Type.Optional(Type.String({
    pattern: '^[a-z_]{1,40}$', 'x-expected': 'an outcome such as no_answer, completed or dnc', description: 'only contacts whose last outcome is this (`dnc`: on the do-not-call list)',
  } as never)),
  phone: Type.Optional(Type.String({ maxLength: 16, description: 'only numbers starting with this E.164 prefix, e.g. `+1415` (the + is optional)' })),
  updated_since: Type.Optional(Type.String({ format: 'date-time', description: 'only contacts changed at or after this instant (to sync changes)' })),
};

export const CallResultsQuery = Type.Object({
  ...resultFilters,
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_RESULTS_PAGE, default: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: '`next_cursor` of the previous page' })),
}, { additionalProperties: false });
export type CallResultsQuery = Static<typeof CallResultsQuery>;

export const CallResultsCsvQuery = Type.Object(resultFilters, { additionalProperties: false });
export type CallResultsCsvQuery = Static<typeof CallResultsCsvQuery>;

export const CallResult = Type.Object({
  id: Uuid,
  phone: Type.String({ description: 'E.164' }),
  name: NullableString(),
  timezone: Type.String({ description: "the contact's IANA zone (the campaign's when the contact has none)" }),
  status: Type.Enum([...CALL_STATUSES]),
  attempts: Type.Integer({ description: 'attempts made so far (including one in flight)' }),
  last_outcome: NullableString('how the last attempt ended (no_answer, busy, completed, …; `dnc` when the do-not-call list stopped it)'),
  not_before: Type.Union([Instant, Type.Null()], { description: 'the raw earliest time of the next attempt (retry delay); null = at once' }),
  next_attempt_at: Type.Union([Instant, Type.Null()], {
    description: 'when the next attempt may start (UTC), with the calling window and recipient hours applied; null when the contact is not waiting or the campaign is not active',
  }),
  next_attempt_local: NullableString('the same instant in the contact\'s time zone, ISO 8601 with its offset'),
  provider_call_id: NullableString('the provider\'s id of the latest attempt'),
  duration_seconds: Type.Union([Type.Integer(), Type.Null()], { description: 'length of the latest attempt, when reported' }),
  ended_reason: NullableString('why the provider says the latest attempt ended, in its own words (Vapi endedReason, Retell disconnection_reason, …); null until a provider reports one'),
  recording_url: NullableString('a recording the provider reported for the latest attempt; null until a provider reports one'),
  transcript: NullableString('the transcript (text, or a link) the provider reported for the latest attempt; null until a provider reports one'),
  created_at: Instant,
  updated_at: Instant,
}, { title: 'CallResult' });
export type CallResult = Static<typeof CallResult>;

export const CallResultPage = Type.Object({
  calls: Type.Array(CallResult),
  next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'pass as `cursor` for the next page; null on the last page' }),
}, { title: 'CallResultPage' });

export const CampaignCallsParams = Type.Object({ id: Uuid }, { additionalProperties: false });
