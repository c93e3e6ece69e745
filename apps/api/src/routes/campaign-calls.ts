// Per-contact results of a campaign: `GET /api/campaigns/:id/calls` (keyset
// pages) and `GET /api/campaigns/:id/calls.csv` (every matching row, streamed).
// Thin: the filters are checked here, the SQL lives in repositories/call-results.ts,
// the shape in results/present-result.ts.
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RouteDeps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { pageCallResults, streamCallResults, type ResultFilters } from '../repositories/call-results.ts';
import { findCampaign } from '../repositories/campaigns.ts';
import { checkPhonePrefix, decodePhoneCursor, encodePhoneCursor } from '../results/phone-cursor.ts';
import { createResultPresenter } from '../results/present-result.ts';
import { exportFilename, resultsCsv } from '../results/results-csv.ts';
import { Envelope, ok } from '../schemas/common.ts';
import {
  CallResultPage, CallResultsCsvQuery, CallResultsQuery, CampaignCallsParams,
} from '../schemas/results.ts';
import { Type } from 'typebox';

const FILTER_WORDS = 'Filters: `status` (repeatable), `outcome` (last outcome, e.g. `no_answer`, `dnc`), `phone` (E.164 prefix), '
  + '`updated_since` (changed at or after).';

export const campaignCallRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.get('/api/campaigns/:id/calls', {
    schema: {
      operationId: 'listCampaignCalls',
      summary: "A page of the campaign's contacts with what happened to each",
      description: 'Each contact with its status, attempts made, last outcome, next attempt time (UTC and contact-local), '
        + `provider call id, duration and recording/transcript references. ${FILTER_WORDS} Pages are ordered by phone and `
        + 'keyed by a cursor (`limit` default 100, at most 1,000): paging while calls change state neither skips nor repeats a '
        + 'contact. `next_cursor` is null on the last page.',
      tags: ['results'],
      params: CampaignCallsParams,
      querystring: CallResultsQuery,
      response: { 200: Envelope(CallResultPage) },
    },
  }, async (request) => {
    const at = deps.now();
    const { query } = request;
    const after = decodePhoneCursor(query.cursor);
    const filters = readFilters(query);
    const campaign = await findCampaign(deps.sql, request.params.id);
    if (!campaign) throw notFound('campaign', request.params.id);
    const limit = query.limit ?? 100;
    const page = await pageCallResults(deps.sql, campaign.id, filters, after, limit);
    const present = createResultPresenter(campaign, at);
    const last = page.rows.at(-1);
    return ok({ calls: page.rows.map(present), next_cursor: page.more && last ? encodePhoneCursor(last.phone) : null });
  });

  app.get('/api/campaigns/:id/calls.csv', {
    schema: {
      operationId: 'exportCampaignCalls',
      summary: "The campaign's contacts with their results, as CSV",
      description: `The rows of \`listCampaignCalls\`, every page, as one CSV file (UTF-8 with a byte order mark, a header row, `
        + 'the same column names), streamed from a database cursor in constant memory. Cells a spreadsheet would run as a '
        + 'formula (starting with = + - @, tab or carriage return) are prefixed with a single quote (OWASP). '
        + `${FILTER_WORDS} \`Content-Disposition\` names the file.`,
      tags: ['results'],
      params: CampaignCallsParams,
      querystring: CallResultsCsvQuery,
      produces: ['text/csv'],
      response: {
        200: {
          description: 'the CSV file',
          content: { 'text/csv': { schema: Type.String({ description: 'CSV, UTF-8 with BOM, header row first' }) } },
        },
      } as never,
    },
  }, async (request, reply) => {
    const at = deps.now();
    const filters = readFilters(request.query);
    const campaign = await findCampaign(deps.sql, request.params.id);
    if (!campaign) throw notFound('campaign', request.params.id);
    void reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${exportFilename(campaign.name)}"`)
      .header('cache-control', 'no-store');
    // HEAD: the headers only (Fastify would otherwise drain the whole export to discard it).
    if (request.method === 'HEAD') return reply.send();
    const rows = resultsCsv(streamCallResults(deps.sql, campaign.id, filters), createResultPresenter(campaign, at));
    return reply.send(Readable.from(rows));
  });
};

function readFilters(q: CallResultsCsvQuery): ResultFilters {
  return {
    statuses: q.status ?? [],
    outcome: q.outcome ?? null,
    phonePrefix: checkPhonePrefix(q.phone),
    updatedSince: q.updated_since ? new Date(q.updated_since) : null,
  };
}
