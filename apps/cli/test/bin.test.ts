// The `wakeplan` executable itself: argument parsing, exit codes, one-line errors.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { useTestDatabase } from '@wakeplan/db/testing';

const db = useTestDatabase();
const bin = join(import.meta.dirname, '..', 'bin', 'wakeplan.js');

function wakeplan(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    env: { ...process.env, DATABASE_URL: db.current.url, WORKER_WAKE_URL: 'http://127.0.0.1:9/wake' }, encoding: 'utf8', timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('wakeplan executable', () => {
  it('prints usage, and exits 2 on an unknown command or option', () => {
    expect(wakeplan('help')).toMatchObject({ code: 0, stdout: expect.stringContaining('wakeplan simulate --scenario') });
    expect(wakeplan('explode')).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command "explode"') });
    expect(wakeplan('plan', '--bogus')).toMatchObject({ code: 2, stderr: expect.stringContaining("Unknown option '--bogus'") });
  });

  it('notify sends a valid payload (exit 0) and refuses bad JSON (exit 2), without a stack trace', () => {
    const ok = wakeplan('notify', '{"v":1,"kind":"reload","at":"2026-03-02T12:00:00Z"}');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('sent on scheduler_changed');
    const bad = wakeplan('notify', '{nope');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^wakeplan: payload is not valid JSON/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });

  it('migrate reports an up-to-date database', () => {
    expect(wakeplan('migrate')).toMatchObject({ code: 0, stdout: expect.stringMatching(/up to date/) });
  });
});
