// A CliContext for tests: output captured, the database is this test file's own.
import type { TestDatabase } from '@wakeplan/db/testing';
import type { CliContext } from '../src/context.ts';

export interface CapturedContext extends CliContext { stdout: string[]; stderr: string[]; interrupt(): void }

export function testContext(db: () => TestDatabase, overrides: Partial<CliContext['config']> = {}): CapturedContext {
  const stdout: string[] = [];
  const stderr: string[] = [];
  let interrupt = () => {};
  const interrupted = new Promise<void>((resolve) => { interrupt = resolve; });
  return {
    config: { nodeEnv: 'test', databaseListenUrl: undefined, workerWakeUrl: undefined, wakeToken: undefined, ...overrides },
    out: (line) => stdout.push(line),
    err: (line) => stderr.push(line),
    interrupted,
    interrupt: () => interrupt(),
    isTerminal: false,
    stdout,
    stderr,
    withDatabase: (fn) => fn({ url: db().url, listenUrl: db().url, sql: db().sql }),
  };
}
