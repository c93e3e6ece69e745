// Campaign resource routes: create (JSON, optional inline contacts), list, get,
// patch. Thin: schemas check types, campaign-input checks meaning, repositories
// hold the SQL, the plan writer makes each write one transaction with its NOTIFY.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RouteDeps } from '../deps.ts';
import { ApiError, notFound } from '../errors.ts';
import { checkCampaignPatch, checkNewCampaign } from '../campaigns/campaign-input.ts';
import { changeCampaign } from '../campaigns/change-campaign.ts';
import { createdCampaignBody } from '../campaigns/create-campaign.ts';
import { presentCampaign } from '../presenters.ts';
import { collectJsonContacts } from '../contacts/import-collector.ts';
import { campaignStats, findCampaign, listCampaigns, updateCampaign } from '../repositories/campaigns.ts';
import {
  Campaign, CampaignList, CreateCampaignBody, CreatedCampaign, ListCampaignsQuery, PatchCampaignBody,
} from '../schemas/campaign.ts';
import { Envelope, errorResponses, IdParams, ok } from '../schemas/common.ts';
import { campaignFreshness, campaignListFreshness } from '../campaigns/campaign-freshness.ts';
import { ContactsQuery } from '../schemas/contacts.ts';

export const campaignRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.post('/api/campaigns', {
    bodyLimit: deps.config.csvMaxBytes,
    schema: {
      operationId: 'createCampaign',
      summary: 'Create a campaign, optionally with contacts',
      description: 'Creates a campaign with its calling window (half-open [first_call_time, last_call_time) in its zone; '
        + 'last <= first crosses midnight) and, optionally, its first contacts — all-or-nothing unless `skip_invalid=true`. '
        + 'Answers 201 with the campaign (and the import report when contacts came along); `Location` names it.',
      tags: ['campaigns'],
      querystring: ContactsQuery,
      body: CreateCampaignBody,
      response: { 201: Envelope(CreatedCampaign) },
    },
  }, async (request, reply) => {
    const at = deps.now();
    const { contacts, ...fields } = request.body;
    const values = checkNewCampaign(fields, deps.config.defaultTimezone);
    const country = request.query.default_country?.toUpperCase() ?? values.default_country;
    const collector = contacts ? collectJsonContacts(contacts, country, deps.config.csvMaxRows) : null;
    collector?.assertAcceptable(request.query.skip_invalid ?? false, 'json');
    const created = await createdCampaignBody(deps, values, collector, at, request.id);
    void reply.status(201).header('location', `/api/campaigns/${created.id}`);
    return ok(created);
  });

  app.get('/api/campaigns', {
    config: { etag: campaignListFreshness },
    schema: {
      operationId: 'listCampaigns',
      summary: 'List campaigns, newest first',
      description: 'A page of campaigns (`limit`, `offset`; `total` counts them all), each with its contact counts per state '
        + 'and when its window next opens. Poll it with `If-None-Match`: an unchanged list is a 304.',
      tags: ['campaigns'],
      querystring: ListCampaignsQuery,
      response: { 200: Envelope(CampaignList) },
    },
  }, async (request) => {
    const at = deps.now();
    const limit = request.query.limit ?? 100;
    const offset = request.query.offset ?? 0;
    const { rows, total } = await listCampaigns(deps.sql, { status: request.query.status, limit, offset });
    const stats = await campaignStats(deps.sql, rows.map((r) => r.id));
    return ok({ campaigns: rows.map((r) => presentCampaign(r, stats.get(r.id)!, at)), total, limit, offset });
  });

  app.get('/api/campaigns/:id', {
    config: { etag: campaignFreshness },
    schema: {
      operationId: 'getCampaign',
      summary: 'A campaign with contact counts per state and when its window next opens',
      description: 'The campaign, its contact counts per state and `next_open_at`. Poll it with `If-None-Match`: an '
        + 'unchanged campaign is a 304.',
      tags: ['campaigns'],
      params: IdParams,
      response: { 200: Envelope(Campaign) },
    },
  }, async (request) => {
    const at = deps.now();
    const row = await findCampaign(deps.sql, request.params.id);
    if (!row) throw notFound('campaign', request.params.id);
    const stats = await campaignStats(deps.sql, [row.id]);
    return ok(presentCampaign(row, stats.get(row.id)!, at));
  });

  app.patch('/api/campaigns/:id', {
    schema: {
      operationId: 'updateCampaign',
      summary: 'Change a campaign\'s window or limits',
      description: 'Changes the fields given (at least one); the window is checked as it will be after the change, and a '
        + 'changed window applies to the next dial at once. A cancelled campaign answers 409.',
      tags: ['campaigns'],
      params: IdParams,
      body: PatchCampaignBody,
      response: { 200: Envelope(Campaign), ...errorResponses(409) },
    },
  }, async (request) => {
    const at = deps.now();
    const { id } = request.params;
    return ok(await changeCampaign(deps, id, at, async (tx, current) => {
      if (current.status === 'cancelled') {
        throw new ApiError(409, 'CAMPAIGN_STATE_CONFLICT', 'the campaign is cancelled and can no longer be changed');
      }
      return updateCampaign(tx, id, checkCampaignPatch(current, request.body), at);
    }, request.id));
  });
};
