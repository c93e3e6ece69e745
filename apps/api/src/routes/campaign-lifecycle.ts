// POST /api/campaigns/:id/pause · /resume · /cancel. Each locks the campaign row,
// applies the lifecycle rule, and (when something changed) sends
// `campaign_changed` and the webhook event (campaign.paused / resumed /
// cancelled) in the same transaction. Repeating an action is harmless.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { enqueueCampaignEvent } from '@wakeplan/db';
import type { WebhookEventType } from '@wakeplan/contract';
import type { RouteDeps } from '../deps.ts';
import { changeCampaign } from '../campaigns/change-campaign.ts';
import { nextStatus, type LifecycleAction } from '../campaigns/lifecycle.ts';
import { cancelQueuedCalls, completeResumedCampaign, setCampaignStatus } from '../repositories/campaigns.ts';
import { Campaign } from '../schemas/campaign.ts';
import { Envelope, errorResponses, IdParams, ok } from '../schemas/common.ts';

const SUMMARY: Record<LifecycleAction, string> = {
  pause: 'Pause a campaign: nothing more is dialed until it is resumed; calls in flight finish and their outcomes are recorded',
  resume: 'Resume a paused campaign; one with nothing left pending completes at once',
  cancel: 'Cancel a campaign: its queued contacts are cancelled; calls in flight finish, and none is retried',
};

/** The webhook event each action sends when it changed the campaign (written in the same transaction). */
const EVENT: Record<LifecycleAction, WebhookEventType> = { pause: 'campaign.paused', resume: 'campaign.resumed', cancel: 'campaign.cancelled' };

const OPERATION_ID: Record<LifecycleAction, string> = { pause: 'pauseCampaign', resume: 'resumeCampaign', cancel: 'cancelCampaign' };

export const campaignLifecycleRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  for (const action of ['pause', 'resume', 'cancel'] as const) {
    app.post(`/api/campaigns/:id/${action}`, {
      schema: {
        operationId: OPERATION_ID[action],
        summary: SUMMARY[action],
        description: `${SUMMARY[action]}. Repeating it changes nothing; an action the campaign's state does not allow `
          + '(resuming a cancelled campaign, …) is a 409. Answers the campaign as it is after the action.',
        tags: ['campaigns'],
        params: IdParams,
        response: { 200: Envelope(Campaign), ...errorResponses(409) },
      },
    }, async (request) => {
      const at = deps.now();
      const { id } = request.params;
      return ok(await changeCampaign(deps, id, at, async (tx, current) => {
        const target = nextStatus(action, current.status);
        if (target === null) return null;
        if (target === 'cancelled') await cancelQueuedCalls(tx, id, at);
        const updated = await setCampaignStatus(tx, id, target, at);
        await enqueueCampaignEvent(tx, EVENT[action], id, at);
        return target === 'active' ? completeResumedCampaign(tx, id, at, updated) : updated;
      }, request.id));
    });
  }
};
