// Per-campaign progress: a stacked bar (queued, dialing, completed, failed, other)
// plus the exact counts as text. Each segment has its own fill pattern (defined
// once in index.html) as well as its own colour, and the counts are written out,
// so progress reads without colour. Pure: data in, markup out.
import { el } from './markup.js';
import { formatInstant } from './describe-status.js';

/** @typedef {'queued' | 'dialing' | 'completed' | 'failed'} SegmentKey */

/** @type {{ key: SegmentKey, label: string, statuses: string[] }[]} */
const SEGMENTS = [
  { key: 'queued', label: 'queued', statuses: ['queued'] },
  { key: 'dialing', label: 'dialing', statuses: ['dialing', 'in_progress'] },
  { key: 'completed', label: 'completed', statuses: ['completed'] },
  { key: 'failed', label: 'failed', statuses: ['failed'] },
];
const COUNTED = new Set(SEGMENTS.flatMap((s) => s.statuses));
/** Keys of `stats` that are states outside the four segments ('total' is a sum, not a state). */
const isOther = (/** @type {string} */ key) => !COUNTED.has(key) && key !== 'total';

/**
 * { queued, dialing, completed, failed, other, total } from a campaign's `stats`.
 * @param {Record<string, number>} stats
 * @returns {Record<SegmentKey | 'other' | 'total', number>}
 */
export function progressCounts(stats) {
  const sum = (/** @type {string[]} */ keys) => keys.reduce((n, k) => n + (stats[k] ?? 0), 0);
  const counts = /** @type {Record<SegmentKey | 'other' | 'total', number>} */ (Object.fromEntries(SEGMENTS.map((s) => [s.key, sum(s.statuses)])));
  counts.other = Object.entries(stats).filter(([k]) => isOther(k)).reduce((n, [, v]) => n + v, 0);
  counts.total = SEGMENTS.reduce((n, s) => n + counts[s.key], 0) + counts.other;
  return counts;
}

/**
 * One campaign's card as HTML markup.
 * @param {import('./read-api-data.js').CampaignView} campaign
 * @param {{ now: number, axisTimeZone: string }} context
 * @returns {string}
 */
export function drawCampaignProgress(campaign, { now, axisTimeZone }) {
  const counts = progressCounts(campaign.stats);
  const done = counts.completed + counts.failed + counts.other;
  const pct = counts.total ? Math.round((done / counts.total) * 100) : 0;
  const W = 600;
  let x = 0;
  const parts = [...SEGMENTS.map((s) => ({ key: s.key, label: s.label, n: counts[s.key] })), { key: 'other', label: 'other', n: counts.other }]
    .filter((p) => p.n > 0)
    .map((p) => {
      const width = (p.n / counts.total) * W;
      const rect = el('rect', { class: `seg seg-${p.key}`, x, y: 0, width, height: 14 }, el('title', {}, `${p.n} ${p.label}`));
      x += width;
      return rect;
    });
  const bar = el('svg', { class: 'progress-bar', viewBox: `0 0 ${W} 14`, preserveAspectRatio: 'none', role: 'img', 'aria-label': `${pct}% done: ${countsText(campaign.stats)}` },
    el('rect', { class: 'seg-track', x: 0, y: 0, width: W, height: 14 }), parts);
  const zone = campaign.timezone ?? axisTimeZone;
  const opens = campaign.status !== 'active' ? campaign.status
    : campaign.nextOpenAt === null ? 'no window ahead'
      : campaign.nextOpenAt <= now ? 'window open now' : `opens ${formatInstant(new Date(campaign.nextOpenAt).toISOString(), zone, now)}`;
  return el('li', { class: 'campaign-card', 'data-campaign-id': campaign.id },
    el('div', { class: 'campaign-head' },
      el('h3', { class: 'campaign-name' }, campaign.name),
      el('span', { class: `badge status-${campaign.status}` }, campaign.status)),
    el('p', { class: 'campaign-meta' }, [campaign.window ? `${campaign.window} ${zone}` : null, opens].filter(Boolean).join(' · ')),
    bar,
    el('p', { class: 'campaign-counts' }, `${counts.total ? `${pct}% done` : 'no contacts yet'} — ${countsText(campaign.stats)}`),
    el('button', { type: 'button', class: 'link-button open-detail', 'data-campaign-id': campaign.id, 'data-campaign-name': campaign.name }, 'View contacts')).markup;
}

/**
 * "queued 40 · dialing 1 · completed 5 · failed 3" plus any other non-zero state.
 * @param {Record<string, number>} stats
 */
export function countsText(stats) {
  const counts = progressCounts(stats);
  const main = SEGMENTS.map((s) => `${counts[s.key]} ${s.label}`);
  const extra = Object.entries(stats).filter(([k, v]) => isOther(k) && v > 0).map(([k, v]) => `${v} ${k.replace(/_/g, ' ')}`);
  return [...main, ...extra].join(' · ');
}
