// Where this package's files are on disk, found by resolving the package itself
// rather than from this module's own location: the production bundles
// (scripts/build.ts) inline this code into apps/*/dist, where a path relative
// to the module would point nowhere. Resolution goes through node_modules, which
// a bundled app keeps beside it.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const PACKAGE_DIR = dirname(createRequire(import.meta.url).resolve('@wakeplan/db/package.json'));

/** packages/db/migrations: the numbered SQL files. */
export const MIGRATIONS_DIR = join(PACKAGE_DIR, 'migrations');
/** The repository checkout (packages/db is two levels down): keys the embedded server's data directory. */
export const CHECKOUT_ROOT = join(PACKAGE_DIR, '..', '..');
