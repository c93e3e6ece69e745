// What a provider's callback becomes once verified and read: the neutral event
// of DESIGN.md §6 (status, duration, provider call id, instant) aimed at one
// attempt, plus what the provider said about the call (ended reason, recording,
// transcript) so results can show it.
//
// Invariants: a reader never throws; it answers `accepted` or `refused` with an
// HTTP status (400 malformed, 401 bad or missing credential, 403 wrong token,
// 422 a well-formed payload we do not handle) and a reason a person can act on.
// `status: null` means "nothing to apply" (a queued or not-final notice): the
// route records the details, if any, and answers 200.
import { timingSafeEqual, createHash } from 'node:crypto';
import type { ProviderEventStatus } from '@wakeplan/contract';

/** Which attempt: by our ids (metadata, callback URL), else by the provider's call id stored at confirmation. */
export type CallbackTarget = { callId: string; attempt: number } | { providerCallId: string };

export interface CallDetails {
  endedReason: string | null;
  recordingUrl: string | null;
  transcript: string | null;
}

export interface ProviderCallback {
  target: CallbackTarget;
  providerCallId: string | null;
  status: ProviderEventStatus | null;
  durationSeconds: number | null;
  /** ISO instant at which the provider saw it happen. */
  occurredAt: string;
  details: CallDetails;
}

export type CallbackVerdict =
  | { kind: 'accepted'; callback: ProviderCallback }
  | { kind: 'refused'; statusCode: 400 | 401 | 403 | 422; reason: string };

export type AuthCheck = { ok: true } | { ok: false; statusCode: 401 | 403; reason: string };

export function refuse(statusCode: 400 | 401 | 403 | 422, reason: string): CallbackVerdict {
  return { kind: 'refused', statusCode, reason };
}

export const NO_DETAILS: CallDetails = Object.freeze({ endedReason: null, recordingUrl: null, transcript: null });

/** Equal strings, compared in constant time (digests of equal length, so the length does not leak either). */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Equal hex or base64 signatures, constant time; false for different lengths. */
export function sameSignature(given: Buffer, expected: Buffer): boolean {
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Our ids as sent with the call (strings in metadata or a URL query); null when absent or malformed. */
export function ourTarget(callId: unknown, attempt: unknown): { callId: string; attempt: number } | null {
  const n = typeof attempt === 'number' ? attempt : typeof attempt === 'string' && /^\d{1,6}$/.test(attempt) ? Number(attempt) : NaN;
  if (typeof callId !== 'string' || !UUID.test(callId) || !Number.isInteger(n) || n < 1) return null;
  return { callId: callId.toLowerCase(), attempt: n };
}

export function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** A non-negative duration in seconds as a provider sends it, rounded, else null; absurd values (beyond a year) are null too (it must fit duration_seconds, an int). */
export function seconds(value: unknown): number | null {
  return count(value, MAX_SECONDS);
}

/** The same in milliseconds (Retell), up to a year. */
export function milliseconds(value: unknown): number | null {
  return count(value, MAX_SECONDS * 1000);
}

const MAX_SECONDS = 366 * 86_400;

function count(value: unknown, max: number): number | null {
  const n = typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 && n <= max ? Math.round(n) : null;
}

export function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : null;
}

/** An ISO instant from the provider's value (ISO string or epoch ms), else `fallback`. */
export function instant(value: unknown, fallback: Date): string {
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
  const at = new Date(ms);
  return Number.isFinite(at.getTime()) ? at.toISOString() : fallback.toISOString();
}
