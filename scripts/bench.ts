// `npm run bench [-- NAME…]`: every benchmark, one after the other (never in
// parallel: they would measure each other), each as its own process. Benchmarks
// are never part of `npm test`. Names: schedule-core, api, export, worker, simulate, startup, scale.
// Arguments starting with `--` are passed to every benchmark run (e.g. `-- scale --sizes=1000x1000`).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const benches: Record<string, string[]> = {
  'schedule-core': ['packages/schedule-core/bench/schedule-core.bench.ts'],
  api: ['apps/api/bench/api.bench.ts'],
  export: ['apps/api/bench/export.bench.ts'],
  worker: ['apps/worker/bench/worker.bench.ts'],
  simulate: ['apps/cli/src/main.ts', 'simulate', '--scenario', 'apps/cli/scenarios/seed-story.json'],
  startup: ['scripts/startup.bench.ts'],
  scale: ['scripts/scale.bench.ts'],
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const passed = process.argv.slice(2).filter((a) => a.startsWith('--'));
const unknown = wanted.filter((n) => !(n in benches));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length > 0 ? wanted : Object.keys(benches)) {
  console.log(`\n=== ${name} ===`);
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', ...benches[name]!, ...passed], { cwd: root, stdio: 'inherit', env: process.env });
  console.log(`=== ${name}: ${r.status === 0 ? 'done' : `FAILED (${r.status ?? r.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (r.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
