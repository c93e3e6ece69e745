// The status page's one entry script: asks for the API token once (kept in
// sessionStorage for this tab), loads status, plan and campaigns with
// `Authorization: Bearer`, draws them, and refreshes while the refresh policy
// allows it. A campaign's "View contacts" opens its detail view
// (campaign-detail.js), refreshed with the rest.
//
// Invariant: no request leaves this page unless shouldRefresh() says so (or the
// user has just submitted a token). A hidden or idle tab stops polling and says
// so, so a dashboard left open never keeps the database awake.
import { REFRESH_EVERY_MS, idleAfterMsFrom, msUntilIdle, shouldRefresh } from './refresh-policy.js';
import { describeWorker, humanizeKey } from './describe-status.js';
import { describeShown, readCampaigns, readCounters, readPlan } from './read-api-data.js';
import { drawTimeline, localDayStarts } from './timeline-svg.js';
import { awakeHeadline, drawAwakeBand } from './awake-band.js';
import { drawCampaignProgress } from './progress-svg.js';
import { el } from './markup.js';
import { openDetail, refreshDetail, setUpDetail } from './campaign-detail.js';

/** @typedef {import('./read-api-data.js').StatusData} StatusData */
/** @typedef {import('./read-api-data.js').PlanView} PlanView */
/** @typedef {import('./read-api-data.js').CampaignView} CampaignView */
/** @typedef {import('./awake-band.js').ActivityData} ActivityData */

const TOKEN_KEY = 'wakeplan.apiToken';
const idleAfterMs = idleAfterMsFrom(location.search);
const axisTimeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

class Unauthorized extends Error {}

let lastInteractionAt = Date.now();
let lastRefreshAt = 0;
let timer = 0;
let paused = false;
let loading = false;

