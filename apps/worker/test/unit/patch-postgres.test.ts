// scripts/patch-postgres.mjs (the postinstall that fixes postgres.js's
// null-socket crash) on a copy of the installed postgres under a temporary
// root: idempotent on a patched copy, and failing the install loudly (exit 1,
// naming the reason) on another version or a file whose code it does not know.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const SCRIPT = join(repo, 'scripts/patch-postgres.mjs');
let root = '';
let copy = '';

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'patch-postgres-'));
  copy = join(root, 'node_modules/postgres');
  cpSync(join(repo, 'node_modules/postgres'), copy, { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function run() {
  const r = spawnSync(process.execPath, [SCRIPT, root], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('scripts/patch-postgres.mjs', () => {
  it('leaves the installed (already patched) ES module, CommonJS and Cloudflare builds as they are', () => {
    const before = readFileSync(join(copy, 'cjs/src/connection.js'), 'utf8');
    const r = run();
    expect(r.status).toBe(0);
    expect(r.stdout.match(/already patched/g)).toHaveLength(6);
    expect(before).toContain('wakeplan-patch(postgres-null-socket)');
    expect(readFileSync(join(copy, 'cjs/src/connection.js'), 'utf8')).toBe(before);
  });

  it('fails the install on any other postgres version', () => {
    const manifest = join(copy, 'package.json');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('"version": "3.4.9"', '"version": "3.4.10"'));
    const r = run();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('node_modules/postgres is 3.4.10, this patch is for 3.4.9');
  });

  it('fails the install, naming the file, when the code it replaces is not there', () => {
    writeFileSync(join(copy, 'cjs/src/index.js'), 'module.exports = {}\n');
    const r = run();
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/node_modules\/postgres\/cjs\/src\/index\.js: expected exactly one occurrence of .*, found 0/);
  });
});
