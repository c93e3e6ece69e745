// The activity report's schemas (`GET /api/scheduler/activity`): the ledger's
// intervals, the modelled awake time, the polling baseline and the savings.
import { Type } from 'typebox';
import { LEDGER_RETENTION_DAYS } from '@wakeplan/db';
import { Instant, NullableInstant } from './common.ts';

export const ActivityQuery = Type.Object({
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: LEDGER_RETENTION_DAYS, default: 7, description: `the last N days (1–${LEDGER_RETENTION_DAYS}, the ledger's retention)` })),
}, { additionalProperties: false });

const LedgerInterval = Type.Object({
  process: Type.Enum(['worker', 'api']),
  start: Instant,
  end: Instant,
  reason: Type.String({ description: 'why the worker woke (its hints), or `requests` for a burst of API requests' }),
  statements: Type.Integer(),
  details: Type.Record(Type.String(), Type.Number(), {
    description: 'worker: `dialed`, `outcomes` (results recorded, deadlines expired); API: statements per route family',
  }),
}, { title: 'LedgerInterval' });

export const ActivityReport = Type.Object({
  from: Instant,
  to: Instant,
  observed_from: Type.Union([NullableInstant], { description: 'the earliest recorded activity in the period; null when none' }),
  period_hours: Type.Number(),
  observed_hours: Type.Number({ description: 'hours from observed_from to `to`: what the awake, asleep and polling figures cover' }),
  intervals: Type.Array(LedgerInterval, { description: 'when Wakeplan touched the database, oldest first' }),
  awake: Type.Array(Type.Object({ start: Instant, end: Instant }), { description: 'the modelled awake intervals, clipped to the period' }),
  awake_hours: Type.Number({ description: 'modelled: awake from any statement or new connection until suspend_minutes pass with neither' }),
  asleep_hours: Type.Number(),
  asleep_percent: Type.Number({ description: 'of the observed hours' }),
  polling_hours: Type.Number({ description: 'what a poll every few seconds would have kept awake over the observed hours (all of them)' }),
  saved_hours: Type.Number(),
  saved_cost: Type.Object({
    usd: Type.Number(),
    cu_hour_price: Type.Number({ description: 'NEON_CU_HOUR_PRICE, USD' }),
    compute_units: Type.Number({ description: 'NEON_COMPUTE_UNITS' }),
  }),
  suspend_minutes: Type.Number({ description: 'NEON_SUSPEND_MINUTES' }),
  cannot_see: Type.Array(Type.String(), { description: 'what this report cannot see, such as other clients of the same database' }),
}, { title: 'ActivityReport' });
