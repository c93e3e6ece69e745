// The campaign detail view's pure parts: the contact table's rows as markup,
// and the query string of the filters (the same for the JSON pages and the
// CSV export). Pure: data in, markup or text out; every value is escaped by
// `el`, so a contact's name can never inject markup.
import { el } from './markup.js';
import { formatInstant } from './describe-status.js';

/**
 * A results row as GET /api/campaigns/:id/calls sends it (read defensively).
 * @typedef {{ id?: unknown, phone?: unknown, name?: unknown, timezone?: unknown, status?: unknown, attempts?: unknown,
 *   last_outcome?: unknown, next_attempt_at?: unknown, provider_call_id?: unknown, duration_seconds?: unknown,
 *   updated_at?: unknown }} ResultRow
 */
/** @typedef {{ statuses: string[], outcome: string, phone: string }} ContactFilters */

export const CONTACT_STATUSES = ['queued', 'dialing', 'in_progress', 'unknown', 'completed', 'failed', 'cancelled', 'expired'];

/**
 * `status=a&status=b&outcome=x&phone=+1` for the filters set, plus `extra` (limit, cursor).
 * @param {ContactFilters} filters
 * @param {Record<string, string>} [extra]
 */
export function filterQuery(filters, extra = {}) {
  const params = new URLSearchParams();
  for (const s of filters.statuses) params.append('status', s);
  if (filters.outcome.trim()) params.set('outcome', filters.outcome.trim());
  if (filters.phone.trim()) params.set('phone', filters.phone.trim());
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  return params.toString();
}

/** @param {unknown} v */
const text = (v) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

/**
 * The table body rows; one row saying so when there are none.
 * @param {ResultRow[]} rows
 * @param {number} now
 * @returns {string}
 */
export function drawContactRows(rows, now) {
  if (rows.length === 0) return el('tr', {}, el('td', { colspan: 8, class: 'empty' }, 'No contacts match these filters.')).markup;
  return rows.map((r) => {
    const zone = text(r.timezone) || 'UTC';
    const next = typeof r.next_attempt_at === 'string' ? formatInstant(r.next_attempt_at, zone, now) : '—';
    const duration = typeof r.duration_seconds === 'number' ? `${r.duration_seconds} s` : '—';
    return el('tr', { 'data-call-id': text(r.id) },
      el('td', { class: 'mono' }, text(r.phone)),
      el('td', {}, text(r.name) || '—'),
      el('td', {}, el('span', { class: `badge status-${text(r.status)}` }, text(r.status).replace(/_/g, ' '))),
      el('td', { class: 'num' }, text(r.attempts)),
      el('td', {}, text(r.last_outcome).replace(/_/g, ' ') || '—'),
      el('td', {}, next),
      el('td', { class: 'num' }, duration),
      el('td', { class: 'mono' }, text(r.provider_call_id) || '—')).markup;
  }).join('');
}
