// Webhooks in a simulation: the scenario's `webhooks` block, and the user's
// receiver as an in-process stand-in (no network), on the virtual clock.
//
// Scenario shape: "webhooks": { "events"?: [names] (default: all),
//   "receiver_down"?: [{ "from": ISO, "until": ISO }] } — the subscription exists
// before the run starts (configuration, not a user action); while the receiver
// is down every request fails as a refused connection would.
//
// Invariant: the receiver only records; the real delivery code (claim, lease,
// backoff, 24-hour cutoff) runs unchanged in the API and the worker.
import { isWebhookEventType, WEBHOOK_EVENT_TYPES, type WebhookEventType } from '@wakeplan/contract';
import type { SendResult, WebhookSender } from '@wakeplan/db';

export interface ScenarioWebhooks {
  events: WebhookEventType[];
  receiverDown: { from: number; until: number }[];
}

export function parseScenarioWebhooks(raw: unknown, problems: string[]): ScenarioWebhooks | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'object' || Array.isArray(raw)) return (problems.push('webhooks must be an object: { events?, receiver_down? }'), null);
  const o = raw as Record<string, unknown>;
  let events: WebhookEventType[] = [...WEBHOOK_EVENT_TYPES];
  if (o.events !== undefined) {
    if (!Array.isArray(o.events) || o.events.length === 0 || !o.events.every(isWebhookEventType)) {
      problems.push(`webhooks.events must be a non-empty list of ${WEBHOOK_EVENT_TYPES.join(', ')}`);
    } else {
      events = o.events;
    }
  }
  const receiverDown: ScenarioWebhooks['receiverDown'] = [];
  const down = o.receiver_down ?? [];
  if (!Array.isArray(down)) problems.push('webhooks.receiver_down must be a list of { from, until }');
  else {
    down.forEach((d: unknown, i) => {
      const r = (typeof d === 'object' && d !== null ? d : {}) as Record<string, unknown>;
      const from = typeof r.from === 'string' ? Date.parse(r.from) : NaN;
      const until = typeof r.until === 'string' ? Date.parse(r.until) : NaN;
      if (!(from < until)) problems.push(`webhooks.receiver_down[${i}] must be { "from": ISO instant, "until": a later ISO instant }`);
      else receiverDown.push({ from, until });
    });
  }
  return { events, receiverDown };
}

/** What a simulated receiver saw: requests, the distinct events accepted, the ones refused while down. */
export interface ReceiverLog {
  requests: number;
  refused: number;
  eventIds: Set<string>;
}

export function simulatedReceiver(w: ScenarioWebhooks): { log: ReceiverLog; send: WebhookSender } {
  const log: ReceiverLog = { requests: 0, refused: 0, eventIds: new Set() };
  const send: WebhookSender = async (d, at): Promise<SendResult> => {
    log.requests++;
    const t = at.getTime();
    if (w.receiverDown.some((r) => t >= r.from && t < r.until)) {
      log.refused++;
      return { ok: false, statusCode: null, error: 'connect ECONNREFUSED (simulated)' };
    }
    log.eventIds.add(d.eventId);
    return { ok: true, statusCode: 204 };
  };
  return { log, send };
}
