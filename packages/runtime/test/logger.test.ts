// Logs: JSON lines for machines, human-readable (pino-pretty) only for a person
// at a terminal outside production; secrets are redacted either way.
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
