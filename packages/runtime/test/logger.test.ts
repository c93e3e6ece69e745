// Logs: JSON lines for machines, human-readable (pino-pretty) only for a person
// at a terminal outside production; secrets are redacted either way; every line
// is on stdout, in order, even when the process exits right after logging it.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createLogger, loadLineFormatter, redactUrl, wantsPrettyLogs } from '../src/logger.ts';

describe('the logger', () => {
  it('is pretty only outside production, on a terminal', () => {
    expect(wantsPrettyLogs('development', true)).toBe(true);
    expect(wantsPrettyLogs('test', true)).toBe(true);
    expect(wantsPrettyLogs('development', false)).toBe(false);
    expect(wantsPrettyLogs('production', true)).toBe(false);
  });

  it('writes JSON lines with secrets redacted', () => {
    const lines: string[] = [];
    createLogger('t', 'info', { write: (l: string) => void lines.push(l) }).info({ req: { headers: { authorization: 'Bearer s3cret' } } }, 'hello');
    expect(JSON.parse(lines[0]!)).toMatchObject({ name: 't', msg: 'hello', req: { headers: { authorization: '[redacted]' } } });
    expect(redactUrl('postgres://u:pw@h/db')).toBe('postgres://u:***@h/db');
  });

  it('leaves every line on stdout, in order, when the process exits right after logging', { timeout: 30_000 }, async () => {
    // Several at once: the race this guards against (an asynchronous write still on its way when
    // process.exit writes the rest) showed in about half of the runs, more often on a busy machine.
    const fixture = fileURLToPath(new URL('./fixtures/log-then-exit.ts', import.meta.url));
    const runs = await Promise.all(Array.from({ length: 6 }, () => new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', fixture], { stdio: ['ignore', 'pipe', 'inherit'] });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stdout })); // 'close': after the last of stdout is read
    })));
    for (const run of runs) {
      expect(run.code).toBe(0);
      expect(run.stdout.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { i: number }).i)).toEqual([0, 1, 2]);
    }
  });

  it('turns another process\'s JSON lines into readable ones with pino-pretty (npm start), and leaves other lines alone', async () => {
    const format = await loadLineFormatter();
    expect(format).not.toBeNull();
    const line = format!(JSON.stringify({ level: 30, time: Date.UTC(2026, 2, 2, 12), name: 'wakeplan-api', msg: 'ready', port: 3000 }));
    expect(line).toContain('ready');
    expect(line).toContain('3000');
    expect(line).not.toMatch(/^\{/);
    expect(format!('not json')).toBe('not json');
  });
});
