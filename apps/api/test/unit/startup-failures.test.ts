// Every entry point given a bad environment: `npm run start:api`, `start:worker`,
// the CLI (`npm run migrate`) and `npm start` each print one line per problem —
// all of them at once, the database's included — exit with code 2, and never
// print a stack trace. No database is needed: nothing starts.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

const BAD_ENV = { NODE_ENV: 'production', EMBEDDED_PG_PORT: 'abc', PORT: 'eighty', LOG_LEVEL: 'loud' };

function run(entry: string, args: string[] = []): { status: number | null; lines: string[]; stdout: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...BAD_ENV }, encoding: 'utf8', timeout: 30_000,
  });
  return { status: r.status, lines: r.stderr.trim().split('\n'), stdout: r.stdout };
}

const DATABASE_PROBLEMS = [
  'invalid configuration: DATABASE_URL is required when NODE_ENV=production: production never falls back to an embedded database',
  'invalid configuration: EMBEDDED_PG_PORT must be an integer >= 1 and <= 65535, got "abc"',
];

describe('a bad environment', () => {
  it.each([
    ['the API', 'apps/api/src/main.ts', 'wakeplan-api: ', ['API_TOKENS is required', 'PORT must be', 'LOG_LEVEL must be']],
    ['the worker', 'apps/worker/src/main.ts', 'wakeplan-worker: ', ['WAKE_TOKEN is required', 'PORT must be', 'LOG_LEVEL must be']],
    ['npm start', 'scripts/start.ts', '[start] ', ['API_TOKENS is required', 'WAKE_TOKEN is required', 'LOG_LEVEL must be']],
  ])('stops %s with one line per problem, exit code 2, no stack', (_name, entry, prefix, others) => {
    const r = run(entry);
    expect(r.status).toBe(2);
    expect(r.lines.every((l) => l.startsWith(`${prefix}invalid configuration: `)), r.lines.join('\n')).toBe(true);
    expect(r.lines).toEqual(expect.arrayContaining(DATABASE_PROBLEMS.map((p) => prefix + p)));
    for (const problem of others) expect(r.lines.some((l) => l.includes(problem)), problem).toBe(true);
    expect(new Set(r.lines).size).toBe(r.lines.length);
    expect(r.stdout).toBe('');
  }, 60_000);

  it('stops the CLI (npm run migrate) the same way', () => {
    const r = run('apps/cli/src/main.ts', ['migrate']);
    expect(r.status).toBe(2);
    expect(r.lines).toEqual(DATABASE_PROBLEMS.map((p) => `wakeplan: ${p}`));
  }, 60_000);
});
