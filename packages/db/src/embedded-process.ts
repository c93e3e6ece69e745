// Running the Postgres binaries: initdb for a new data directory, then the server
// as a child process of this one, both as the server user (embedded-server-user.ts).
//
// Invariants: every failure becomes a DatabaseSetupError whose sentence carries
// the binary's own last error line; the server counts as started once it says it
// is ready to accept connections (lc_messages=C keeps that line in English); its
// stderr is drained for as long as it runs, so a chatty server never blocks on a
// full pipe; the binaries run in their own directory, which the server user can
// always enter (the caller's working directory may be a private checkout).
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DatabaseSetupError, errnoCode } from './database-setup-error.ts';
import type { PostgresBinaries } from './embedded-binaries.ts';
import type { ServerUser } from './embedded-server-user.ts';

const READY = 'database system is ready to accept connections';

export interface ClusterOptions {
  binaries: PostgresBinaries;
  dataDir: string;
  /** Who the binaries run as; null = this process's user. */
  runAs: ServerUser | null;
}

/** Creates a cluster in `dataDir` (whose parent must exist) with one superuser and its password. */
export async function initialiseCluster(o: ClusterOptions & { superuser: string; password: string }): Promise<void> {
  mkdirSync(o.dataDir, { recursive: true });
  const passwordFile = join(dirname(o.dataDir), `.initdb-password-${randomBytes(6).toString('hex')}`);
  writeFileSync(passwordFile, `${o.password}\n`, { mode: 0o600 });
  try {
    if (o.runAs) {
      chownSync(o.dataDir, o.runAs.uid, o.runAs.gid);
      chownSync(passwordFile, o.runAs.uid, o.runAs.gid);
    }
    const args = [`--pgdata=${o.dataDir}`, '--auth=password', `--username=${o.superuser}`, `--pwfile=${passwordFile}`, '--lc-messages=C'];
    const result = await runToEnd(o.binaries.initdb, args, o);
    if (result.code !== 0) {
      throw new DatabaseSetupError(`initialising the embedded Postgres in ${o.dataDir} failed: ${lastProblem(result.output) ?? `initdb exited with ${result.signal ?? result.code}`}`);
    }
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

/** Starts the server on an initialised `dataDir`; resolves with its process once it accepts connections. */
export function startServer(o: ClusterOptions & { port: number; flags: string[] }): Promise<ChildProcess> {
  const args = ['-D', o.dataDir, '-p', String(o.port), '-c', 'lc_messages=C', ...o.flags];
  const child = spawn(o.binaries.postgres, args, { ...spawnOptions(o), stdio: ['ignore', 'ignore', 'pipe'] });
  const stderr = child.stderr!;
  return new Promise((resolve, reject) => {
    let output = '';
    const onOutput = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-8000);
      if (!output.includes(READY)) return;
      stderr.off('data', onOutput);
      stderr.resume();
      resolve(child);
    };
    stderr.on('data', onOutput);
    child.once('error', (error) => reject(spawnFailure(error, o.binaries.postgres, o.runAs)));
    child.once('exit', (code, signal) => reject(new DatabaseSetupError(
      `the embedded Postgres did not start on port ${o.port} (data in ${o.dataDir}): ${lastProblem(output) ?? `postgres exited with ${signal ?? code}`}`,
    )));
  });
}

/**
 * Stops a server this process started (fast shutdown). On Ctrl-C in a terminal the
 * server got the SIGINT too and may be gone already; the wait is bounded all the same.
 */
export async function stopServer(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function spawnOptions(o: ClusterOptions): SpawnOptions {
  return {
    cwd: o.binaries.binDir,
    env: { ...process.env, LC_MESSAGES: 'C' },
    ...(o.runAs ? { uid: o.runAs.uid, gid: o.runAs.gid } : {}),
  };
}

function runToEnd(command: string, args: string[], o: ClusterOptions): Promise<{ code: number | null; signal: string | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...spawnOptions(o), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => { output = (output + chunk.toString('utf8')).slice(-8000); };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.once('error', (error) => reject(spawnFailure(error, command, o.runAs)));
    child.once('close', (code, signal) => resolve({ code, signal, output }));
  });
}

function spawnFailure(error: Error, path: string, runAs: ServerUser | null): DatabaseSetupError {
  const code = errnoCode(error);
  if (code === 'EACCES' && runAs) {
    return new DatabaseSetupError(`the \`${runAs.name}\` system user cannot run ${path} (EACCES): it needs a directory that user can reach, on a file system that allows running programs; set TMPDIR to such a directory, or set DATABASE_URL`);
  }
  return new DatabaseSetupError(`cannot run ${path} (${code}): it must exist, be executable and sit on a file system that allows running programs; reinstall the dependencies (npm ci), or set DATABASE_URL`);
}

/** The last error line a Postgres binary printed, without its log prefix. */
function lastProblem(output: string): string | undefined {
  const lines = output.split('\n').map((line) => line.replace(/\s+/g, ' ').trim());
  const problem = lines.findLast((line) => /\b(FATAL|PANIC|ERROR|error):/.test(line));
  return problem?.replace(/^.*?\b(FATAL|PANIC|ERROR):/, '$1:');
}
