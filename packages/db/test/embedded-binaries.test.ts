// The shared copy of the Postgres binaries that root runs them from: complete or
// absent under its final name, readable and runnable by everyone whatever the
// source's modes, reused while complete, replaced once a temp cleaner has thinned
// it, refused when others could have written it, one copy when processes race.
// It does not need root: whoever makes the copy owns it.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSetupError } from '../src/database-setup-error.ts';
import { ensureSharedCopy } from '../src/embedded-binaries.ts';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const ZONES = 150;

/** A package's `native` directory in miniature, every mode private as a 077 umask would leave it. */
function fakeBinaries(): { source: string; target: string; parent: string } {
  const parent = mkdtempSync(join(tmpdir(), 'wakeplan-binaries-'));
  made.push(parent);
  const source = join(parent, 'native');
  for (const dir of ['bin', 'lib', 'share/timezone']) mkdirSync(join(source, dir), { recursive: true, mode: 0o700 });
  writeFileSync(join(source, 'bin/initdb'), '#!/bin/sh\n', { mode: 0o600 }); // not runnable: the copy must make it so
  writeFileSync(join(source, 'bin/postgres'), '#!/bin/sh\n', { mode: 0o700 });
  writeFileSync(join(source, 'lib/libpq.so.5.18'), 'library', { mode: 0o600 });
  symlinkSync('libpq.so.5.18', join(source, 'lib/libpq.so.5'));
  for (let i = 0; i < ZONES; i++) writeFileSync(join(source, `share/timezone/zone-${i}`), randomBytes(16_384), { mode: 0o600 });
  return { source, target: join(parent, 'shared'), parent };
}

const mode = (path: string) => lstatSync(path).mode & 0o777;
const leftovers = (parent: string) => readdirSync(parent).filter((name) => /\.(partial|stale)-/.test(name));

/** Starts a process that makes the copy once `go` exists; resolves `ready` when it waits, `done` when it ends. */
function copyInChild(source: string, target: string, go: string) {
  const fixture = join(import.meta.dirname, 'fixtures', 'shared-copy.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, source, target, go], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const ready = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  const done = new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stderr }));
  });
  return { ready, done };
}

describe('shared copy of the Postgres binaries', () => {
  it('copies every file, directories and executables 0755 and the rest 0644, links as links', () => {
    const { source, target, parent } = fakeBinaries();

    ensureSharedCopy(source, target, ['bin/initdb']);

    expect([target, join(target, 'bin'), join(target, 'share/timezone')].map(mode)).toEqual([0o755, 0o755, 0o755]);
    expect(mode(join(target, 'bin/initdb'))).toBe(0o755);
    expect(mode(join(target, 'bin/postgres'))).toBe(0o755);
    expect(mode(join(target, 'lib/libpq.so.5.18'))).toBe(0o644);
    expect(readlinkSync(join(target, 'lib/libpq.so.5'))).toBe('libpq.so.5.18');
    expect(readFileSync(join(target, 'share/timezone/zone-7'))).toEqual(readFileSync(join(source, 'share/timezone/zone-7')));
    expect(readdirSync(join(target, 'share/timezone'))).toHaveLength(ZONES);
    expect(leftovers(parent)).toEqual([]);
  });

  it('reuses a complete copy, and replaces one that lost a file or whose file shrank', () => {
    const { source, target, parent } = fakeBinaries();
    // A file the source lacks marks this very copy: a reused copy keeps it, a fresh one has none.
    const marked = () => { writeFileSync(join(target, 'this-copy'), ''); };
    const isMarked = () => readdirSync(target).includes('this-copy');
    ensureSharedCopy(source, target);
    marked();

    ensureSharedCopy(source, target);
    expect(isMarked()).toBe(true);

    rmSync(join(target, 'share/timezone/zone-3'));
    ensureSharedCopy(source, target);
    expect(isMarked()).toBe(false);
    expect(readFileSync(join(target, 'share/timezone/zone-3'))).toEqual(readFileSync(join(source, 'share/timezone/zone-3')));

    marked();
    truncateSync(join(target, 'lib/libpq.so.5.18'), 1);
    ensureSharedCopy(source, target);
    expect(isMarked()).toBe(false);
    expect(readFileSync(join(target, 'lib/libpq.so.5.18'), 'utf8')).toBe('library');
    expect(leftovers(parent)).toEqual([]);
  });

  it('refuses a copy that others could have written, saying so in one sentence', () => {
    const { source, target } = fakeBinaries();
    ensureSharedCopy(source, target);
    chmodSync(target, 0o777);

    expect(() => ensureSharedCopy(source, target)).toThrow(DatabaseSetupError);
    expect(() => ensureSharedCopy(source, target)).toThrow(/^.*shared is not a directory that only this user can write, so the Postgres binaries in it cannot be trusted: remove it$/);
  });

  it('ends with one complete copy when several processes make it at once', async () => {
    const { source, target, parent } = fakeBinaries();

    const go = join(parent, 'go');
    const children = [1, 2, 3, 4].map(() => copyInChild(source, target, go));
    await Promise.all(children.map((child) => child.ready));
    writeFileSync(go, '');
    const results = await Promise.all(children.map((child) => child.done));

    for (const r of results) expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(join(target, 'share/timezone'))).toHaveLength(ZONES);
    expect(mode(join(target, 'bin/initdb'))).toBe(0o755);
    expect(leftovers(parent)).toEqual([]);
    expect(readdirSync(parent).sort()).toEqual(['go', 'native', 'shared']);
  }, 60_000);
});
