// `npm start`: the whole of Wakeplan on one machine, for development.
//
// Checks the API's and the worker's configuration first (every problem of
// both, one line each, exit code 2), resolves the database by the shared rule
// (DATABASE_URL, else an embedded Postgres kept across restarts), applies
// migrations, then runs the API and the worker as two child processes whose JSON
// logs are printed prefixed and, on a terminal, made readable by pino-pretty.
// Ctrl-C (or SIGTERM) stops both children, waits for them, and stops the
// embedded database only if this process started it. A database that cannot be
// set up ends the run with its one sentence and exit code 1, no stack.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadApiConfig } from '@wakeplan/api/config';
import { createSql, describeMigration, migrate, resolveDatabase } from '@wakeplan/db';
import { ConfigError, describeStartupFailure, loadLineFormatter, redactUrl } from '@wakeplan/runtime';
import { loadWorkerConfig } from '../apps/worker/src/config.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pretty = process.stdout.isTTY;
const colours: Record<string, string> = { api: '\x1b[36m', worker: '\x1b[35m', start: '\x1b[33m' };
const formatLogLine = (pretty ? await loadLineFormatter() : null) ?? ((line: string) => line);

function say(source: string, line: string): void {
  const tag = pretty ? `${colours[source] ?? ''}[${source}]\x1b[0m` : `[${source}]`;
  process.stdout.write(`${tag} ${line}\n`);
}

/** Every configuration problem of both processes, before anything starts. */
function checkConfiguration(env: NodeJS.ProcessEnv): void {
  const problems = new Set<string>();
  for (const load of [loadApiConfig, loadWorkerConfig]) {
    try {
      load(env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      for (const p of error.problems) problems.add(p);
    }
  }
  if (problems.size > 0) exitOnFailure(new ConfigError([...problems]));
}

function run(name: string, entry: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, entry)], {
    cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (line) => say(name, formatLogLine(line)));
  }
  return child;
}

function exitOnFailure(error: unknown): never {
  const { lines, exitCode } = describeStartupFailure(error);
  for (const line of lines) process.stderr.write(`[start] ${line}\n`);
  process.exit(exitCode);
}

checkConfiguration(process.env);
const db = await resolveDatabase(process.env, (line) => say('start', line)).catch(exitOnFailure);
const sql = createSql({ url: db.url, applicationName: 'wakeplan-start', idleTimeoutS: 1, max: 1 });
try {
  say('start', describeMigration(await migrate(sql)));
} finally {
  await sql.end({ timeout: 5 });
}
say('start', `database ${redactUrl(db.url)}`);

const env = { ...process.env, DATABASE_URL: db.url };
const children = new Map<string, ChildProcess>([
  ['api', run('api', 'apps/api/src/main.ts', env)],
  ['worker', run('worker', 'apps/worker/src/main.ts', env)],
]);

let stopping = false;
async function stop(exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say('start', 'stopping api and worker…');
  await Promise.all([...children.values()].map((child) => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 20_000).unref();
  })));
  if (db.embedded?.startedHere) say('start', 'stopping the embedded Postgres this run started');
  await db.release();
  process.exit(exitCode);
}

for (const [name, child] of children) {
  child.on('exit', (code, signal) => {
    if (stopping) return;
    say('start', `${name} exited (${signal ?? `code ${code}`}); stopping the rest`);
    void stop(code === 0 ? 1 : (code ?? 1));
  });
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
