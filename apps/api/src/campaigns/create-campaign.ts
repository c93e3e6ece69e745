// Creating a campaign, with or without contacts, as one plan-changing write:
// the campaign row, its contacts and the NOTIFY commit together or not at all.
import type { CampaignRow } from '@wakeplan/db';
import type { RouteDeps } from '../deps.ts';
import type { ContactDraft } from '../contacts/contact-check.ts';
import type { ContactCollector } from '../contacts/import-collector.ts';
import { emptyStats, insertCampaign } from '../repositories/campaigns.ts';
import { insertContacts } from '../repositories/contacts.ts';
import type { CampaignValues } from './campaign-input.ts';
import { presentCampaign } from '../presenters.ts';

async function createCampaign(deps: RouteDeps, values: CampaignValues, drafts: ContactDraft[], at: Date, requestId?: string):
  Promise<{ row: CampaignRow; imported: number; suppressed: number }> {
  return deps.planWriter.write('campaign_changed', at, async (tx) => {
    const row = await insertCampaign(tx, values, at);
    const { imported, suppressed } = drafts.length > 0 ? await insertContacts(tx, row.id, drafts, at) : { imported: 0, suppressed: 0 };
    return { result: { row, imported, suppressed }, notify: { kind: imported > 0 ? 'contacts_added' : 'campaign_changed', campaignId: row.id } };
  }, requestId);
}

/** The 201 body: the campaign resource, with the import report when contacts came along. */
export async function createdCampaignBody(deps: RouteDeps, values: CampaignValues, collector: ContactCollector | null, at: Date, requestId?: string) {
  const { row, imported, suppressed } = await createCampaign(deps, values, collector?.drafts ?? [], at, requestId);
  // A campaign this new has exactly its imported contacts, all queued: no need to count them.
  const campaign = presentCampaign(row, { ...emptyStats(), queued: imported, total: imported }, at);
  return collector ? { ...campaign, import: collector.report(imported, suppressed) } : campaign;
}
