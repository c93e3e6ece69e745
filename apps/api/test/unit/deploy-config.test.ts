// The Railway deployment files: both railway.toml files parse, name the commands
// (build, start, pre-deploy) and health checks the services need, every `npm run X` they (and
// .railway/railway.ts) name is a root script, those scripts need nothing from
// devDependencies (Railway installs production dependencies only), and the
// services' scripts exec their program so Railway's SIGTERM reaches it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { loadWorkerConfig } from '../../../worker/src/config.ts';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string>; dependencies: Record<string, string> };

interface RailwayToml {
  build?: { buildCommand?: string };
  deploy: {
    startCommand: string;
    preDeployCommand?: string | string[];
    healthcheckPath?: string;
    restartPolicyType?: string;
    drainingSeconds?: number;
    sleepApplication?: boolean;
  };
}

const apiToml = parse(read('railway.toml')) as unknown as RailwayToml;
const workerToml = parse(read('apps/worker/railway.toml')) as unknown as RailwayToml;
const iac = read('.railway/railway.ts');

function commandsOf(config: RailwayToml): string[] {
  const pre = config.deploy.preDeployCommand;
  return [config.build?.buildCommand, config.deploy.startCommand, ...(Array.isArray(pre) ? pre : [pre])]
    .filter((c): c is string => typeof c === 'string');
}

function npmScriptsIn(command: string): string[] {
  return [...command.matchAll(/npm run ([\w:.-]+)/g)].map((m) => m[1]!);
}

describe('railway.toml (api service)', () => {
  it('builds the bundles, starts the API, migrates before deploying, checks /health, restarts on failure', () => {
    expect(apiToml.build?.buildCommand).toBe('npm run build');
    expect(apiToml.deploy.startCommand).toBe('npm run start:api');
    expect([apiToml.deploy.preDeployCommand].flat()).toEqual(['npm run migrate']);
    expect(apiToml.deploy.healthcheckPath).toBe('/health');
    expect(apiToml.deploy.restartPolicyType).toBe('ON_FAILURE');
  });
});

describe('apps/worker/railway.toml (worker service)', () => {
  it('builds the bundles, starts the worker, checks /health, always restarts, never sleeps', () => {
    expect(workerToml.build?.buildCommand).toBe('npm run build');
    expect(workerToml.deploy.startCommand).toBe('npm run start:worker');
    expect(workerToml.deploy.healthcheckPath).toBe('/health');
    expect(workerToml.deploy.restartPolicyType).toBe('ALWAYS');
    expect(workerToml.deploy.sleepApplication).toBe(false);
  });

  it('drains longer than the worker waits for in-flight work (SHUTDOWN_GRACE_S)', () => {
    const graceS = loadWorkerConfig({}).shutdownGraceS;
    expect(workerToml.deploy.drainingSeconds).toBeGreaterThan(graceS);
    expect(apiToml.deploy.drainingSeconds).toBeGreaterThan(graceS);
  });
});

describe('.railway/railway.ts', () => {
  it('describes both services, each built by npm run build', () => {
    expect(iac).toMatch(/service\("api",/);
    expect(iac).toMatch(/service\("worker",/);
    expect(iac).toMatch(/resources: \[api, worker\]/);
    expect([...iac.matchAll(/build: "npm run build"/g)]).toHaveLength(2);
  });

  it('rings the worker on the port the worker listens on, with a Railway reference', () => {
    const wakeUrl = /WORKER_WAKE_URL: "http:\/\/\$\{\{worker\.RAILWAY_PRIVATE_DOMAIN\}\}:(\d+)\/wake"/.exec(iac);
    const workerBlock = iac.slice(iac.indexOf('service("worker"'));
    expect(wakeUrl?.[1]).toBe(/PORT: "(\d+)"/.exec(workerBlock)?.[1]);
  });
});

describe('commands the deployment names', () => {
  const named = [
    ...commandsOf(apiToml), ...commandsOf(workerToml),
    ...[...iac.matchAll(/(?:build|start|preDeploy): "([^"]+)"/g)].map((m) => m[1]!),
  ].flatMap(npmScriptsIn);

  it('name root package.json scripts that exist', () => {
    expect(named).toEqual(expect.arrayContaining(['start:api', 'start:worker', 'migrate']));
    for (const script of named) expect(pkg.scripts, `npm run ${script}`).toHaveProperty([script]);
  });

  it('run with production dependencies only (their program is a runtime dependency)', () => {
    for (const script of new Set(named)) {
      const program = pkg.scripts[script]!.trim().replace(/^exec\s+/, '').split(/\s+/)[0]!;
      expect(program === 'node' || program in pkg.dependencies, `npm run ${script} runs ${program}`).toBe(true);
    }
  });

  it('start the services from the bundles with plain node: no TypeScript is compiled at start', () => {
    const build = read('scripts/build.ts');
    for (const script of ['start:api', 'start:worker']) {
      const bundle = /^exec node (apps\/\w+\/dist\/main\.js)$/.exec(pkg.scripts[script]!)?.[1];
      expect(bundle, script).toBeDefined();
      expect(build).toContain(`outfile: '${bundle}'`);
    }
  });

  it('exec the long-running program, so SIGTERM reaches it and shutdown is graceful', () => {
    // npm runs a script as `sh -c "<script>"`; on SIGTERM npm signals that shell,
    // which dies without passing the signal on, and the app is SIGKILLed later.
    // With `exec` the shell becomes the program and receives the signal itself.
    for (const script of ['start:api', 'start:worker']) expect(pkg.scripts[script]).toMatch(/^exec /);
  });
});
