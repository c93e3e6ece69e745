// POST /api/campaigns/:id/contacts — append contacts as a JSON array or as a
// `text/csv` body (streamed, never buffered whole). All-or-nothing unless
// ?skip_invalid=true; duplicates (after E.164 normalisation, in the upload or
// already in the campaign) are skipped and counted, and numbers on the
// do-not-call list are not imported (`suppressed`). A completed campaign becomes
// active again; a cancelled one refuses (409).
import type { Readable } from 'node:stream';
import { httpErrors } from '@fastify/sensible';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RouteDeps } from '../deps.ts';
import { ApiError, notFound } from '../errors.ts';
import { assertDeclaredSize, collectCsvContacts } from '../contacts/csv-import.ts';
import { collectJsonContacts, ContactCollector } from '../contacts/import-collector.ts';
import type { RawContact } from '../contacts/contact-check.ts';
import { findCampaign, lockCampaign } from '../repositories/campaigns.ts';
import { reactivateCampaign } from '@wakeplan/db';
import { insertContacts } from '../repositories/contacts.ts';
import { AppendContactsResult } from '../schemas/campaign.ts';
import { Envelope, errorResponses, IdParams, ok } from '../schemas/common.ts';
import { AppendContactsJson, ContactsQuery } from '../schemas/contacts.ts';

const CSV_MEDIA_TYPES = ['text/csv', 'application/csv'];

export const campaignContactRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  // The CSV body is handed to the route as the raw stream; CsvByteGuard enforces CSV_MAX_BYTES.
  app.addContentTypeParser(CSV_MEDIA_TYPES, (_request, payload, done) => done(null, payload));

  app.post('/api/campaigns/:id/contacts', {
    bodyLimit: deps.config.csvMaxBytes,
    schema: {
      operationId: 'appendContacts',
      summary: 'Append contacts (JSON array or text/csv with a header row)',
      description: 'Adds contacts to a campaign, all-or-nothing unless `skip_invalid=true`: any invalid row is a 422 listing '
        + 'rows and reasons, nothing written. Duplicates (after E.164 normalisation, in the upload or already in the campaign) '
        + 'are skipped and counted. A completed campaign becomes active again; a cancelled one answers 409. A CSV body is '
        + 'UTF-8 with a header row (rules in the README, "Contacts as CSV"), at most CSV_MAX_ROWS rows and CSV_MAX_BYTES bytes (413).',
      tags: ['campaigns'],
      params: IdParams,
      querystring: ContactsQuery,
      body: {
        content: {
          'application/json': { schema: AppendContactsJson },
          'text/csv': { schema: Type.String({ description: 'CSV, UTF-8: a header row with phone (or phone number, mobile, cell, telephone, tel, number), optional name, timezone; other columns become variables. Rules in the README, "Contacts as CSV"' }) },
        },
      } as never,
      response: { 200: Envelope(AppendContactsResult), ...errorResponses(409) },
    },
  }, async (request) => {
    const at = deps.now();
    const { id } = request.params;
    const campaign = await findCampaign(deps.sql, id);
    if (!campaign) throw notFound('campaign', id);
    if (campaign.status === 'cancelled') throw cancelledConflict();
    const country = request.query.default_country?.toUpperCase() ?? campaign.default_country;
    const csv = isCsv(request.headers['content-type']);
    if (!csv && !isJson(request.headers['content-type'])) throw unsupportedType(request.headers['content-type']);
    let collector: ContactCollector;
    if (csv) {
      assertDeclaredSize(request.headers['content-length'], deps.config.csvMaxBytes);
      collector = new ContactCollector(country);
      await collectCsvContacts(request.body as Readable, { maxRows: deps.config.csvMaxRows, maxBytes: deps.config.csvMaxBytes }, collector);
    } else {
      collector = collectJsonContacts(request.body as RawContact[], country, deps.config.csvMaxRows);
    }
    collector.assertAcceptable(request.query.skip_invalid ?? false, csv ? 'csv' : 'json');
    const result = await deps.planWriter.write('contacts_added', at, async (tx) => {
      const locked = await lockCampaign(tx, id);
      if (!locked) throw notFound('campaign', id);
      if (locked.status === 'cancelled') throw cancelledConflict();
      const { imported, suppressed } = await insertContacts(tx, id, collector.drafts, at);
      if (imported > 0) await reactivateCampaign(tx, id, at); // appending contacts re-activates a completed campaign
      const status = imported > 0 && locked.status === 'completed' ? 'active' : locked.status;
      return { result: { imported, suppressed, status }, notify: imported > 0 ? { campaignId: id } : null };
    }, request.id);
    return ok({ ...collector.report(result.imported, result.suppressed), campaign_status: result.status });
  });
};

// By the header alone: sensible's request.is() (type-is) answers null for a body
// sent without Content-Length or Transfer-Encoding, which a streamed body may be.
function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

function isCsv(contentType: string | undefined): boolean {
  return CSV_MEDIA_TYPES.includes(mediaType(contentType));
}

function isJson(contentType: string | undefined): boolean {
  const media = mediaType(contentType);
  return media === 'application/json' || media.endsWith('+json');
}

function unsupportedType(contentType: string | undefined): Error {
  return httpErrors.unsupportedMediaType(`send contacts as application/json (an array) or text/csv, not ${JSON.stringify(contentType ?? 'no content-type')}`);
}

function cancelledConflict(): ApiError {
  return new ApiError(409, 'CAMPAIGN_STATE_CONFLICT', 'the campaign is cancelled; contacts cannot be added to it');
}
