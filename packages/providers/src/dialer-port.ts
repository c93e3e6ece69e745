// The adapters' side of the worker's dialer port (apps/worker/src/dialers/dialer.ts):
// the results come from @wakeplan/contract, shared with the worker, so this
// package does not depend on the worker app; TypeScript compares the interfaces
// by structure, so a ProviderDialer is a worker Dialer (main.ts hands one over,
// and its typecheck fails if they drift).
import type { CallLookup, DialRequest, DialResult } from '@wakeplan/contract';

export type { CallLookup, DialResult };

/** None of the four providers deduplicates a create: every one reconciles. */
export interface ProviderDialer {
  readonly name: string;
  readonly resend: 'reconciles';
  dial(request: DialRequest): Promise<DialResult>;
  find(request: DialRequest): Promise<CallLookup>;
  close(): Promise<void>;
}

/** What we send with every call so a callback or a lookup maps back to one attempt. */
export function attemptTag(request: DialRequest): { wakeplan_call_id: string; wakeplan_attempt: string; wakeplan_key: string } {
  return { wakeplan_call_id: request.callId, wakeplan_attempt: String(request.attempt), wakeplan_key: request.idempotencyKey };
}

/** A per-call variable as the string a URL query or Retell's dynamic variables take. */
export function variableText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Options every adapter takes besides its credentials. */
export interface AdapterTiming {
  /** Per HTTP request (create or lookup). */
  timeoutMs: number;
  /** How far back find() looks for a call created for the attempt. */
  lookbackMs: number;
}
