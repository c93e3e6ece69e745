// `npm run chaos [-- --seed N --kills N --workers N --contacts N --minutes M
//   --provider deduplicating|reconciling --settle S --account-cap N --allow AREA,… --keep-db]`:
// the chaos suite of issue 15 (scripts/chaos/run.ts) — never part of `npm test`;
// CI runs a short seeded version. Prints what it found, grouped by area (claim,
// resend, outcomes, database, liveness, audit: verdict.ts), and the command
// that replays the run; exits 1 when anything was found outside the --allow'ed
// areas (those are printed as known), 2 on a usage error.
import { parseArgs } from 'node:util';
import { runChaos, type ChaosOptions } from './chaos/run.ts';
import type { ProviderMode } from './chaos/fake-provider.ts';

function options(): ChaosOptions {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string' }, kills: { type: 'string' }, workers: { type: 'string' }, contacts: { type: 'string' },
      minutes: { type: 'string' }, provider: { type: 'string' }, settle: { type: 'string' }, 'account-cap': { type: 'string' },
      allow: { type: 'string' }, 'keep-db': { type: 'boolean' },
    },
  });
  const num = (name: keyof typeof values, fallback: number, min: number, max: number) => {
    const raw = values[name];
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be a number from ${min} to ${max}, got "${raw}"`);
    return n;
  };
  const mode = (values.provider ?? 'deduplicating') as ProviderMode;
  if (!['deduplicating', 'reconciling'].includes(mode)) throw new Error(`--provider must be deduplicating or reconciling, got "${mode}"`);
  return {
    seed: Math.floor(num('seed', Date.now() % 1_000_000, 0, 2 ** 32 - 1)),
    kills: Math.floor(num('kills', 50, 0, 10_000)),
    workers: Math.floor(num('workers', 3, 1, 20)),
    contacts: Math.floor(num('contacts', 200, 6, 100_000)),
    minutes: num('minutes', 3, 0.1, 120),
    settleSeconds: num('settle', 150, 5, 3600),
    accountCap: Math.floor(num('account-cap', 8, 1, 1000)),
    mode,
    keepDatabase: values['keep-db'] === true,
    log: (line) => console.log(`chaos: ${line}`),
  };
}

const AREAS = ['claim', 'resend', 'outcomes', 'database', 'liveness', 'audit'];

function allowedAreas(): Set<string> {
  const { values } = parseArgs({ options: { allow: { type: 'string' }, 'keep-db': { type: 'boolean' } }, strict: false });
  const list = typeof values.allow === 'string' ? values.allow.split(',').map((a) => a.trim()).filter(Boolean) : [];
  const unknown = list.filter((a) => !AREAS.includes(a));
  if (unknown.length > 0) throw new Error(`--allow takes areas among ${AREAS.join(', ')}; got ${unknown.join(', ')}`);
  return new Set(list);
}

let o: ChaosOptions;
let allowed: Set<string>;
try {
  o = options();
  allowed = allowedAreas();
} catch (error) {
  console.error(`chaos: ${(error as Error).message}`);
  process.exit(2);
}
const replay = `npm run chaos -- --seed ${o.seed} --kills ${o.kills} --workers ${o.workers} --contacts ${o.contacts} --minutes ${o.minutes} --provider ${o.mode}`;
console.log(`chaos: seed ${o.seed} (${replay})`);
const report = await runChaos(o);
console.log(`chaos: ${report.kills} kills, ${report.terminations} connections terminated, ${report.outages} outages, ${report.lifecycle} lifecycle changes; `
  + `${report.dials} dial requests, ${report.calls} calls placed; contacts ${JSON.stringify(report.contacts)}; ${report.seconds.toFixed(0)} s`);
if (o.mode === 'reconciling') {
  const l = report.lookups;
  console.log(`chaos: ${l.found + l.notFound + l.failed} lookups before re-sending (Retell list-calls): ${l.found} found, ${l.notFound} not found, ${l.failed} failed`);
}
for (const r of report.recovery) {
  console.log(`chaos: outage left ${r.stranded} attempt(s) unconfirmed; ${r.resent} sent again after the provider came back`
    + `${r.slowestMs === null ? '' : ` (slowest ${(r.slowestMs / 1000).toFixed(1)} s after)`}`);
}
if (report.crashes.length > 0) {
  console.log(`chaos: ${report.crashes.length} worker crash(es) — restarted after 1 s, as a supervisor would; not invariant violations:`);
  for (const c of [...new Set(report.crashes.map((x) => x.replace(/^worker-\S+ /, '')))].slice(0, 5)) console.log(`    ${c}`);
}
if (!report.auditRan) console.log('chaos: `wakeplan audit` is not in this checkout; the audit was not run');
const failing = report.findings.filter((f) => !allowed.has(f.area));
if (report.findings.length === 0) {
  console.log(`chaos: 0 violations (seed ${o.seed})`);
  process.exit(0);
}
const byArea = new Map<string, typeof report.findings>();
for (const f of report.findings) byArea.set(f.area, [...(byArea.get(f.area) ?? []), f]);
console.log(`chaos: ${report.findings.length} violation(s) (seed ${o.seed}):`);
for (const [area, list] of byArea) {
  console.log(`  [${area}] ${list.length}${allowed.has(area) ? ' (allowed: --allow)' : ''}`);
  for (const f of list.slice(0, 15)) console.log(`    ${f.kind}: ${f.detail}`);
  if (list.length > 15) console.log(`    … ${list.length - 15} more`);
}
console.log(`chaos: replay with: ${replay}`);
process.exit(failing.length > 0 ? 1 : 0);
