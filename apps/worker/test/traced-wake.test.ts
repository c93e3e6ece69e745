// The API and the worker as real processes: an API write made with an
// X-Request-Id rings the worker's doorbell, and the worker's "doorbell rung" and
// "woke" lines name that request — a wake traced to the write that caused it.
// Then SIGTERM shuts both down gracefully: exit code 0, "shutdown complete".
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestDatabase, waitFor } from '@wakeplan/db/testing';
import { CHILD_WAKE_TOKEN, startChildWorker, type ChildWorker } from './helpers/child-worker.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const db = useTestDatabase();
let worker: ChildWorker | null = null;
let api: ChildProcess | null = null;

afterAll(() => {
  worker?.process.kill('SIGKILL');
  api?.kill('SIGKILL');
});

async function startChildApi(env: Record<string, string>): Promise<{ base: string; logs: string[]; exited: Promise<number | null> }> {
  const child = api = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/main.ts'], {
    cwd: ROOT, env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', PORT: '0', API_TOKENS: 'tok', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const logs: string[] = [];
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    logs.push(...lines);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await waitFor(() => logs.some((l) => l.includes('"wakeplan-api ready"')) || child.exitCode !== null, 'the API to listen', 20_000);
  const listening = logs.map((l) => /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(l)?.[1]).find(Boolean);
  if (!listening) throw new Error(`the API did not start:\n${logs.join('\n')}`);
  return { base: listening, logs, exited };
}

describe('a write traced from the API to the wake it causes', () => {
  it('names the request on the doorbell and in the worker\'s wake; SIGTERM then exits both with 0', async () => {
    worker = await startChildWorker({ DATABASE_URL: db.current.url, SHUTDOWN_GRACE_S: '3' });
    await waitFor(async () => (await worker!.health()).state === 'asleep', 'the worker to fall asleep', 15_000);
    const child = await startChildApi({
      DATABASE_URL: db.current.url, WAKE_TOKEN: CHILD_WAKE_TOKEN, WORKER_WAKE_URL: `http://127.0.0.1:${worker.port}/wake`, SHUTDOWN_GRACE_S: '3',
    });
    const res = await fetch(`${child.base}/api/campaigns`, {
      method: 'POST',
      headers: { authorization: 'Bearer tok', 'content-type': 'application/json', 'x-request-id': 'trace-e2e-1' },
      body: JSON.stringify({ name: 'traced', agent_id: 'a', timezone: 'UTC', first_call_time: '09:00', last_call_time: '17:00' }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-request-id')).toBe('trace-e2e-1');
    await waitFor(() => worker!.logs.some((l) => l.msg === 'woke' && JSON.stringify(l.reasons).includes('trace-e2e-1')), 'the wake naming the request');
    expect(worker.logs.find((l) => l.msg === 'doorbell rung' && (l.requestIds as string[]).includes('trace-e2e-1'))).toMatchObject({ reason: 'campaign_changed' });
    expect(child.logs.some((l) => l.includes('"reqId":"trace-e2e-1"'))).toBe(true);

    api!.kill('SIGTERM');
    worker.process.kill('SIGTERM');
    expect(await child.exited).toBe(0);
    expect(await worker.exited).toBe(0);
    expect(child.logs.some((l) => l.includes('"shutdown complete"'))).toBe(true);
    expect(worker.logs.some((l) => l.msg === 'shutdown complete')).toBe(true);
    worker = null;
    api = null;
  });
});
