// The production bundles (`npm run build`) run with plain `node`, as Railway
// starts them: the API serves /health, its API description and the status page
// (whose files it finds through its package, not a path relative to the
// bundle); the worker answers /health; SIGTERM ends both with exit code 0.
// No database is touched: the API connects on its first query, the worker's
// database is unreachable and it backs off (its /health never needs one).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const pkg = (await import('../../../../package.json', { with: { type: 'json' } })).default as { scripts: Record<string, string> };

const ENV = {
  PATH: process.env.PATH ?? '', NODE_ENV: 'production', HOST: '127.0.0.1', LOG_LEVEL: 'warn',
  DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none', API_TOKENS: 't', WAKE_TOKEN: 'w', PROVIDER_EVENTS_SECRET: 's',
};

beforeAll(() => {
  const build = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { cwd: ROOT, encoding: 'utf8' });
  expect(build.status, build.stderr).toBe(0);
}, 60_000);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Runs `node <bundle>` as its start script says, waits for /health, hands over, then SIGTERMs it. */
async function runBundle(script: string, portVar: string, check: (base: string) => Promise<void>): Promise<number | null> {
  const bundle = /^exec node (\S+)$/.exec(pkg.scripts[script]!)?.[1];
  expect(bundle, `${script} runs a bundle with plain node`).toBeDefined();
  expect(existsSync(`${ROOT}/${bundle}`)).toBe(true);
  const port = await freePort();
  const child = spawn(process.execPath, [bundle!], { cwd: ROOT, env: { ...ENV, [portVar]: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => void (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300 && child.exitCode === null; i++) {
    if (await fetch(`${base}/health`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  try {
    expect(child.exitCode, stderr).toBeNull();
    await check(base);
  } finally {
    child.kill('SIGTERM');
  }
  return exited;
}

describe('the production bundles', () => {
  it('start:api serves /health, /openapi.json and the status page, and exits 0 on SIGTERM', async () => {
    const code = await runBundle('start:api', 'PORT', async (base) => {
      expect((await fetch(`${base}/health`)).status).toBe(200);
      expect((await (await fetch(`${base}/openapi.json`)).json() as { openapi: string }).openapi).toMatch(/^3\./);
      const page = await fetch(`${base}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<html');
    });
    expect(code).toBe(0);
  }, 60_000);

  it('start:worker answers /health without a database, and exits 0 on SIGTERM', async () => {
    const code = await runBundle('start:worker', 'WORKER_PORT', async (base) => {
      const health = await (await fetch(`${base}/health`)).json() as { status: string };
      expect(health.status).toBe('ok');
    });
    expect(code).toBe(0);
  }, 60_000);
});
