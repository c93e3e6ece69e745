// The dial audit's schemas (GET /api/audit/dials): the query window and the
// audit itself, as packages/db dial-audit.ts computes it.
import { Type } from 'typebox';
import { DIAL_VIOLATIONS } from '@wakeplan/db';
import { Instant, Uuid } from './common.ts';

export const AuditQuery = Type.Object({
  from: Type.Optional(Type.String({ format: 'date-time', description: 'start of the window (inclusive); default: `to` minus one day' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'end of the window (exclusive); default: now' })),
}, { additionalProperties: false });

const CallingWindowInForce = Type.Object({
  timezone: Type.String(),
  firstCallTime: Type.String(),
  lastCallTime: Type.String(),
  daysOfWeek: Type.Optional(Type.Array(Type.Integer())),
  startDate: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  endDate: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  blackoutDates: Type.Optional(Type.Array(Type.String())),
}, { title: 'CallingWindowInForce', description: 'the campaign window as it was when the request left' });

const DialViolation = Type.Object({
  call_id: Uuid,
  attempt: Type.Integer({ minimum: 1 }),
  send_no: Type.Integer({ minimum: 1, description: '1 for the attempt\'s first request, 2… for re-sends' }),
  campaign_id: Type.Union([Uuid, Type.Null()]),
  sent_at: Instant,
  violations: Type.Array(Type.Enum([...DIAL_VIOLATIONS]), { minItems: 1 }),
  campaign_status: Type.Union([Type.String(), Type.Null()], { description: 'the campaign status when it left' }),
  window: Type.Union([CallingWindowInForce, Type.Null()]),
  recipient_hours: Type.Union([Type.Object({ start: Type.String(), end: Type.String() }), Type.Null()]),
  recipient_zone: Type.Union([Type.String(), Type.Null()]),
  overlapping_attempt: Type.Union([Type.Integer(), Type.Null()], { description: 'with second_live_attempt: the attempt still live then' }),
}, { title: 'DialViolation' });

export const DialAudit = Type.Object({
  from: Instant,
  to: Instant,
  dials_checked: Type.Integer({ minimum: 0, description: 'requests that left in [from, to)' }),
  violations: Type.Array(DialViolation),
}, { title: 'DialAudit' });