/** @param {string} path  @param {string} [accept] */
function apiFetch(path, accept = 'application/json') {
  return fetch(path, { headers: { authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY) ?? ''}`, accept }, cache: 'no-store' });
}

/** @param {string} path  @returns {Promise<any>} the envelope's `data` */
async function apiGet(path) {
  const response = await apiFetch(path);
  if (response.status === 401) throw new Unauthorized('unauthorized');
  const body = await response.json().catch(() => null);
  if (!response.ok || body?.success !== true) throw new Error(body?.error?.message ?? `HTTP ${response.status}`);
  return body.data;
}

async function refresh() {
  if (loading) return;
  loading = true;
  try {
    const [status, plan, campaigns, activity] = await Promise.allSettled([
      apiGet('/api/scheduler/status'), apiGet('/api/scheduler/plan?days=7'), apiGet('/api/campaigns'), apiGet('/api/scheduler/activity?days=7'),
      refreshDetail(apiGet),
    ]);
    /** @type {[string, PromiseSettledResult<unknown>][]} */
    const loads = [['status', status], ['plan', plan], ['campaigns', campaigns], ['database activity', activity]];
    if (loads.some(([, r]) => r.status === 'rejected' && r.reason instanceof Unauthorized)) {
      askForToken('The API did not accept that token. Please enter it again.');
      return;
    }
    lastRefreshAt = Date.now();
    render({
      status: status.status === 'fulfilled' ? status.value : null,
      plan: plan.status === 'fulfilled' ? readPlan(plan.value) : null,
      campaigns: campaigns.status === 'fulfilled' ? readCampaigns(campaigns.value) : [],
      activity: activity.status === 'fulfilled' ? activity.value : null,
      errors: loads.flatMap(([what, r]) => (r.status === 'rejected' ? [`Could not load the ${what}: ${r.reason?.message ?? r.reason}`] : [])),
    });
  } finally {
    loading = false;
  }
}

/** @param {{ status: StatusData | null, plan: PlanView | null, campaigns: CampaignView[], activity: ActivityData | null, errors: string[] }} data */
function render({ status, plan, campaigns, activity, errors }) {
  const now = Date.now();
  const names = new Map(campaigns.map((c) => [c.id, c]));
  renderWorker(status, plan, campaigns, now);
  const rows = (plan?.campaigns ?? campaigns.filter((c) => c.status === 'active').map((c) => ({ ...c, intervals: [] })))
    .map((r) => ({ id: r.id, name: r.name ?? names.get(r.id)?.name ?? r.id, timezone: r.timezone ?? names.get(r.id)?.timezone ?? null, intervals: r.intervals }));
  $('timeline').innerHTML = drawTimeline({ rows, wakes: plan?.wakes ?? [], now, dayStarts: localDayStarts(now, 7), axisTimeZone });
  $('timeline-zone').textContent = `Times on the axis are in ${axisTimeZone}; hover a bar or a wake for its campaign's local time.`;
  $('timeline-shown').textContent = describeShown(plan?.campaigns.length ?? 0, plan?.total);
  /** @type {Record<string, number>} */
  const order = { active: 0, paused: 1, completed: 2, cancelled: 3 };
  const sorted = [...campaigns].sort((a, b) => (order[a.status] ?? 9) - (order[b.status] ?? 9) || a.name.localeCompare(b.name));
  $('campaigns').innerHTML = sorted.length
    ? sorted.map((c) => drawCampaignProgress(c, { now, axisTimeZone })).join('')
    : el('li', { class: 'empty' }, 'No campaigns yet. Create one with POST /api/campaigns.').markup;
  renderCounters(status);
  renderAwake(activity);
  $('error-banner').hidden = errors.length === 0;
  $('error-banner').textContent = errors.join(' ');
  $('updated').textContent = `Updated ${new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(now)}`;
}

/**
 * @param {StatusData | null} status
 * @param {PlanView | null} plan
 * @param {CampaignView[]} campaigns
 * @param {number} now
 */
function renderWorker(status, plan, campaigns, now) {
  const words = describeWorker(status, { now, timeZone: wakeZone(status, plan, campaigns) });
  $('worker').dataset.state = words.state;
  $('worker-state').textContent = words.state;
  $('worker-headline').textContent = status ? words.headline : 'Worker state unavailable.';
  $('worker-detail').textContent = words.detail;
  $('api-message').textContent = typeof status?.message === 'string' ? `API: “${status.message}”` : '';
  const listed = Array.isArray(status?.campaigns) ? status.campaigns : null;
  const queued = listed ? listed.reduce((n, c) => n + (Number(c.queuedCount) || 0), 0) : null;
  const shown = listed ? describeShown(listed.length, status?.campaignsTotal) : '';
  const facts = [
    ['Active campaigns', status?.campaignCount ?? '—'],
    ['Queued calls', queued === null ? '—' : shown ? `${queued} (${shown})` : queued],
    ['Processing now', status ? (status.isProcessing ? 'yes' : 'no') : '—'],
    ['Refreshing', `every ${REFRESH_EVERY_MS / 1000} s while you use this page`],
  ];
  $('worker-facts').innerHTML = facts.map(([k, v]) => el('div', {}, el('dt', {}, k), el('dd', {}, String(v))).markup).join('');
}

/**
 * The zone to name the next wake in: its campaign's, else the one all campaigns share, else the viewer's.
 * @param {StatusData | null} status
 * @param {PlanView | null} plan
 * @param {CampaignView[]} campaigns
 * @returns {string}
 */
function wakeZone(status, plan, campaigns) {
  const at = Date.parse(status?.nextWakeTime ?? '');
  const wake = [plan?.nextWake, ...(plan?.wakes ?? [])].find((w) => w?.campaignId && Math.abs(w.at - at) < 60_000);
  const byId = new Map(campaigns.map((c) => [c.id, c.timezone]));
  const zone = wake?.campaignId && (plan?.campaigns.find((c) => c.id === wake.campaignId)?.timezone ?? byId.get(wake.campaignId));
  if (zone) return zone;
  const zones = new Set(campaigns.flatMap((c) => (c.status === 'active' && c.timezone ? [c.timezone] : [])));
  return zones.size === 1 ? [...zones][0] ?? axisTimeZone : axisTimeZone;
}

/** @param {ActivityData | null} activity */
function renderAwake(activity) {
  $('awake').hidden = activity === null;
  if (!activity) return;
  $('awake-headline').textContent = awakeHeadline(activity, 7);
  $('awake-band').innerHTML = drawAwakeBand(activity, { axisTimeZone });
  $('awake-note').textContent = `Modelled as Neon does: awake from any statement or new connection until ${activity.suspend_minutes} idle minutes pass. `
    + `It cannot see ${activity.cannot_see?.[0] ?? 'other clients of the same database'}.`;
}

/** @param {StatusData | null} status */
function renderCounters(status) {
  const counters = readCounters(status);
  $('counters').innerHTML = counters.map(([k, v]) => el('div', { class: 'counter' }, el('dt', {}, humanizeKey(k)), el('dd', {}, v.toLocaleString('en-US'))).markup).join('');
  $('counters-empty').hidden = counters.length > 0;
}

// ---- when to refresh ------------------------------------------------------

function policyAllows() {
  return shouldRefresh({ visible: document.visibilityState === 'visible', lastInteractionAt, now: Date.now(), idleAfterMs });
}

/** Arm one timer: the next refresh, or the moment the idle window ends, whichever is first. */
function schedule() {
  clearTimeout(timer);
  if (!signedIn()) return;
  if (!policyAllows()) return pause();
  const untilRefresh = Math.max(0, lastRefreshAt + REFRESH_EVERY_MS - Date.now());
  const untilIdle = msUntilIdle({ lastInteractionAt, now: Date.now(), idleAfterMs });
  timer = window.setTimeout(tick, Math.min(untilRefresh, untilIdle + 1));
}

async function tick() {
  if (!policyAllows()) return pause();
  if (Date.now() - lastRefreshAt >= REFRESH_EVERY_MS - 50) await refresh();
  schedule();
}

function pause() {
  clearTimeout(timer);
  paused = true;
  $('paused-notice').hidden = false;
  $('dashboard').classList.add('stale');
}

async function resume() {
  paused = false;
  $('paused-notice').hidden = true;
  $('dashboard').classList.remove('stale');
  await refresh();
  schedule();
}

function noteInteraction() {
  lastInteractionAt = Date.now();
  if (paused && signedIn() && policyAllows()) void resume();
}

for (const type of ['pointermove', 'pointerdown', 'keydown', 'wheel', 'touchstart']) {
  window.addEventListener(type, noteInteraction, { passive: true });
}
window.addEventListener('scroll', noteInteraction, { passive: true });
window.addEventListener('focus', noteInteraction);
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState !== 'visible') return pause();
  if (paused && signedIn() && policyAllows()) void resume();
});

