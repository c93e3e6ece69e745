// The do-not-call list: `POST /api/dnc` (numbers, optional reason),
// `POST /api/dnc/import` (CSV), `GET /api/dnc` (keyset pages by phone),
// `DELETE /api/dnc/:phone`. Listing a number ends its queued calls at once
// (repositories/do-not-call.ts); the worker's claim checks the list again, so a
// number is protected however it was queued.
import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { httpErrors } from '@fastify/sensible';
import { Type } from 'typebox';
import type { RouteDeps } from '../deps.ts';
import { assertDeclaredSize, collectCsvContacts } from '../contacts/csv-import.ts';
import { ContactCollector } from '../contacts/import-collector.ts';
import { checkListedPhone, checkListings } from '../dnc/dnc-numbers.ts';
import {
  addListings, cancelQueuedCallsTo, pageListings, removeListing, type ListingSource, type NewListing,
} from '../repositories/do-not-call.ts';
import { checkPhonePrefix, decodePhoneCursor, encodePhoneCursor } from '../results/phone-cursor.ts';
import { Envelope, ok } from '../schemas/common.ts';
import {
  AddDncBody, AddDncResult, DncEntry, DncImportQuery, DncImportReport, DncListQuery, DncPage, DncPhoneParams,
} from '../schemas/dnc.ts';

const CSV_MEDIA_TYPES = ['text/csv', 'application/csv'];
const MAX_REASON = 500;

export const dncRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.addContentTypeParser(CSV_MEDIA_TYPES, (_request, payload, done) => done(null, payload));

  /** Lists the numbers and ends their queued calls, in one transaction; NOTIFY reload only when calls ended. */
  const list = (listings: NewListing[], source: ListingSource, at: Date, requestId: string) =>
    deps.planWriter.write('reload', at, async (tx) => {
      const added = await addListings(tx, listings, source, at);
      const cancelled = await cancelQueuedCallsTo(tx, listings.map((l) => l.phone), at);
      return { result: { added, cancelled }, notify: cancelled > 0 ? { kind: 'reload' as const } : null };
    }, requestId);

  app.post('/api/dnc', {
    schema: {
      operationId: 'addDoNotCallNumbers',
      summary: 'Put numbers on the do-not-call list',
      description: 'Lists the numbers (E.164, or national with `default_country`; at most 1,000 per request), all-or-nothing: '
        + 'any invalid number is a 422 naming it. A listed number is never dialed again by any campaign or direct call: its '
        + 'queued calls end `cancelled` with last_outcome `dnc` at once, imports leave it out (`suppressed`), and a direct '
        + 'call to it is a 409. Listing a number already listed changes nothing.',
      tags: ['do-not-call'],
      body: AddDncBody,
      response: { 200: Envelope(AddDncResult) },
    },
  }, async (request) => {
    const at = deps.now();
    const listings = checkListings(request.body.phones, request.body.reason ?? null, request.body.default_country);
    const { added, cancelled } = await list(listings, 'api', at, request.id);
    return ok({ received: request.body.phones.length, added, already_listed: listings.length - added, cancelled_calls: cancelled });
  });

  app.post('/api/dnc/import', {
    bodyLimit: deps.config.csvMaxBytes,
    schema: {
      operationId: 'importDoNotCallNumbers',
      summary: 'Put the numbers of a CSV file on the do-not-call list',
      description: 'A `text/csv` body with a header row and a phone column (the contacts CSV rules, README "Contacts as CSV"); '
        + `a \`reason\` column gives each row its reason (cut to ${MAX_REASON} characters), else the \`reason\` parameter. `
        + 'All-or-nothing unless `skip_invalid=true`: any invalid row is a 422 listing rows and reasons. Queued calls to the '
        + 'numbers end `cancelled` (dnc) at once.',
      tags: ['do-not-call'],
      querystring: DncImportQuery,
      body: { content: { 'text/csv': { schema: Type.String({ description: 'CSV, UTF-8: a header row with a phone column, optional reason' }) } } } as never,
      response: { 200: Envelope(DncImportReport) },
    },
  }, async (request) => {
    const at = deps.now();
    const media = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!CSV_MEDIA_TYPES.includes(media)) {
      throw httpErrors.unsupportedMediaType(`send the list as text/csv, not ${JSON.stringify(request.headers['content-type'] ?? 'no content-type')}`);
    }
    assertDeclaredSize(request.headers['content-length'], deps.config.csvMaxBytes);
    const collector = new ContactCollector(request.query.default_country?.toUpperCase() ?? null);
    await collectCsvContacts(request.body as Readable, { maxRows: deps.config.csvMaxRows, maxBytes: deps.config.csvMaxBytes }, collector);
    collector.assertAcceptable(request.query.skip_invalid ?? false, 'csv');
    const listings = collector.drafts.map((d) => ({ phone: d.phone, reason: rowReason(d.variables.reason) ?? request.query.reason ?? null }));
    const { added, cancelled } = await list(listings, 'import', at, request.id);
    return ok({
      received: collector.received, added, already_listed: listings.length - added, duplicates: collector.duplicatesInUpload,
      invalid: collector.invalid, errors: collector.errors, errors_truncated: collector.truncated(),
      cancelled_calls: cancelled,
    });
  });

  app.get('/api/dnc', {
    schema: {
      operationId: 'listDoNotCallNumbers',
      summary: 'A page of the do-not-call list',
      description: 'Listed numbers in phone order with their reason, source and when they were listed; keyset pages '
        + '(`limit` default 100, at most 1,000; `next_cursor` null on the last page), optionally only numbers starting with `phone`.',
      tags: ['do-not-call'],
      querystring: DncListQuery,
      response: { 200: Envelope(DncPage) },
    },
  }, async (request) => {
    const after = decodePhoneCursor(request.query.cursor);
    const prefix = checkPhonePrefix(request.query.phone);
    const limit = request.query.limit ?? 100;
    const page = await pageListings(deps.sql, after, prefix, limit);
    const last = page.rows.at(-1);
    return ok({
      entries: page.rows.map((r) => ({ phone: r.phone, reason: r.reason, source: r.source, created_at: r.created_at.toISOString() })),
      next_cursor: page.more && last ? encodePhoneCursor(last.phone) : null,
    });
  });

  app.delete('/api/dnc/:phone', {
    schema: {
      operationId: 'removeDoNotCallNumber',
      summary: 'Take a number off the do-not-call list',
      description: 'The number may be called again by contacts added or queued from now on; calls already ended `cancelled` '
        + 'stay so. Answers the entry removed; 404 when the number is not listed.',
      tags: ['do-not-call'],
      params: DncPhoneParams,
      response: { 200: Envelope(DncEntry) },
    },
  }, async (request) => {
    const phone = checkListedPhone(request.params.phone);
    const removed = await removeListing(deps.sql, phone);
    if (!removed) throw httpErrors.notFound(`${phone} is not on the do-not-call list`);
    return ok({ phone: removed.phone, reason: removed.reason, source: removed.source, created_at: removed.created_at.toISOString() });
  });
};

function rowReason(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  return value.trim().slice(0, MAX_REASON);
}
