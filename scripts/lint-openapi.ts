// `npm run lint:openapi`: lints the API description the API serves — built by
// the real app (buildApp), fetched from GET /openapi.json — with Spectral's
// standard `spectral:oas` ruleset (.spectral.yaml). Any warning fails. No
// database is needed: serving the description never queries.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSql } from '@wakeplan/db';
import { createLogger } from '@wakeplan/runtime';
import { buildApp } from '../apps/api/src/app.ts';
import { loadApiConfig } from '../apps/api/src/config.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sql = createSql({ url: 'postgres://unused@127.0.0.1:9/unused', idleTimeoutS: 1, applicationName: 'wakeplan-lint' });
const app = await buildApp({ sql, config: loadApiConfig({ NODE_ENV: 'test' }), logger: createLogger('wakeplan-lint', 'silent') });
const served = await app.inject({ method: 'GET', url: '/openapi.json' });
await app.close();
await sql.end();
if (served.statusCode !== 200) throw new Error(`GET /openapi.json answered ${served.statusCode}`);

const dir = mkdtempSync(join(tmpdir(), 'wakeplan-openapi-'));
const file = join(dir, 'openapi.json');
writeFileSync(file, served.body);
const spectral = spawnSync(join(root, 'node_modules/.bin/spectral'), ['lint', '--ruleset', join(root, '.spectral.yaml'), '--fail-severity', 'warn', file], { stdio: 'inherit' });
rmSync(dir, { recursive: true, force: true });
process.exit(spectral.status ?? 1);
