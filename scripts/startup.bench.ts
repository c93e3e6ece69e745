// `npm run bench -- startup`: how long the API and the worker take from process
// start until GET /health answers, and their resident memory then (VmRSS of the
// node process, after /health first answered and again 1 s later), run from the
// TypeScript sources through tsx (development, and production before the build
// step) and from the production bundles (`npm run build`). Medians of RUNS runs
// each, taken one process at a time, alternating variants so drift hits all alike.
// Needs Linux (/proc) and a database: DATABASE_URL, else the embedded server.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMigratedDatabase, resolveDatabase } from '@wakeplan/db';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.STARTUP_RUNS ?? 15);

const VARIANTS = {
  'tsx (sources)': (app: string) => ['--import', 'tsx', `apps/${app}/src/main.ts`],
  'bundle': (app: string) => ['--enable-source-maps', `apps/${app}/dist/main.js`],
  'bundle, no source maps': (app: string) => [`apps/${app}/dist/main.js`],
};

interface Sample { ms: number; rssMb: number; rssSettledMb: number }

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) / 1024;
}

async function once(args: string[], app: string, databaseUrl: string): Promise<Sample> {
  const port = await freePort();
  const env = {
    PATH: process.env.PATH ?? '', NODE_ENV: 'production', DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', API_TOKENS: 't', WAKE_TOKEN: 'w',
    PROVIDER_EVENTS_SECRET: 's', HOST: '127.0.0.1', [app === 'api' ? 'PORT' : 'WORKER_PORT']: String(port),
  };
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false);
    if (ok) break;
    if (child.exitCode !== null) throw new Error(`${app} exited with ${child.exitCode}`);
    if (performance.now() - started > 30_000) throw new Error(`${app} did not answer /health within 30 s`);
    await new Promise((r) => setTimeout(r, 2));
  }
  const ms = performance.now() - started;
  const rss = rssMb(child.pid!);
  await new Promise((r) => setTimeout(r, 1000));
  const rssSettled = rssMb(child.pid!);
  child.kill('SIGTERM');
  await exited;
  return { ms, rssMb: rss, rssSettledMb: rssSettled };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const build = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(1);
const server = await resolveDatabase(process.env, (line) => console.log(line));
const db = await createMigratedDatabase(server.url, 'wakeplan_startup_bench');
try {
  console.log(`node ${process.version}, ${RUNS} runs each; start → /health answers; VmRSS then and 1 s later`);
  for (const app of ['api', 'worker']) {
    const samples = new Map<string, Sample[]>(Object.keys(VARIANTS).map((v) => [v, []]));
    for (let i = 0; i < RUNS; i++) {
      for (const [name, args] of Object.entries(VARIANTS)) samples.get(name)!.push(await once(args(app), app, db.url));
    }
    for (const [name, s] of samples) {
      const ms = s.map((x) => x.ms);
      console.log(`${app.padEnd(6)} ${name.padEnd(24)} start ${median(ms).toFixed(0).padStart(5)} ms (min ${Math.min(...ms).toFixed(0)}, max ${Math.max(...ms).toFixed(0)})`
        + `  RSS ${median(s.map((x) => x.rssMb)).toFixed(1)} MB, 1 s later ${median(s.map((x) => x.rssSettledMb)).toFixed(1)} MB`);
    }
  }
} finally {
  await db.drop();
  await server.release();
}
