// `npm start`: the whole of Wakeplan on one machine, for development.
//
// Resolves the database by the shared rule (DATABASE_URL, else an embedded
// Postgres kept across restarts), applies migrations, then runs the API and the
// worker as two child processes whose JSON logs are printed prefixed and, on a
// terminal, pretty. Ctrl-C (or SIGTERM) stops both children, waits for them, and
// stops the embedded database only if this process started it. A database that
// cannot be set up ends the run with its one sentence and exit code 1, no stack.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSql, DatabaseSetupError, describeMigration, migrate, resolveDatabase } from '@wakeplan/db';
import { redactUrl } from '@wakeplan/runtime';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pretty = process.stdout.isTTY;
const colours: Record<string, string> = { api: '\x1b[36m', worker: '\x1b[35m', start: '\x1b[33m' };

function say(source: string, line: string): void {
  const tag = pretty ? `${colours[source] ?? ''}[${source}]\x1b[0m` : `[${source}]`;
  process.stdout.write(`${tag} ${line}\n`);
}

/** One pino JSON line → "HH:MM:SS LEVEL msg key=value…" on a terminal; raw JSON otherwise. */
function formatLogLine(line: string): string {
  if (!pretty) return line;
  try {
    const { time, level, msg, pid: _pid, hostname: _h, name: _n, ...rest } = JSON.parse(line) as Record<string, unknown>;
    const levels: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: '\x1b[33mWARN \x1b[0m', 50: '\x1b[31mERROR\x1b[0m', 60: '\x1b[31mFATAL\x1b[0m' };
    const when = typeof time === 'number' ? new Date(time).toISOString().slice(11, 19) : '';
    const extra = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
    return `${when} ${levels[level as number] ?? level} ${String(msg ?? '')}${extra ? ` \x1b[2m${extra}\x1b[0m` : ''}`;
  } catch {
    return line;
  }
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

function exitOnSetupError(error: unknown): never {
  if (!(error instanceof DatabaseSetupError)) throw error;
  process.stderr.write(`[start] ${error.message}\n`);
  process.exit(1);
}

const db = await resolveDatabase(process.env, (line) => say('start', line)).catch(exitOnSetupError);
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
