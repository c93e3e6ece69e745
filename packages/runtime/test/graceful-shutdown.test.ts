// closeGracefully in a real process: a signal runs the close once and exits 0;
// a close that throws or outlives its delay exits 1 (never hangs); a signal the
// process keeps for itself (SIGHUP) does not shut it down.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('./fixtures/shutdown-child.ts', import.meta.url));

interface Run { code: number | null; stdout: string }

function runChild(mode: string, signals: NodeJS.Signals[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    let sent = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!sent && stdout.includes('ready\n')) {
        sent = true;
        void (async () => {
          for (const signal of signals) {
            child.kill(signal);
            await new Promise((r) => setTimeout(r, 200));
          }
        })();
      }
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout })); // 'close', not 'exit': only then is all of stdout read
  });
}

function messages(stdout: string): string[] {
  return stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => (JSON.parse(l) as { msg: string }).msg);
}

describe('closeGracefully', { timeout: 30_000 }, () => {
  it('closes once on SIGTERM and exits 0', async () => {
    const run = await runChild('ok', ['SIGTERM']);
    expect(run.code).toBe(0);
    expect(messages(run.stdout)).toEqual(['shutting down', 'shutdown complete']);
  });

  it('exits 1, with the error logged, when closing throws', async () => {
    const run = await runChild('throws', ['SIGINT']);
    expect(run.code).toBe(1);
    expect(messages(run.stdout)).toEqual(['shutting down', 'shutdown failed']);
    expect(run.stdout).toContain('the pool refused to end');
  });

  it('exits 1 when closing outlives its delay, instead of hanging', async () => {
    const run = await runChild('hangs', ['SIGTERM']);
    expect(run.code).toBe(1);
    expect(messages(run.stdout)).toEqual(['shutting down', 'shutdown took longer than SHUTDOWN_GRACE_S; exiting']);
  });

  it('leaves a signal the process keeps (SIGHUP) to the process', async () => {
    const run = await runChild('ok', ['SIGHUP', 'SIGTERM']);
    expect(run.stdout).toContain('hup\n');
    expect(run.code).toBe(0);
  });
});
