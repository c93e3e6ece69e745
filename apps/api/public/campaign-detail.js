// The campaign detail view: one campaign's contacts in a table (GET
// /api/campaigns/:id/calls), with status/outcome/phone filters, "Load more"
// (keyset pages), and "Export CSV" (GET …/calls.csv with the same filters,
// fetched with the bearer token and saved as the file the server names).
//
// Invariant: it sends a request only when the user acts (open, filter, load
// more, export) or when the page's own refresh calls `refreshDetail` — which
// the refresh policy gates — so an idle page stays quiet. A refresh re-reads as
// many rows as are shown (up to 1,000), so loaded pages are not lost.
import { CONTACT_STATUSES, drawContactRows, filterQuery } from './contact-table.js';
import { el } from './markup.js';

/** @typedef {import('./contact-table.js').ContactFilters} ContactFilters */
/** @typedef {(path: string) => Promise<any>} ApiGet */
/** @typedef {(path: string) => Promise<Response>} ApiFetch */

const PAGE = 100;
const MAX_PAGE = 1000;
const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** @type {{ id: string, name: string, rows: any[], cursor: string | null, filters: ContactFilters } | null} */
let open = null;

/** Builds the status checkboxes once. */
export function setUpDetail(/** @type {ApiGet} */ apiGet, /** @type {ApiFetch} */ apiFetch) {
  $('filter-statuses').innerHTML = CONTACT_STATUSES.map((s) => el('label', { class: 'check' },
    el('input', { type: 'checkbox', name: 'status', value: s }), ` ${s.replace(/_/g, ' ')}`).markup).join('');
  $('contact-filters').addEventListener('submit', (event) => {
    event.preventDefault();
    if (!open) return;
    open.filters = readFilters();
    void load(apiGet, PAGE, false);
  });
  $('load-more').addEventListener('click', () => void load(apiGet, PAGE, true));
  $('export-csv').addEventListener('click', () => void exportCsv(apiFetch));
  $('detail-close').addEventListener('click', () => closeDetail());
}

/**
 * Opens the view on a campaign and loads its first page.
 * @param {ApiGet} apiGet
 * @param {{ id: string, name: string }} campaign
 */
export async function openDetail(apiGet, campaign) {
  open = { id: campaign.id, name: campaign.name, rows: [], cursor: null, filters: readFilters() };
  $('detail-heading').textContent = `Contacts — ${campaign.name}`;
  $('campaign-detail').hidden = false;
  await load(apiGet, PAGE, false);
  $('campaign-detail').scrollIntoView({ block: 'start' });
}

function closeDetail() {
  open = null;
  $('campaign-detail').hidden = true;
}

/** Called by the page's refresh (policy-gated): re-reads what is shown. */
export async function refreshDetail(/** @type {ApiGet} */ apiGet) {
  if (!open) return;
  await load(apiGet, Math.min(MAX_PAGE, Math.max(PAGE, open.rows.length)), false);
}

/** @returns {ContactFilters} */
function readFilters() {
  const form = /** @type {HTMLFormElement} */ ($('contact-filters'));
  const data = new FormData(form);
  return { statuses: data.getAll('status').map(String), outcome: String(data.get('outcome') ?? ''), phone: String(data.get('phone') ?? '') };
}

/**
 * @param {ApiGet} apiGet
 * @param {number} limit
 * @param {boolean} more  append the next page instead of reading from the start
 */
async function load(apiGet, limit, more) {
  const view = open;
  if (!view || (more && !view.cursor)) return;
  const extra = /** @type {Record<string, string>} */ ({ limit: String(limit) });
  if (more && view.cursor) extra.cursor = view.cursor;
  try {
    const data = await apiGet(`/api/campaigns/${encodeURIComponent(view.id)}/calls?${filterQuery(view.filters, extra)}`);
    if (open !== view) return; // closed or switched while loading
    const calls = Array.isArray(data?.calls) ? data.calls : [];
    view.rows = more ? [...view.rows, ...calls] : calls;
    view.cursor = typeof data?.next_cursor === 'string' ? data.next_cursor : null;
    $('detail-error').textContent = '';
  } catch (error) {
    $('detail-error').textContent = `Could not load the contacts: ${error instanceof Error ? error.message : String(error)}`;
  }
  render(view);
}

function render(/** @type {NonNullable<typeof open>} */ view) {
  $('contact-rows').innerHTML = drawContactRows(view.rows, Date.now());
  $('load-more').hidden = view.cursor === null;
  $('detail-summary').textContent = `${view.rows.length.toLocaleString('en-US')} contact${view.rows.length === 1 ? '' : 's'} shown${view.cursor ? ' — more below' : ''}.`;
}

/** Downloads the CSV with the token (a plain link could not send it) under the server's file name. */
async function exportCsv(/** @type {ApiFetch} */ apiFetch) {
  const view = open;
  if (!view) return;
  try {
    const response = await apiFetch(`/api/campaigns/${encodeURIComponent(view.id)}/calls.csv?${filterQuery(view.filters)}`);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'calls.csv';
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (error) {
    $('detail-error').textContent = `Could not export: ${error instanceof Error ? error.message : String(error)}`;
  }
}
