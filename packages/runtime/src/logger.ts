// The logger every process uses: pino, JSON lines on stdout (what Railway and the
// `npm start` supervisor read), with secrets redacted wherever they might appear.
import { pino, type Logger } from 'pino';
import type { LogLevel } from './env.ts';

export type { Logger };

const REDACT = [
  'req.headers.authorization',
  'req.headers["x-wakeplan-signature"]',
  'headers.authorization',
  '*.password',
  '*.token',
  '*.secret',
  '*.databaseUrl',
  '*.apiTokens',
  '*.wakeToken',
];

export function createLogger(name: string, level: LogLevel = 'info'): Logger {
  return pino({ name, level, redact: { paths: REDACT, censor: '[redacted]' } });
}

/** Hides the password in a connection URL before it is logged or printed. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '[unparseable url]';
  }
}
