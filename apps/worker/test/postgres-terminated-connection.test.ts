// postgres.js on a connection whose backend was terminated (pg_terminate_backend,
// or Neon suspending a compute): the next query inside a transaction or on a
// reserved connection must reject with a connection error, which the worker's
// connection-loss handling takes over, and never kill the process. Upstream
// postgres.js 3.4.9 throws an uncatchable TypeError from a setImmediate
// (porsager/postgres #1066, #1154, #1208); scripts/patch-postgres.mjs fixes it
// at install. Runs a child process per build (ES module and CommonJS), since
// the failure is a process crash.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@wakeplan/db/testing';

const db = useTestDatabase();
const CHILD = fileURLToPath(new URL('./fixtures/terminated-connection-child.mjs', import.meta.url));

interface Outcome {
  case: string;
  settled: 'resolved' | 'rejected' | 'hung';
  code?: string;
  begin?: string;
}

function runChild(flavour: 'esm' | 'cjs'): Promise<{ exitCode: number; stderr: string; outcomes: Outcome[] }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CHILD, db.current.url, flavour], { timeout: 30_000 }, (error, stdout, stderr) => {
      const outcomes = stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Outcome);
      resolve({ exitCode: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stderr, outcomes });
    });
  });
}

describe.each(['esm', 'cjs'] as const)('postgres.js (%s build) after its backend is terminated', (flavour) => {
  it('rejects the next query with a connection error instead of crashing, and the pool still answers', async () => {
    const { exitCode, stderr, outcomes } = await runChild(flavour);
    expect(stderr).not.toMatch(/Cannot read properties of null/);
    expect(exitCode).toBe(0);
    expect(outcomes).toEqual([
      { case: 'begin', settled: 'rejected', code: 'CONNECTION_CLOSED', begin: 'rejected' },
      { case: 'reserve', settled: 'rejected', code: 'CONNECTION_CLOSED' },
      { case: 'pool', settled: 'resolved' },
    ]);
  }, 40_000);
});
