// Do-not-call list schemas: add, remove, page through, import from CSV.
import { Type, type Static } from 'typebox';
import { Instant } from './common.ts';
import { DefaultCountry, MAX_REPORTED_ROW_ERRORS, RowError } from './contacts.ts';

const MAX_PHONES_PER_REQUEST = 1000;

const Reason = Type.String({ minLength: 1, maxLength: 500, description: 'why the number is listed (e.g. "asked not to be called on 2026-03-02")' });

export const AddDncBody = Type.Object({
  phones: Type.Array(Type.String({ maxLength: 64 }), {
    minItems: 1, maxItems: MAX_PHONES_PER_REQUEST, description: 'E.164 numbers, or national ones with default_country',
  }),
  reason: Type.Optional(Type.Union([Reason, Type.Null()])),
  default_country: Type.Optional(DefaultCountry),
}, { additionalProperties: false, title: 'DoNotCallAdd' });
export type AddDncBody = Static<typeof AddDncBody>;

const cancelledCalls = Type.Integer({ description: 'queued calls to these numbers (any campaign, or direct) now ended `cancelled` with last_outcome `dnc`' });

export const AddDncResult = Type.Object({
  received: Type.Integer(),
  added: Type.Integer({ description: 'numbers newly listed' }),
  already_listed: Type.Integer({ description: 'numbers that were listed already (their first reason stays)' }),
  cancelled_calls: cancelledCalls,
}, { title: 'DoNotCallAddResult' });

export const DncEntry = Type.Object({
  phone: Type.String({ description: 'E.164' }),
  reason: Type.Union([Type.String(), Type.Null()]),
  source: Type.Enum(['api', 'import', 'provider'], { description: 'who listed it: this API, a CSV import, or a provider outcome' }),
  created_at: Instant,
}, { title: 'DoNotCallEntry' });

export const DncPage = Type.Object({
  entries: Type.Array(DncEntry),
  next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'pass as `cursor` for the next page; null on the last page' }),
}, { title: 'DoNotCallPage' });

export const DncListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: '`next_cursor` of the previous page' })),
  phone: Type.Optional(Type.String({ maxLength: 16, description: 'only numbers starting with this E.164 prefix (the + is optional)' })),
}, { additionalProperties: false });

export const DncPhoneParams = Type.Object({
  phone: Type.String({ maxLength: 64, description: 'the number, E.164 (`+` written as `%2B` or as is)' }),
}, { additionalProperties: false });

export const DncImportQuery = Type.Object({
  skip_invalid: Type.Optional(Type.Boolean({ description: 'list the valid rows and report the rest (default: all-or-nothing)' })),
  default_country: Type.Optional(DefaultCountry),
  reason: Type.Optional(Reason),
}, { additionalProperties: false });

export const DncImportReport = Type.Object({
  received: Type.Integer(),
  added: Type.Integer({ description: 'numbers newly listed' }),
  already_listed: Type.Integer({ description: 'numbers that were listed already' }),
  duplicates: Type.Integer({ description: 'the same number earlier in the file' }),
  invalid: Type.Integer(),
  errors: Type.Array(RowError, { maxItems: MAX_REPORTED_ROW_ERRORS }),
  errors_truncated: Type.Boolean(),
  cancelled_calls: cancelledCalls,
}, { title: 'DoNotCallImportReport' });
