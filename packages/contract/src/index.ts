// @wakeplan/contract: what crosses a process boundary, in one place both sides
// import — the API, the worker, the CLI and a provider's webhook agree on these
// and nothing else. Pure: no I/O, no database, no clock (instants are passed in).
export type { CallLookup, DialResult } from './dial-result.ts';
export { bearerHeader, bearerToken, createBearerMatcher, type BearerMatcher } from './bearer.ts';
export {
  idempotencyKeyOf, isProgressStatus, PROVIDER_EVENT_STATUSES, webhookDialBody,
  type DialRequest, type ProviderEvent, type ProviderEventStatus,
} from './dialer-contract.ts';
export {
  buildNotification, NOTIFY_KINDS, parseNotification, SCHEDULER_CHANNEL,
  type NotifyKind, type ParsedNotification, type SchedulerNotification,
} from './notification.ts';
export { REQUEST_ID_HEADER, saneRequestId } from './request-id.ts';
export { SIGNATURE_HEADER, signedHeaders, TIMESTAMP_HEADER, verifySignedBody, type SignatureCheck } from './signing.ts';
export type { WorkerHealthBody } from './worker-health.ts';
export {
  isWebhookEventType, WEBHOOK_EVENT_ID_HEADER, WEBHOOK_EVENT_TYPES, type WebhookEventBody, type WebhookEventType,
} from './webhook-events.ts';
