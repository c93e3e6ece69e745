// The logger every process uses: pino, JSON lines on stdout (what Railway and the
// `npm start` supervisor read), with secrets redacted wherever they might appear.
// In development on a terminal the lines are printed human-readable by
// pino-pretty — a dev dependency, so a production install, which lacks it,
// always logs JSON. Names: `wakeplan-api`, `wakeplan-worker`, `wakeplan-cli`.
// Messages say what happened; the values go in the fields, not again in the message.
//
// Invariant: a line is on stdout, in order, when the logging call returns. pino's
// default stdout stream writes asynchronously (sonic-boom, sync: false), and at
// process.exit its flushSync writes what is still buffered while the previous
// write may not have reached the pipe yet: the last lines before an exit came out
// reordered, or not at all (graceful shutdown's 'shutting down' after its
// 'shutdown failed'). So stdout is written synchronously, as Node itself writes
// process.stdout to a pipe or file on Linux, and as the pretty stream already did.
import { destination as pinoDestination, pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
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

function loggerOptions(name: string, level: LogLevel): LoggerOptions {
  return { name, level, redact: { paths: REDACT, censor: '[redacted]' } };
}

/** `destination` defaults to stdout; tests pass one that collects the lines. */
export function createLogger(name: string, level: LogLevel = 'info', destination?: DestinationStream): Logger {
  return pino(loggerOptions(name, level), destination ?? pinoDestination({ dest: 1, sync: true }));
}

/** Human-readable lines only for a person: outside production, on a terminal. */
export function wantsPrettyLogs(nodeEnv: string, isTerminal: boolean): boolean {
  return nodeEnv !== 'production' && isTerminal;
}

/** A process's logger: pretty when `pretty` and pino-pretty is installed, JSON otherwise. */
export async function createProcessLogger(name: string, level: LogLevel, pretty: boolean): Promise<Logger> {
  const stream = pretty ? await prettyStream() : null;
  return stream ? pino(loggerOptions(name, level), stream) : createLogger(name, level);
}

/** pino-pretty's formatter for JSON lines written by another process (`npm start` shows its children's logs); null when it is not installed. */
export async function loadLineFormatter(): Promise<((line: string) => string) | null> {
  try {
    const { prettyFactory } = await import('pino-pretty');
    const format = prettyFactory({ ...PRETTY, colorize: true });
    return (line) => {
      try {
        return format(JSON.parse(line) as object).trimEnd();
      } catch {
        return line;
      }
    };
  } catch {
    return null;
  }
}

const PRETTY = { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true };

async function prettyStream(): Promise<DestinationStream | null> {
  try {
    const { default: pretty } = await import('pino-pretty');
    return pretty({ ...PRETTY, colorize: true, sync: true });
  } catch {
    return null;
  }
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
