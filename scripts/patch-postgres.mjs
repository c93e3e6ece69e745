// `postinstall` (runs after every `npm ci` / `npm install`, production installs
// included): patches the installed postgres.js so a query on a connection whose
// backend was terminated (pg_terminate_backend, Neon suspending a compute)
// rejects with CONNECTION_CLOSED instead of killing the process with an
// uncatchable `TypeError: Cannot read properties of null (reading 'write')`
// thrown from a setImmediate in connection.js nextWrite. Upstream bug:
// porsager/postgres #1066, #1154, #1208 (fixes proposed in #1168, #1209).
// Drop this script, and the postinstall, once a postgres release carries a fix.
//
// Invariants: applies only to postgres PINNED_VERSION (package.json pins it
// exactly) and fails the install loudly (exit 1) on any other version or when
// any snippet it replaces is missing or ambiguous, so a dependency bump can never
// silently leave the bug in. Idempotent: an already patched file (it carries
// MARK) is left alone. Patches every build that ships (src: ES module, cjs:
// CommonJS, cf: Cloudflare) of every installed copy. Writes each file whole
// (temporary file, then rename). Plain Node, no dependencies: it runs before
// anything else is usable.
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const PINNED_VERSION = '3.4.9';
const MARK = 'wakeplan-patch(postgres-null-socket)';
const BUILDS = ['src', 'cjs/src', 'cf/src'];

/** Each edit: `find` must occur exactly once in the file; it becomes `replace`. */
const EDITS = {
  'connection.js': [
    {
      // A query handed to a connection whose socket has closed is rejected at once. `true` keeps a
      // caller (a reserved connection, a transaction) from moving the closed connection out of the
      // pool's `closed` queue, as `execute` returning false would.
      find: `      return queryError(q, Errors.connection('CONNECTION_DESTROYED', options))\n`,
      replace:
        `      return queryError(q, Errors.connection('CONNECTION_DESTROYED', options))\n` +
        `\n` +
        `    if (!socket) { // ${MARK}: the socket closed (backend terminated); reject, never write to null\n` +
        `      queryError(q, Errors.connection('CONNECTION_CLOSED', options))\n` +
        `      return true\n` +
        `    }\n`,
    },
    {
      // A write still buffered when the socket went away: drop it and reject whatever waits on it.
      find: `  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)\n`,
      replace:
        `  function nextWrite(fn) {\n` +
        `    if (!socket) { // ${MARK}: closed before the buffered write ran\n` +
        `      const err = Errors.connection('CONNECTION_CLOSED', options)\n` +
        `      nextWriteTimer !== null && clearImmediate(nextWriteTimer)\n` +
        `      chunk = nextWriteTimer = null\n` +
        `      error(err)\n` +
        `      fn && fn(err)\n` +
        `      return false\n` +
        `    }\n` +
        `    const x = socket.write(chunk, fn)\n`,
    },
    {
      // On close, forget the buffered bytes and the cancelled timer: left behind, a reconnect would
      // prepend them to its startup message, and never schedule its own write (the timer looks pending).
      find: `    clearImmediate(nextWriteTimer)\n    socket.removeListener('data', data)\n`,
      replace:
        `    clearImmediate(nextWriteTimer)\n` +
        `    chunk = nextWriteTimer = null // ${MARK}\n` +
        `    socket.removeListener('data', data)\n`,
    },
  ],
  'index.js': [
    {
      // sql.reserve(): once the connection closed (the pool may reconnect it for someone else), the
      // holder's queries are rejected, never run on another session.
      find: `    c.reserved.release = true\n`,
      replace: `    c.reserved.release = true\n    const held = c.reserved // ${MARK}\n`,
    },
    {
      // Releasing a connection that closed under the holder (onclose already put it back with the
      // closed ones, or reconnected it for another query) must not hand it out again as open.
      find: `    sql.release = () => {\n      c.reserved = null\n`,
      replace:
        `    sql.release = () => {\n` +
        `      if (c.reserved !== held) // ${MARK}: closed under the holder, or released already\n` +
        `        return\n` +
        `      c.reserved = null\n`,
    },
    {
      find: `    return sql\n\n    function handler(q) {\n      c.queue === full\n`,
      replace:
        `    return sql\n\n    function handler(q) {\n` +
        `      if (c.reserved !== held) // ${MARK}: closed (or released) under the holder\n` +
        `        return q.reject(Errors.connection('CONNECTION_CLOSED', options))\n` +
        `      c.queue === full\n`,
    },
    {
      // sql.begin(): the same for the rest of a transaction whose connection closed: its statements
      // must not run outside the transaction on a reconnected session.
      find: `      , prepare = null\n`,
      replace: `      , prepare = null\n      , held = null // ${MARK}\n`,
    },
    {
      find: `        q.catch(e => uncaughtError || (uncaughtError = e))\n        c.queue === full\n`,
      replace:
        `        q.catch(e => uncaughtError || (uncaughtError = e))\n` +
        `        if (c.reserved !== held) // ${MARK}: the transaction's connection closed\n` +
        `          return q.reject(Errors.connection('CONNECTION_CLOSED', options))\n` +
        `        c.queue === full\n`,
    },
    {
      find: `      c.reserved = () => queries.length\n`,
      replace: `      c.reserved = held = () => queries.length // ${MARK}\n`,
    },
  ],
};

// The repository root; a test passes another (a copy of node_modules/postgres under a temporary root).
const root = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..');

/** Every installed copy of postgres: hoisted to the root, or nested under a workspace. */
function installedCopies() {
  const candidates = [join(root, 'node_modules', 'postgres')];
  for (const group of ['apps', 'packages']) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) candidates.push(join(dir, name, 'node_modules', 'postgres'));
  }
  return candidates.filter((dir) => existsSync(join(dir, 'package.json')));
}

/** @param {string} message @returns {never} */
function fail(message) {
  console.error(`patch-postgres: ${message}`);
  console.error('patch-postgres: scripts/patch-postgres.mjs fixes postgres.js ' + PINNED_VERSION +
    ' only (README: known upstream issues); update or drop it together with the postgres version.');
  process.exit(1);
}

/** @param {string} file @param {{ find: string, replace: string }[]} edits */
function patchFile(file, edits) {
  const original = readFileSync(file, 'utf8');
  if (original.includes(MARK)) return 'already patched';
  let text = original;
  for (const { find, replace } of edits) {
    const count = text.split(find).length - 1;
    if (count !== 1) fail(`${relative(root, file)}: expected exactly one occurrence of ${JSON.stringify(find)}, found ${count}`);
    text = text.replace(find, () => replace);
  }
  const temporary = `${file}.wakeplan-patch.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
  return 'patched';
}

const copies = installedCopies();
if (copies.length === 0) fail('postgres is not installed (node_modules/postgres)');
for (const dir of copies) {
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (version !== PINNED_VERSION) fail(`${relative(root, dir)} is ${version}, this patch is for ${PINNED_VERSION}`);
  for (const build of BUILDS) {
    for (const [name, edits] of Object.entries(EDITS)) {
      const file = join(dir, build, name);
      if (!existsSync(file)) fail(`${relative(root, file)} is missing`);
      console.log(`patch-postgres: ${relative(root, file)}: ${patchFile(file, edits)}`);
    }
  }
}
