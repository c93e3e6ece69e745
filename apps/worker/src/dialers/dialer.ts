// The worker's port to the telephony provider (DESIGN.md §6).
//
// Invariants: dial() and find() never throw; they say what they know.
// `confirmed`: the provider accepted the call (→ in_progress). `rejected`: the
// provider refused it for good (a 4xx: the attempt failed, the retry policy
// decides). `refused`: the provider provably did not process the request (a
// 429, its concurrency limit, a connection refused before sending) — nothing was
// placed and the same attempt may be sent again, not before `retryAfterMs`.
// `unconfirmed`: nobody knows whether the call is being placed.
// An unconfirmed attempt is sent again only as `resend` allows: a dialer that
// `deduplicates` (the receiver treats a repeated idempotency key as the same
// call) may simply be sent it again; a dialer that `reconciles` is asked to
// find() the attempt at the provider first, and is sent it again only when the
// provider says `not_found`.
import type { CallLookup, DialRequest, DialResult, ProviderEvent } from '@wakeplan/contract';

export type { CallLookup, DialResult };

export interface Dialer {
  readonly name: string;
  /** How an unconfirmed attempt may be sent again (see the invariants above). */
  readonly resend: 'deduplicates' | 'reconciles';
  dial(request: DialRequest): Promise<DialResult>;
  /** Looks the attempt up at the provider; required when `resend` is `reconciles`. */
  find?(request: DialRequest): Promise<CallLookup>;
  /** Stops timers and pending work (simulated outcomes not yet reported are dropped). */
  close(): Promise<void>;
}

/** Where a provider's events go: over HTTP to the API, or straight to the outcome logic in `simulate`. */
export type OutcomeSink = (event: ProviderEvent) => Promise<void>;
