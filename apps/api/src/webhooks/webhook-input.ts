// What a webhook subscription may point at, checked before anything is written.
//
// Allowed: an absolute http:// or https:// URL with a host, at most 2,000
// characters, without credentials (user:password@) or a #fragment. http is
// accepted for development and private networks; use https in production (the
// body is signed, not encrypted). Event names are checked by the schema; repeats
// are dropped here.
import { randomBytes } from 'node:crypto';
import type { WebhookEventType } from '@wakeplan/contract';
import { validationFailed, type FieldProblem } from '../errors.ts';

export interface WebhookValues {
  url: string;
  events: WebhookEventType[];
  secret: string;
}

export function checkWebhook(body: { url: string; events: WebhookEventType[] }): WebhookValues {
  const problem = urlProblem(body.url);
  if (problem) throw validationFailed([problem]);
  return { url: new URL(body.url).toString(), events: [...new Set(body.events)], secret: newSecret() };
}

function urlProblem(raw: string): FieldProblem | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { field: 'url', message: 'must be an absolute URL such as https://example.com/wakeplan-events' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { field: 'url', message: `must use http or https, not ${url.protocol.slice(0, -1)}` };
  if (!url.hostname) return { field: 'url', message: 'must name a host' };
  if (url.username || url.password) return { field: 'url', message: 'must not carry credentials (user:password@); verify the signature instead' };
  if (url.hash) return { field: 'url', message: 'must not have a #fragment (it is never sent to the server)' };
  return null;
}

/** 32 random bytes, hex, with a prefix that says what it is. */
function newSecret(): string {
  return `whsec_${randomBytes(32).toString('hex')}`;
}
