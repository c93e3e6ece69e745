// The NOTIFY contract (DESIGN.md §7): channel `scheduler_changed`, a small JSON
// payload `{ v: 1, kind, campaign_id?, call_id?, at }`. Building and reading it;
// sending is packages/db notify.ts (inside the writing transaction).
//
// Invariants: parsing never throws: anything unreadable is reported as such and
// the worker answers it with a full resync. NOTIFY is a hint; the database is the truth.

export const SCHEDULER_CHANNEL = 'scheduler_changed';
export const NOTIFY_KINDS = ['campaign_changed', 'contacts_added', 'call_queued', 'call_finished', 'reload'] as const;
export type NotifyKind = (typeof NOTIFY_KINDS)[number];
const MAX_PAYLOAD_BYTES = 8000;

export interface SchedulerNotification {
  v: 1;
  kind: NotifyKind;
  campaign_id?: string;
  call_id?: string;
  at: string;
}

export type ParsedNotification =
  | { ok: true; value: SchedulerNotification }
  | { ok: false; reason: string };

export function buildNotification(
  kind: NotifyKind,
  at: Date,
  ids: { campaignId?: string | null; callId?: string | null } = {},
): SchedulerNotification {
  const n: SchedulerNotification = { v: 1, kind, at: at.toISOString() };
  if (ids.campaignId) n.campaign_id = ids.campaignId;
  if (ids.callId) n.call_id = ids.callId;
  return n;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseNotification(payload: string): ParsedNotification {
  if (Buffer.byteLength(payload) >= MAX_PAYLOAD_BYTES) return { ok: false, reason: `payload is ${Buffer.byteLength(payload)} bytes; the limit is ${MAX_PAYLOAD_BYTES - 1}` };
  let raw: unknown;
  try {
    raw = JSON.parse(payload);
  } catch {
    return { ok: false, reason: 'payload is not JSON' };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, reason: 'payload must be a JSON object' };
  const o = raw as Record<string, unknown>;
  if (o.v !== 1) return { ok: false, reason: `v must be 1, got ${JSON.stringify(o.v)}` };
  if (typeof o.kind !== 'string' || !(NOTIFY_KINDS as readonly string[]).includes(o.kind)) {
    return { ok: false, reason: `kind must be one of ${NOTIFY_KINDS.join(', ')}, got ${JSON.stringify(o.kind)}` };
  }
  if (typeof o.at !== 'string' || Number.isNaN(Date.parse(o.at))) return { ok: false, reason: `at must be an ISO instant, got ${JSON.stringify(o.at)}` };
  for (const key of ['campaign_id', 'call_id'] as const) {
    if (o[key] !== undefined && (typeof o[key] !== 'string' || !UUID.test(o[key] as string))) {
      return { ok: false, reason: `${key} must be a UUID, got ${JSON.stringify(o[key])}` };
    }
  }
  const kind = o.kind as NotifyKind;
  if ((kind === 'campaign_changed' || kind === 'contacts_added') && o.campaign_id === undefined) {
    return { ok: false, reason: `${kind} needs campaign_id` };
  }
  if ((kind === 'call_queued' || kind === 'call_finished') && o.call_id === undefined && o.campaign_id === undefined) {
    return { ok: false, reason: `${kind} needs call_id or campaign_id` };
  }
  return { ok: true, value: o as unknown as SchedulerNotification };
}
