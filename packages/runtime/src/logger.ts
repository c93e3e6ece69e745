// The logger every process uses: pino, JSON lines on stdout (what Railway and the
// `npm start` supervisor read), with secrets redacted wherever they might appear.
// Names: `wakeplan-api`, `wakeplan-worker`, `wakeplan-cli`. Messages say what
// happened; the values go in the fields, not again in the message.
import { pino, type DestinationStream, type Logger } from 'pino';
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

/** `destination` defaults to stdout; tests pass one that collects the lines. */
export function createLogger(name: string, level: LogLevel = 'info', destination?: DestinationStream): Logger {
  return pino({ name, level, redact: { paths: REDACT, censor: '[redacted]' } }, destination);
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
