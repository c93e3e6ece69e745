// The worker's port to the telephony provider (DESIGN.md §6).
//
// Invariants: dial() never throws; it says what it knows. `confirmed`: the
// provider accepted the call (→ in_progress). `rejected`: the provider refused
// it for good (a 4xx: the attempt failed, the retry policy decides).
// `unconfirmed`: nobody knows whether the call is being placed; the claim stays
// `dialing` and becomes `unknown` at its result deadline. Only a dialer with
// `deduplicates: true` (the receiver treats a repeated idempotency key as the
// same call) may be sent the same attempt again.
import type { DialRequest, ProviderEvent } from '@wakeplan/contract';

export type DialResult =
  | { kind: 'confirmed'; providerCallId: string | null }
  | { kind: 'rejected'; reason: string }
  | { kind: 'unconfirmed'; reason: string };

export interface Dialer {
  readonly name: string;
  readonly deduplicates: boolean;
  dial(request: DialRequest): Promise<DialResult>;
  /** Stops timers and pending work (simulated outcomes not yet reported are dropped). */
  close(): Promise<void>;
}

/** Where a provider's events go: over HTTP to the API, or straight to the outcome logic in `simulate`. */
export type OutcomeSink = (event: ProviderEvent) => Promise<void>;
