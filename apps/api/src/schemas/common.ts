// Schemas shared by every route: the success and error envelopes, ids,
// instants, and the request rules several routes enforce (HH:mm, dates, zones).
//
// Conventions every route follows (the API description is built from them,
// plugins/openapi-document.ts):
//   - A route declares its 2xx body inside `Envelope(...)`, and an error status
//     only when it is its own (`errorResponses(409)`); the error envelope for
//     every 4xx/5xx is added to each route (plugins/route-conventions.ts), and
//     the statuses a route can return are derived from what it declares.
//   - A shape with a `title` is a named type: the description lists it once
//     under components/schemas/<title> and refers to it, so generated clients
//     get that name (Campaign, Call, …). Titles are unique.
//   - `x-expected` on a rule gives the words of "must be …" when a value breaks
//     it (plugins/validation.ts): the schema documents the rule and the server
//     enforces it with the same words.
import { Type, type TSchema } from 'typebox';
import { ERROR_CODES } from '../errors.ts';

export const Instant = Type.String({ format: 'date-time', description: 'ISO 8601 instant' });
export const NullableInstant = Type.Union([Instant, Type.Null()]);
export const Uuid = Type.String({ format: 'uuid' });

export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

/** "HH:mm", 24-hour, 00:00–23:59. */
export const WallTime = (description: string) => Type.String({
  pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', 'x-expected': 'HH:mm (24-hour)', description,
} as never);

/** A real calendar date, YYYY-MM-DD. */
export const CalendarDate = (description?: string) => Type.String({
  format: 'date', 'x-expected': 'a real calendar date written YYYY-MM-DD', ...(description ? { description } : {}),
} as never);

/** The shape of an IANA zone name ("America/New_York", "UTC", "Etc/GMT+5"); whether the zone exists is checked by the server. */
export const TimeZoneName = (description: string) => Type.String({
  maxLength: 64, pattern: '^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$', 'x-expected': 'an IANA time zone such as America/New_York', description,
} as never);

export function Envelope<T extends TSchema>(data: T) {
  return Type.Object({ success: Type.Literal(true), data });
}

const Problem = Type.Object({
  field: Type.String({ description: 'the request field (snake_case, e.g. `contacts[3].phone`), a CSV column, or `row` for a whole CSV row' }),
  message: Type.String({ description: 'what is wrong, for a person' }),
  line: Type.Optional(Type.Integer({ description: 'the CSV line the row starts on (header = 1)' })),
  index: Type.Optional(Type.Integer({ description: 'the position in a JSON array (from 0)' })),
}, { title: 'Problem' });

export const ErrorEnvelope = Type.Object({
  success: Type.Literal(false),
  error: Type.Object({
    code: Type.Enum([...ERROR_CODES], { description: 'stable: branch on it' }),
    message: Type.String({ description: 'what went wrong and how to fix it, for a person' }),
    details: Type.Array(Problem),
  }),
}, { title: 'Error' });

/** Error statuses a route returns for reasons of its own (a 409), beyond those derived from its declaration. */
export function errorResponses(...statuses: number[]): Record<number, typeof ErrorEnvelope> {
  return Object.fromEntries(statuses.map((s) => [s, ErrorEnvelope]));
}

export function ok<T>(data: T): { success: true; data: T } {
  return { success: true, data };
}
