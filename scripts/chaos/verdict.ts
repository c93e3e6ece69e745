// The end of a chaos run: what the provider saw, held against what the
// database says, plus the database's own checks.
//
//   * the referee's live violations (referee.ts), each placed in the part of
//     issue 15 it belongs to: `claim` — a fresh claim broke the rule (caps,
//     lifecycle, window, hours) — or `resend` — a request for an attempt
//     claimed earlier went out without the dial rule being re-checked (a
//     re-send, or a restarted worker's first send of an older claim: the
//     dispatch-safety part of issue 15);
//   * agreement: every outcome the API accepted is the attempt's outcome in the
//     database; every provider outcome in the database was reported; a
//     completed call is completed; every event was delivered;
//   * `wakeplan check` (packages/db consistency-check.ts) finds nothing;
//   * `wakeplan audit` lists nothing — run when the CLI has it;
//   * liveness: nothing was left due and callable without being dialed.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { checkConsistency, type Sql } from '@wakeplan/db';
import type { FakeProvider } from './fake-provider.ts';
import type { LiveViolation } from './referee.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** A request arriving later than this after its claim is a re-send of an older claim, not the claim's own send. */
const OWN_SEND_MS = 2000;

type Area = 'claim' | 'resend' | 'outcomes' | 'database' | 'liveness' | 'audit';

export interface Finding {
  kind: string;
  area: Area;
  detail: string;
}

export interface VerdictInput {
  sql: Sql;
  databaseUrl: string;
  provider: FakeProvider;
  live: LiveViolation[];
  liveness: string[];
  at: Date;
}

export async function judge(v: VerdictInput): Promise<{ findings: Finding[]; auditRan: boolean }> {
  const findings: Finding[] = [];
  const attempts = await v.sql<{ call_id: string; attempt: number; status: string; claimed_at: Date; confirmed_at: Date | null; worker_id: string | null }[]>`
    select call_id, attempt, status, claimed_at, confirmed_at, worker_id from call_attempts`;
  const byKey = new Map(attempts.map((a) => [`${a.call_id}:${a.attempt}`, a]));
  const placedBy = new Map<string, number>(); // key → arrival instant of the request that placed its (first) call
  for (const a of v.provider.arrivals) if ((a.answer === 'placed' || a.answer === 'lost') && !placedBy.has(a.key)) placedBy.set(a.key, a.at);
  const late = (key: string | null, at: number, nth: number | null) => {
    const claimed = key ? byKey.get(key)?.claimed_at.getTime() : undefined;
    return (nth !== null && nth > 1) || (claimed !== undefined && at - claimed > OWN_SEND_MS);
  };
  for (const x of v.live) {
    let area: Area = late(x.key, x.at, x.nth) ? 'resend' : 'claim';
    if (x.kind === 'dialed_after_outcome' || x.kind === 'dialed_twice') area = 'resend';
    if (x.kind === 'overlapping_attempts' || x.kind.endsWith('_cap_exceeded')) {
      const other = /\(([^)]+:\d+)\)/.exec(x.detail)?.[1] ?? null;
      const keys = [x.key, other].filter((k): k is string => k !== null);
      const resent = x.detail.includes('a second call of one attempt') || keys.some((k) => placedBy.has(k) && late(k, placedBy.get(k)!, null));
      area = resent ? 'resend' : 'claim';
    }
    const row = x.key ? byKey.get(x.key) : undefined;
    const claim = row ? `; claimed ${x.at - row.claimed_at.getTime()} ms before it by ${row.worker_id ?? '?'}, now ${row.status}` : '';
    findings.push({ kind: x.kind, area, detail: `${x.key ?? ''} ${x.detail}${claim}`.trim() });
  }
  agreement(v.provider, byKey, findings);
  const calls = await v.sql<{ id: string; attempt: number; status: string }[]>`select id, attempt, status from calls`;
  const reported = new Map(v.provider.calls.filter((c) => c.reportedAt !== null).map((c) => [c.key, c]));
  for (const c of calls) {
    const last = reported.get(`${c.id}:${c.attempt}`);
    if (last?.outcome === 'completed' && c.status !== 'completed') {
      findings.push({ kind: 'db_disagrees', area: 'outcomes', detail: `${c.id}: the provider completed attempt ${c.attempt}, the contact is ${c.status}` });
    }
    if (c.status === 'completed' && last?.outcome !== 'completed') {
      findings.push({ kind: 'db_disagrees', area: 'outcomes', detail: `${c.id}: completed in the database, never completed at the provider` });
    }
  }
  for (const x of await checkConsistency(v.sql, v.at)) {
    findings.push({ kind: `check:${x.kind}`, area: 'database', detail: `${x.campaignId ?? ''} ${x.callId ?? ''} ${x.detail}`.trim() });
  }
  for (const line of v.liveness) findings.push({ kind: 'not_dialed', area: 'liveness', detail: line });
  const audit = runAudit(v.databaseUrl);
  if (audit) for (const line of audit) findings.push({ kind: 'audit', area: 'audit', detail: line });
  return { findings, auditRan: audit !== null };
}

function agreement(provider: FakeProvider, byKey: Map<string, { status: string; confirmed_at: Date | null }>, findings: Finding[]): void {
  const placed = new Set(provider.calls.map((c) => c.key));
  const callsOf = (key: string) => provider.calls.filter((c) => c.key === key).length;
  for (const call of provider.calls) {
    if (call.reportedAt === null) continue;
    const row = byKey.get(call.key);
    // Two calls placed for one attempt (a provider that does not deduplicate) report two outcomes; the attempt holds one.
    const area = callsOf(call.key) > 1 ? 'resend' : 'outcomes';
    if (!row) findings.push({ kind: 'db_disagrees', area, detail: `${call.key}: the provider reported ${call.outcome}; no such attempt in the database` });
    else if (row.status !== call.outcome) findings.push({ kind: 'db_disagrees', area, detail: `${call.key}: the provider reported ${call.outcome}; the database says ${row.status}` });
  }
  for (const [key, row] of byKey) {
    if (['completed', 'no_answer', 'busy', 'voicemail', 'canceled'].includes(row.status) && !placed.has(key)) {
      findings.push({ kind: 'db_disagrees', area: 'outcomes', detail: `${key}: ${row.status} in the database, never placed at the provider` });
    }
    if (row.confirmed_at !== null && !placed.has(key)) {
      findings.push({ kind: 'db_disagrees', area: 'outcomes', detail: `${key}: confirmed in the database, never placed at the provider` });
    }
  }
  for (const u of provider.undelivered) findings.push({ kind: 'event_not_accepted', area: 'outcomes', detail: `${u.key} ${u.status}: ${u.reason}` });
}

/** `wakeplan audit --days 1` when the CLI has it (issue 15's dispatch-safety part adds it): its lines when it exits non-zero, else []; null when absent. */
function runAudit(databaseUrl: string): string[] | null {
  if (!existsSync(`${ROOT}apps/cli/src/commands/audit.ts`)) return null;
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'apps/cli/src/main.ts', 'audit', '--days', '1'], {
    cwd: ROOT, env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl, NODE_ENV: 'test' }, encoding: 'utf8', timeout: 60_000,
  });
  if (r.status === 0) return [];
  return `${r.stdout}\n${r.stderr}`.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 50);
}
