// Turns the API's `data` payloads into the plain shapes the page draws:
// instants as epoch milliseconds, names resolved, missing parts as empty lists.
// Shapes: GET /api/scheduler/plan (apps/api/src/scheduler/plan-preview.ts), GET
// /api/campaigns (apps/api/src/presenters.ts), GET /api/scheduler/status
// (apps/api/src/scheduler/status.ts). A missing or malformed part becomes
// "nothing" (a page must not break because the worker has not published yet),
// never invented data. The typedefs here are the page's one description of them.

/** @typedef {{ start: number, end: number }} PlanInterval */
/** @typedef {{ at: number, reason: string | null, campaignId: string | null }} PlanWake */
/** @typedef {{ id: string, name: string | null, timezone: string | null, intervals: PlanInterval[] }} PlanCampaign */
/** @typedef {{ campaigns: PlanCampaign[], total: number | null, wakes: PlanWake[], nextWake: PlanWake | null }} PlanView */
/**
 * @typedef {{ id: string, name: string, status: string, timezone: string | null, window: string | null,
 *   stats: Record<string, number>, nextOpenAt: number | null }} CampaignView
 */
/**
 * The parts of GET /api/scheduler/status the page reads; any may be missing.
 * @typedef {{ workerState?: string, workerStateSource?: string, workerStateAgeSeconds?: number | null,
 *   nextWakeTime?: string | null, message?: string, campaignCount?: number, isProcessing?: boolean,
 *   campaigns?: { queuedCount?: unknown }[], campaignsTotal?: number, workerCounters?: Record<string, unknown> | null,
 *   [key: string]: unknown }} StatusData
 */
/** @typedef {Record<string, any>} Payload  a parsed JSON object from the API, read defensively */

/**
 * @param {Payload | null | undefined} data  GET /api/scheduler/plan
 * @returns {PlanView}
 */
export function readPlan(data) {
  const campaigns = listOf(data?.campaigns).map((c) => ({
    id: String(c.id),
    name: typeof c.name === 'string' ? c.name : null,
    timezone: typeof c.timezone === 'string' ? c.timezone : null,
    intervals: listOf(c.open_windows).map(readInterval).filter((i) => i !== null),
  }));
  const campaignWakes = listOf(data?.campaigns).flatMap((c) => listOf(c.wakes).map((at) => readWake({ at, reason: 'campaign_due', campaign_id: c.id })));
  const wakes = dedupeWakes([...listOf(data?.wakes).map(readWake), ...campaignWakes].filter((w) => w !== null));
  const total = typeof data?.campaigns_total === 'number' ? data.campaigns_total : null;
  return { campaigns, total, wakes, nextWake: data?.next_wake ? readWake(data.next_wake) : null };
}

/**
 * "showing N of M campaigns" when the API sent one page of a longer list
 * (status and plan are bounded), else an empty string.
 * @param {number} shown
 * @param {number | null | undefined} total
 * @returns {string}
 */
export function describeShown(shown, total) {
  if (typeof total !== 'number' || total <= shown) return '';
  return `showing ${shown.toLocaleString('en')} of ${total.toLocaleString('en')} campaigns`;
}

/**
 * @param {Payload | null | undefined} data  GET /api/campaigns
 * @returns {CampaignView[]}
 */
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
 * @param {StatusData | null | undefined} status
 * @returns {[string, number][]}
 */
export function readCounters(status) {
  /** @type {[string, number][]} */
  const numbers = [];
  for (const key of ['callsInFlight', 'directCallsQueued']) {
    const value = status?.[key];
    if (typeof value === 'number') numbers.push([key, value]);
  }
  const published = status?.workerCounters;
  if (published && typeof published === 'object') {
    for (const [k, v] of Object.entries(published)) if (typeof v === 'number' && Number.isFinite(v)) numbers.push([k, v]);
  }
  return numbers;
}

/** @param {unknown} stats  @returns {Record<string, number>} */
function readStats(stats) {
  /** @type {Record<string, number>} */
  const out = {};
  if (stats && typeof stats === 'object') {
    for (const [k, v] of Object.entries(stats)) if (k !== 'total' && typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  }
  return out;
}

/** @param {Payload | undefined} i  @returns {PlanInterval | null} */
function readInterval(i) {
  const start = instant(i?.start);
  const end = instant(i?.end);
  return start !== null && end !== null && end > start ? { start, end } : null;
}

/** @param {Payload | undefined} w  @returns {PlanWake | null} */
function readWake(w) {
  const at = instant(w?.at);
  if (at === null || !w) return null;
  return { at, reason: typeof w.reason === 'string' ? w.reason : null, campaignId: w.campaign_id ? String(w.campaign_id) : null };
}

/** @param {PlanWake[]} wakes */
function dedupeWakes(wakes) {
  /** @type {Map<string, PlanWake>} */
  const seen = new Map();
  for (const w of wakes) {
    const key = `${w.at}|${w.campaignId ?? ''}`;
    if (!seen.has(key)) seen.set(key, w);
  }
  return [...seen.values()].sort((a, b) => a.at - b.at);
}

/** @param {unknown} value  @returns {number | null} */
function instant(value) {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

/** @param {unknown} value  @returns {Payload[]} */
function listOf(value) {
  return Array.isArray(value) ? value : [];
}
