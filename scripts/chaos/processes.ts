// The chaos suite's real processes: the API and the workers, each spawned as
// `node --import tsx <main.ts>` on 127.0.0.1 with port 0 (the bound port is read
// from its first log lines), and the doorbell fan-out: the API rings ONE
// doorbell URL, this small server forwards each ring to every worker alive, as
// a load balancer in front of several workers would not — so no worker sleeps
// through a change because the API rang another.
//
// Invariants: every process is started with an explicit environment (nothing
// inherited but PATH), killed by its own pid only; JSON log lines of level
// error (50) and above are kept for the report.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Spawned {
  name: string;
  child: ChildProcess;
  port: number;
  exited: Promise<number | null>;
  /** Log lines of level >= 50 (error, fatal), and stderr lines. */
  errors: string[];
  alive(): boolean;
}

/** Spawns `entry` and resolves once a log line names its port (`portOf`). */
async function spawnApp(name: string, entry: string, env: Record<string, string>, portOf: (line: Record<string, unknown>) => number | null): Promise<Spawned> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT, env: { PATH: process.env.PATH ?? '', TZ: 'UTC', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const errors: string[] = [];
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve((exitCode = code ?? (signal ? -1 : null)))));
  const port = await new Promise<number>((resolve, reject) => {
    let buffered = '';
    let found = false;
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const text of lines) {
        let line: Record<string, unknown>;
        try {
          line = JSON.parse(text) as Record<string, unknown>;
        } catch {
          continue;
        }
        if (typeof line.level === 'number' && line.level >= 50) errors.push(`${name}: ${String(line.msg)} ${line.err ? JSON.stringify(line.err).slice(0, 300) : ''}`);
        const p = found ? null : portOf(line);
        if (p !== null) {
          found = true;
          resolve(p);
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => void errors.push(`${name} (stderr): ${chunk.toString().trim().slice(0, 500)}`));
    void exited.then((code) => reject(new Error(`${name} exited (${code}) before listening: ${errors.join(' | ')}`)));
  });
  return { name, child, port, exited, errors, alive: () => exitCode === undefined };
}

/** The API: its port from fastify's "Server listening at http://127.0.0.1:PORT". */
export function spawnApi(env: Record<string, string>): Promise<Spawned> {
  return spawnApp('api', 'apps/api/src/main.ts', env, (line) => {
    const m = /listening at https?:\/\/127\.0\.0\.1:(\d+)/.exec(String(line.msg ?? ''));
    return m ? Number(m[1]) : null;
  });
}

/** A worker: its doorbell port from its "doorbell listening" line. */
export function spawnWorker(name: string, env: Record<string, string>): Promise<Spawned> {
  return spawnApp(name, 'apps/worker/src/main.ts', env, (line) => (line.msg === 'doorbell listening' ? Number(line.port) : null));
}

export interface Fanout {
  url: string;
  rings: number;
  close(): Promise<void>;
}

/** POST /wake → the same ring (token and request id) to every worker `targets()` names. */
export async function startDoorbellFanout(targets: () => number[]): Promise<Fanout> {
  const fanout: Fanout = { url: '', rings: 0, close: async () => {} };
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      fanout.rings++;
      res.writeHead(202).end();
      const headers: Record<string, string> = {};
      if (req.headers.authorization) headers.authorization = req.headers.authorization;
      if (typeof req.headers['x-request-id'] === 'string') headers['x-request-id'] = req.headers['x-request-id'];
      for (const port of targets()) {
        void fetch(`http://127.0.0.1:${port}/wake`, { method: 'POST', headers, signal: AbortSignal.timeout(2000) })
          .then((r) => r.arrayBuffer()).catch(() => undefined); // a worker just killed: it reads everything when it starts again
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fanout.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wake`;
  fanout.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return fanout;
}
