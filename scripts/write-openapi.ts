// `npm run lint:openapi` (and anyone who wants the API description as a file):
// writes the document the API serves — built by the real app (buildApp),
// fetched from GET /openapi.json — to the path given (default
// test-artifacts/openapi.json). No database is needed: serving the
// description never queries. The lint itself is Spectral, in package.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createSql } from '@wakeplan/db';
import { createLogger } from '@wakeplan/runtime';
import { buildApp } from '../apps/api/src/app.ts';
import { loadApiConfig } from '../apps/api/src/config.ts';

const out = resolve(process.argv[2] ?? 'test-artifacts/openapi.json');
const sql = createSql({ url: 'postgres://unused@127.0.0.1:9/unused', idleTimeoutS: 1, applicationName: 'wakeplan-openapi' });
const app = await buildApp({ sql, config: loadApiConfig({ NODE_ENV: 'test' }), logger: createLogger('wakeplan-openapi', 'silent') });
const served = await app.inject({ method: 'GET', url: '/openapi.json' });
await app.close();
await sql.end();
if (served.statusCode !== 200) throw new Error(`GET /openapi.json answered ${served.statusCode}`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(JSON.parse(served.body), null, 2)}\n`);
console.log(`wrote ${out}`);
