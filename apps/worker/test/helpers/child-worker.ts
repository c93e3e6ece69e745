// The worker as a real child process (`node --import tsx apps/worker/src/main.ts`),
// for tests where crashes are involved. Its JSON log lines are collected; the
// doorbell port is read from its "doorbell listening" line (WORKER_PORT=0).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@wakeplan/db/testing';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const CHILD_WAKE_TOKEN = 'child-wake-token';

/** One JSON log line: its level and message, and its fields. */
type LogLine = { level: number; msg: string } & Record<string, unknown>;

export interface ChildWorker {
  process: ChildProcess;
  port: number;
  logs: LogLine[];
  exited: Promise<number | null>;
  wake(token?: string): Promise<number>;
  health(): Promise<Record<string, unknown>>;
}

export async function startChildWorker(env: Record<string, string>): Promise<ChildWorker> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/worker/src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', TZ: 'UTC', NODE_ENV: 'test', WORKER_PORT: '0', WAKE_TOKEN: CHILD_WAKE_TOKEN, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch {
        logs.push({ level: 30, msg: line });
      }
    }
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await waitFor(() => logs.some((l) => l.msg.startsWith('doorbell listening')) || child.exitCode !== null, 'the child worker to listen', 20_000);
  const line = logs.find((l) => l.msg.startsWith('doorbell listening'));
  if (!line) throw new Error(`child worker exited: ${stderr}`);
  const port = Number(line.port);
  const base = `http://127.0.0.1:${port}`;
  return {
    process: child, port, logs, exited,
    async wake(token = CHILD_WAKE_TOKEN) {
      const res = await fetch(`${base}/wake`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
      return res.status;
    },
    async health() {
      const res = await fetch(`${base}/health`);
      return (await res.json()) as Record<string, unknown>;
    },
  };
}
