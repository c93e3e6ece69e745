// Schemas shared by every route: the success and error envelopes, ids, instants.
// Every route declares its 2xx body inside `Envelope(...)` and its 4xx/5xx as
// `ErrorResponses`, so the OpenAPI document is complete and responses are
// serialised by schema (unknown fields never leak out).
import { Type, type TSchema } from 'typebox';
import { ERROR_CODES } from '../errors.ts';

export const Instant = Type.String({ format: 'date-time', description: 'ISO 8601 instant' });
export const NullableInstant = Type.Union([Instant, Type.Null()]);
export const Uuid = Type.String({ format: 'uuid' });

export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

export function Envelope<T extends TSchema>(data: T) {
  return Type.Object({ success: Type.Literal(true), data });
}

const ErrorEnvelope = Type.Object({
  success: Type.Literal(false),
  error: Type.Object({
    code: Type.Enum([...ERROR_CODES]),
    message: Type.String(),
    details: Type.Array(Type.Unknown(), { description: 'field problems ({ field, message }) or rows ({ line, field, message })' }),
  }),
});

export const ErrorResponses = {
  '4xx': ErrorEnvelope,
  '5xx': ErrorEnvelope,
} as const;

export function ok<T>(data: T): { success: true; data: T } {
  return { success: true, data };
}
