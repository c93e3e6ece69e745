// A direct call request → the row to insert, and the request's fingerprint for
// Idempotency-Key checks.
//
// Invariants: the fingerprint is a SHA-256 of the body with its keys sorted, so
// the same JSON in another key order is the same request; `not_before` must
// carry an offset (a bare local time would be read in the server's zone).
import { createHash } from 'node:crypto';
import { validationFailed, type FieldProblem } from '../errors.ts';
import { checkContact } from '../contacts/contact-check.ts';
import { checkDefaultCountry } from '../contacts/phone.ts';
import type { NewDirectCall } from '../repositories/calls.ts';
import type { CreateCallBody } from '../schemas/calls.ts';

const OFFSET_SUFFIX = /(?:[zZ]|[+-]\d{2}:?\d{2})$/;

export function checkDirectCall(body: CreateCallBody, idempotencyKey: string | null): NewDirectCall {
  const problems: FieldProblem[] = [];
  const country = checkDefaultCountry(body.default_country, problems);
  const contact = checkContact({ phone: body.phone, name: body.name ?? null, timezone: body.timezone ?? null, variables: body.variables }, country);
  if (!contact.ok) problems.push(...contact.problems);
  const notBefore = readNotBefore(body.not_before ?? null, problems);
  if (problems.length > 0 || !contact.ok) throw validationFailed(problems);
  return {
    phone: contact.value.phone,
    name: contact.value.name,
    timezone: contact.value.timezone,
    agent_id: body.agent_id,
    variables: contact.value.variables,
    next_attempt_at: notBefore,
    idempotency_key: idempotencyKey,
    request_hash: idempotencyKey ? requestHash(body) : null,
  };
}

function readNotBefore(value: string | null, problems: FieldProblem[]): Date | null {
  if (value === null) return null;
  const at = new Date(value);
  if (!OFFSET_SUFFIX.test(value) || Number.isNaN(at.getTime())) {
    problems.push({ field: 'not_before', message: `must be an ISO 8601 instant with a time zone offset, e.g. "2026-03-02T15:00:00Z", got ${JSON.stringify(value)}` });
    return null;
  }
  return at;
}

function requestHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