// ---- the token ------------------------------------------------------------

function signedIn() {
  return Boolean(sessionStorage.getItem(TOKEN_KEY));
}

function askForToken(message = '') {
  clearTimeout(timer);
  sessionStorage.removeItem(TOKEN_KEY);
  $('dashboard').hidden = true;
  $('forget-token').hidden = true;
  $('token-panel').hidden = false;
  $('token-error').textContent = message;
  $('token-input').focus();
}

async function showDashboard() {
  $('token-panel').hidden = true;
  $('dashboard').hidden = false;
  $('forget-token').hidden = false;
  lastInteractionAt = Date.now();
  await resume();
}

$('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = /** @type {HTMLInputElement} */ ($('token-input'));
  const token = input.value.trim();
  if (!token) return;
  sessionStorage.setItem(TOKEN_KEY, token);
  input.value = '';
  void showDashboard();
});
$('forget-token').addEventListener('click', () => askForToken());
setUpDetail(apiGet, (path) => apiFetch(path, 'text/csv'));
$('campaigns').addEventListener('click', (event) => {
  const button = /** @type {HTMLElement | null} */ ((/** @type {HTMLElement} */ (event.target)).closest('button.open-detail'));
  if (button?.dataset.campaignId) void openDetail(apiGet, { id: button.dataset.campaignId, name: button.dataset.campaignName ?? '' });
});

if (signedIn()) void showDashboard();
else askForToken();
