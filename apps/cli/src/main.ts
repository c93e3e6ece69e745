// The `wakeplan` composition root: the only place that reads process.env and argv.
// Parses the command line, builds the context, runs one command, and turns a
// CliError into a one-line message and an exit code (2 = usage, 1 = failure); a
// configuration problem is one line each, all at once, exit code 2; a database
// that cannot be set up is its one sentence, exit code 1.
import { parseArgs } from 'node:util';
import { createSql, resolveDatabase } from '@wakeplan/db';
import { ConfigError, describeStartupFailure, StartupError } from '@wakeplan/runtime';
import { CliError, usageError } from './cli-error.ts';
import { loadCliConfig } from './config.ts';
import type { CliContext } from './context.ts';
import { runCommand } from './run-command.ts';
import { USAGE } from './usage.ts';

function buildContext(env: NodeJS.ProcessEnv): CliContext {
  const config = loadCliConfig(env);
  const interrupted = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  return {
    config,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    interrupted,
    isTerminal: Boolean(process.stderr.isTTY),
    async withDatabase(fn) {
      const db = await resolveDatabase(env, (line) => process.stderr.write(`${line}\n`));
      const sql = createSql({ url: db.url, applicationName: 'wakeplan-cli', idleTimeoutS: 5, max: 2 });
      try {
        return await fn({ url: db.url, listenUrl: config.databaseListenUrl ?? db.url, sql });
      } finally {
        await sql.end({ timeout: 5 });
        await db.release();
      }
    },
  };
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: rest, allowPositionals: true, strict: true,
      options: {
        channel: { type: 'string' }, ring: { type: 'boolean' }, raw: { type: 'boolean' },
        out: { type: 'string' }, duration: { type: 'string' }, speed: { type: 'string' },
        'no-delay': { type: 'boolean' }, days: { type: 'string' }, json: { type: 'boolean' },
        scenario: { type: 'string' }, 'suspend-after': { type: 'string' }, cu: { type: 'string' },
        svg: { type: 'string' }, grace: { type: 'string' }, modes: { type: 'string' },
      },
    });
  } catch (error) {
    throw usageError((error as Error).message);
  }
  return runCommand(buildContext(process.env), command, parsed.values, parsed.positionals);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof CliError) {
    process.stderr.write(`wakeplan: ${error.message}\n`);
    process.exitCode = error.exitCode;
  } else if (error instanceof ConfigError || error instanceof StartupError) {
    const failure = describeStartupFailure(error); // one line per problem, never a stack
    for (const line of failure.lines) process.stderr.write(`wakeplan: ${line}\n`);
    process.exitCode = failure.exitCode;
  } else {
    process.stderr.write(`wakeplan: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
