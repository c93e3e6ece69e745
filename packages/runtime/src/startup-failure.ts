// How a process that cannot start says so: every configuration problem on a
// line of its own, all at once, exit code 2; a start-up failure a person can fix
// (a port in use, an embedded database that cannot run) as its one sentence,
// exit code 1; never a stack trace for either. Anything else is a bug: its stack
// is printed, exit code 1. Used by every entry point (api, worker, cli, npm start).
import { ConfigError } from './env.ts';

/** A failure to start that one sentence explains and the person running it can fix; its stack is that sentence. */
export class StartupError extends Error {
  override name = 'StartupError';

  constructor(message: string) {
    super(message);
    this.stack = `${this.name}: ${message}`;
  }
}

export interface StartupFailure {
  lines: string[];
  exitCode: 1 | 2;
}

/** The lines to print and the exit code for an error that stopped a process from starting. */
export function describeStartupFailure(error: unknown): StartupFailure {
  if (error instanceof ConfigError) return { lines: error.problems.map((p) => `invalid configuration: ${p}`), exitCode: 2 };
  if (error instanceof StartupError) return { lines: [error.message], exitCode: 1 };
  const listen = listenFailure(error);
  if (listen) return { lines: [listen], exitCode: 1 };
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  return { lines: [`failed to start: ${text}`], exitCode: 1 };
}

/** Prints the failure on stderr, each line prefixed with the program's name, and exits. */
export function exitOnStartupFailure(program: string, error: unknown): never {
  const { lines, exitCode } = describeStartupFailure(error);
  for (const line of lines) process.stderr.write(`${program}: ${line}\n`);
  process.exit(exitCode);
}

/** `listen EADDRINUSE: address already in use 127.0.0.1:3000` → a sentence naming the fix. */
function listenFailure(error: unknown): string | null {
  const e = error as { syscall?: unknown; code?: unknown; address?: unknown; port?: unknown } | null;
  if (e?.syscall !== 'listen' || typeof e.code !== 'string') return null;
  const where = `${String(e.address ?? '')}:${String(e.port ?? '')}`;
  if (e.code === 'EADDRINUSE') return `cannot listen on ${where}: the port is in use; stop what holds it or choose another port`;
  if (e.code === 'EACCES') return `cannot listen on ${where}: permission denied; choose a port above 1023`;
  if (e.code === 'EADDRNOTAVAIL') return `cannot listen on ${where}: no such address on this machine; check HOST`;
  return `cannot listen on ${where}: ${e.code}`;
}
