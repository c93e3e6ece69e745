// The embedded development Postgres: a server already answering is reused and not
// owned; a failing process keeps its exit code; a server is never left running by
// the process that started it; `npm start` names what keeps it from starting in
// one sentence, without a stack.
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import postgres from 'postgres';
import { CHECKOUT_ROOT } from '../src/database.ts';
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

  it('npm start says in one sentence, without a stack, that its port is taken by something that is not Postgres', async () => {
    // Answers like an HTTP server; the client resetting the connection is expected.
    const squatter = createServer((socket) => socket.on('error', () => {}).end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const port = (squatter.address() as { port: number }).port;
    const env: NodeJS.ProcessEnv = { ...process.env, EMBEDDED_PG_PORT: String(port) };
    delete env.DATABASE_URL;
    try {
      const r = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', join(CHECKOUT_ROOT, 'scripts/start.ts')], { cwd: CHECKOUT_ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
        child.once('error', reject);
        child.once('close', (code) => resolve({ code, stderr }));
      });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(new RegExp(`^\\[start\\] something answers on 127\\.0\\.0\\.1:${port} but is not Wakeplan's embedded Postgres \\(.+\\): stop it, or set EMBEDDED_PG_PORT to a free port$`)),
      ]);
    } finally {
      squatter.close();
    }
  }, 60_000);
});
