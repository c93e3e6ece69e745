// Scheduler route schemas: the seed's camelCase status (DESIGN.md §5) with the
// worker's state added, and the plan preview.
import { Type } from 'typebox';
import { MAX_PREVIEW_DAYS, PREVIEW_PAGE_DEFAULT, PREVIEW_PAGE_MAX } from '../scheduler/plan-preview.ts';
import { STATUS_PAGE_DEFAULT, STATUS_PAGE_MAX } from '../scheduler/status.ts';
import { Instant, NullableInstant, Uuid } from './common.ts';

const NullableString = Type.Union([Type.String(), Type.Null()]);
const NullableInteger = Type.Union([Type.Integer(), Type.Null()]);

export const SchedulerStatus = Type.Object({
  currentTime: Instant,
  nextWakeTime: NullableInstant,
  minutesUntilWake: NullableInteger,
  nextWakeReason: NullableString,
  campaignCount: Type.Integer(),
  isProcessing: Type.Boolean(),
  isUserActive: Type.Boolean(),
  workerState: Type.String({ description: 'starting | dispatching | waiting | asleep | stopping | unknown' }),
  workerStateSource: Type.Enum(['live', 'published', 'unknown']),
  workerStateAgeSeconds: NullableInteger,
  callsInFlight: Type.Integer(),
  directCallsQueued: Type.Integer(),
  workerCounters: Type.Union([Type.Record(Type.String(), Type.Number()), Type.Null()], {
    description: "the worker's activity counters since it started (live /health, else as last published); null when unknown",
  }),
  nextWakes: Type.Array(Type.Object({ at: Instant, campaignId: Uuid }), {
    description: 'the next campaign wakes, soonest first (at most 10), whatever page is listed',
  }),
  campaignsTotal: Type.Integer({ description: 'campaigns the scheduler tracks (queued work or calls in flight); `campaigns` is one page of them' }),
  campaignsOffset: Type.Integer({ description: 'where this page starts in the soonest-due-first order' }),
  campaigns: Type.Array(Type.Object({
    id: Uuid,
    name: Type.String(),
    window: Type.String(),
    queuedCount: Type.Integer(),
    inFlight: Type.Integer(),
    nextDueAt: NullableInstant,
  })),
  message: Type.String(),
}, { title: 'SchedulerStatus' });

export const StatusQuery = Type.Object({
  campaigns_limit: Type.Optional(Type.Integer({ minimum: 1, maximum: STATUS_PAGE_MAX, default: STATUS_PAGE_DEFAULT, description: 'campaigns listed per page' })),
  campaigns_offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0, description: 'campaigns skipped, soonest due first' })),
}, { additionalProperties: false });

export const PlanQuery = Type.Object({
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PREVIEW_DAYS, default: 7 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: PREVIEW_PAGE_MAX, default: PREVIEW_PAGE_DEFAULT, description: 'active campaigns listed per page' })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0, description: 'active campaigns skipped, oldest first' })),
}, { additionalProperties: false });

const Wake = Type.Object({ at: Instant, reason: Type.String(), campaign_id: Type.Union([Uuid, Type.Null()]) });

export const PlanPreview = Type.Object({
  from: Instant,
  to: Instant,
  days: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
  campaigns_total: Type.Integer({ description: 'active campaigns in all; `campaigns` is one page of them' }),
  next_wake: Type.Union([Wake, Type.Null()]),
  due_now: Type.Object({ campaign_ids: Type.Array(Uuid), direct_calls: Type.Boolean(), deadline_passed: Type.Boolean() }),
  campaigns: Type.Array(Type.Object({
    id: Uuid,
    name: Type.String(),
    window: Type.String(),
    timezone: Type.String(),
    queued_count: Type.Integer(),
    in_flight: Type.Integer(),
    open_windows: Type.Array(Type.Object({ start: Instant, end: Instant })),
    wakes: Type.Array(Instant),
  })),
  direct_calls: Type.Object({ queued: Type.Integer(), earliest_due_at: NullableInstant }),
  wakes: Type.Array(Wake),
  wakes_truncated: Type.Boolean(),
}, { title: 'PlanPreview' });

export const ReloadResult = Type.Object({ notified: Type.Literal(true), at: Instant }, { title: 'ReloadResult' });

export const Health = Type.Object({
  status: Type.Literal('ok'),
  service: Type.Literal('wakeplan-api'),
  uptime_seconds: Type.Integer(),
}, { title: 'Health' });
