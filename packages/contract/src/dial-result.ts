// What a dialer can say about one dial request, and about one attempt looked up
// at the provider: the worker's dialer port (apps/worker/src/dialers/dialer.ts)
// and the provider adapters (packages/providers) both speak these.
//
// Invariants: `refused` means provably not processed — nothing was placed and the
// same attempt may be sent again, not before `retryAfterMs`; `unconfirmed` means
// nobody knows whether a call is being placed; `rejected` is final for the
// attempt. A lookup answers `unknown` whenever it cannot be sure (a failed
// request, several matching calls), which never leads to a second call.
export type DialResult =
  | { kind: 'confirmed'; providerCallId: string | null }
  | { kind: 'rejected'; reason: string }
  | { kind: 'refused'; reason: string; retryAfterMs: number | null }
  | { kind: 'unconfirmed'; reason: string };

/** What the provider knows of one attempt (looked up by the call id and attempt we sent with it). */
export type CallLookup =
  | { kind: 'found'; providerCallId: string }
  | { kind: 'not_found' }
  | { kind: 'unknown'; reason: string };
