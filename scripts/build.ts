// `npm run build`: the production bundles, so a deployment never compiles
// TypeScript at start — apps/api/dist/main.js and apps/worker/dist/main.js, one
// ES module each, run by plain `node` on every supported Node (20.19 to 26).
//
// Each bundle inlines the app and the workspace packages it imports
// (@wakeplan/*, TypeScript source), and leaves the npm dependencies external —
// loaded from node_modules at run time, exactly as in development, so no
// dependency's own file lookups break — but for a short list of pure ES-module
// packages whose many files made start-up slow (INLINED_NPM_PACKAGES). Source maps sit beside each bundle (the
// start scripts pass --enable-source-maps, so a logged stack names the .ts
// line). esbuild is a runtime dependency: Railway builds after a production
// install. Development and the CLI keep running the sources through tsx.
import { build, type Plugin } from 'esbuild';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const BUNDLES = [
  { entry: 'apps/api/src/main.ts', outfile: 'apps/api/dist/main.js' },
  { entry: 'apps/worker/src/main.ts', outfile: 'apps/worker/dist/main.js' },
];

/**
 * npm packages inlined all the same: pure ES modules spread over hundreds of
 * small files, which read no file of their own at run time. Loading typebox's
 * 700 modules one by one took about a second of the API's start on a 2-core
 * machine; inlined, they cost a few milliseconds.
 */
const INLINED_NPM_PACKAGES = ['typebox', 'libphonenumber-js'];

/** npm packages stay imports (but INLINED_NPM_PACKAGES); this repository's workspace packages are inlined. */
const keepNpmDependenciesExternal: Plugin = {
  name: 'npm-dependencies-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      const name = packageName(args.path);
      return name.startsWith('@wakeplan/') || INLINED_NPM_PACKAGES.includes(name) ? undefined : { path: args.path, external: true };
    });
  },
};

/** "@scope/name/sub/path" → "@scope/name"; "name/sub" → "name". */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

for (const { entry, outfile } of BUNDLES) {
  const started = performance.now();
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    sourcemap: 'linked',
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
    plugins: [keepNpmDependenciesExternal],
  });
  const bytes = Object.values(result.metafile.outputs).find((o) => o.entryPoint)?.bytes ?? 0;
  console.log(`${relative(root, join(root, outfile))}: ${(bytes / 1024).toFixed(0)} KiB in ${(performance.now() - started).toFixed(0)} ms`);
}
