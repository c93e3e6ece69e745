// The scale benchmark's real processes: the API and the worker, each started as
// `node --import tsx <main.ts>` on 127.0.0.1 with the benchmark's database, the
// webhook dialer pointed at the fake provider, and warn-level logs. Knows how
// to wait for their health and read their resident memory from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BenchProcess {
  child: ChildProcess;
  baseUrl: string;
  stop(): Promise<void>;
}

export function startProcess(root: string, main: string, port: number, env: Record<string, string>): BenchProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, main)], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', NODE_ENV: 'development', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const orphanGuard = () => child.kill('SIGKILL'); // never outlive the benchmark
  process.once('exit', orphanGuard);
  return {
    child,
    baseUrl: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

export async function waitForHealth<T>(url: string, accept: (body: T) => boolean, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) {
        const body = (await res.json()) as T;
        if (accept(body)) return body;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${url} not ready within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Resident set size of a process, in MB (Linux /proc). */
export function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return line ? Number(/(\d+)/.exec(line)![1]) / 1024 : NaN;
}
