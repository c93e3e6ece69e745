// Contact inputs (JSON) and the import report every contact-adding route returns.
import { Type } from 'typebox';

export const MAX_REPORTED_ROW_ERRORS = 100;

export const ContactInput = Type.Object({
  phone: Type.String({ maxLength: 64, description: 'E.164 (+14155550123) or national with default_country' }),
  name: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
  timezone: Type.Optional(Type.Union([Type.String({ maxLength: 100, description: 'IANA zone' }), Type.Null()])),
  variables: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
}, {
  additionalProperties: false,
  title: 'Contact',
  description: 'a contact to call; checked row by row (an invalid one is reported with its index, or skipped with skip_invalid)',
});

export const DefaultCountry = Type.String({ pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2, for national numbers' });

export const ContactsQuery = Type.Object({
  skip_invalid: Type.Optional(Type.Boolean({ description: 'import the valid rows and report the rest (default: all-or-nothing)' })),
  default_country: Type.Optional(DefaultCountry),
}, { additionalProperties: false });

export const RowError = Type.Object({
  line: Type.Optional(Type.Integer({ description: 'CSV line number (header = 1)' })),
  index: Type.Optional(Type.Integer({ description: 'position in a JSON array (from 0)' })),
  field: Type.Optional(Type.String()),
  message: Type.String(),
}, { title: 'ImportRowError' });

export const ImportReport = Type.Object({
  received: Type.Integer(),
  imported: Type.Integer(),
  duplicates: Type.Integer({ description: 'skipped: same E.164 number earlier in the upload or already in the campaign' }),
  suppressed: Type.Integer({ description: 'not imported: the number is on the do-not-call list' }),
  invalid: Type.Integer(),
  errors: Type.Array(RowError, { maxItems: MAX_REPORTED_ROW_ERRORS }),
  errors_truncated: Type.Boolean(),
}, { title: 'ImportReport' });

export const AppendContactsJson = Type.Array(ContactInput, { description: 'contacts to add; default_country and skip_invalid go in the query' });
