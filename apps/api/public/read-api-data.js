// Turns the API's `data` payloads into the plain shapes the page draws:
// instants as epoch milliseconds, names resolved, missing parts as empty lists.
// Shapes: GET /api/scheduler/plan (packages/db/src/plan-preview.ts), GET
// /api/campaigns (apps/api/src/campaigns/present.ts), GET /api/scheduler/status
// (packages/db/src/scheduler-status.ts). A missing or malformed part becomes
// "nothing" (a page must not break because the worker has not published yet),
// never invented data.

/**
 * Plan → { campaigns: [{ id, name, timezone, intervals: [{start,end}] }], wakes: [{ at, reason, campaignId }], nextWake }
 */
export function readPlan(data) {
  const campaigns = listOf(data?.campaigns).map((c) => ({
    id: String(c.id),
    name: typeof c.name === 'string' ? c.name : null,
    timezone: typeof c.timezone === 'string' ? c.timezone : null,
    intervals: listOf(c.open_windows).map(readInterval).filter(Boolean),
  }));
  const campaignWakes = listOf(data?.campaigns).flatMap((c) => listOf(c.wakes).map((at) => readWake({ at, reason: 'campaign_due', campaign_id: c.id })));
  const wakes = dedupeWakes([...listOf(data?.wakes).map(readWake), ...campaignWakes].filter(Boolean));
  return { campaigns, wakes, nextWake: data?.next_wake ? readWake(data.next_wake) : null };
}

/** Campaigns → [{ id, name, status, timezone, window, stats, nextOpenAt }] */
export function readCampaigns(data) {
  return listOf(data?.campaigns).map((c) => ({
    id: String(c.id),
    name: typeof c.name === 'string' ? c.name : String(c.id),
    status: typeof c.status === 'string' ? c.status : 'unknown',
    timezone: typeof c.timezone === 'string' ? c.timezone : null,
    window: typeof c.window === 'string' ? c.window : null,
    stats: readStats(c.stats),
    nextOpenAt: instant(c.next_open_at),
  }));
}

/**
 * The activity numbers the status carries: calls in flight, direct calls queued,
 * and the worker's counters (`workerCounters`) when it has any.
 * [[name, number]] in that order.
 */
export function readCounters(status) {
  const numbers = [];
  for (const key of ['callsInFlight', 'directCallsQueued']) {
    if (typeof status?.[key] === 'number') numbers.push([key, status[key]]);
  }
  const published = status?.workerCounters;
  if (published && typeof published === 'object') {
    for (const [k, v] of Object.entries(published)) if (typeof v === 'number' && Number.isFinite(v)) numbers.push([k, v]);
  }
  return numbers;
}

function readStats(stats) {
  const out = {};
  if (stats && typeof stats === 'object') {
    for (const [k, v] of Object.entries(stats)) if (k !== 'total' && typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  }
  return out;
}

function readInterval(i) {
  const start = instant(i?.start);
  const end = instant(i?.end);
  return start !== null && end !== null && end > start ? { start, end } : null;
}

function readWake(w) {
  const at = instant(w?.at);
  if (at === null) return null;
  return { at, reason: typeof w.reason === 'string' ? w.reason : null, campaignId: w.campaign_id ? String(w.campaign_id) : null };
}

function dedupeWakes(wakes) {
  const seen = new Map();
  for (const w of wakes) {
    const key = `${w.at}|${w.campaignId ?? ''}`;
    if (!seen.has(key)) seen.set(key, w);
  }
  return [...seen.values()].sort((a, b) => a.at - b.at);
}

function instant(value) {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

function listOf(value) {
  return Array.isArray(value) ? value : [];
}
