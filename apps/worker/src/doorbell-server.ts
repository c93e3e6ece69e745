// The worker's tiny HTTP server (DESIGN.md §3), listening before anything else
// in main.ts so the doorbell answers from the first moment:
//   GET  /health — state and next wake from memory; never touches the database.
//   POST /wake   — `Authorization: Bearer $WAKE_TOKEN` (the API's constant-time check),
//                  401 otherwise; 202 at once, then one wake per event-loop turn,
//                  so a burst of rings coalesces.
// Bound to `::` (IPv6-only private networks reach it; dual-stack also takes
// IPv4), falling back to 0.0.0.0 where the host has no IPv6.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBearerMatcher, type BearerMatcher } from '@wakeplan/contract';

export interface DoorbellTarget {
  wake(): void;
  health(): object;
}

export interface DoorbellServerOptions {
  port: number;
  wakeToken: string | undefined;
  host?: string;
}

export class DoorbellServer {
  private target: DoorbellTarget | null = null;
  private rungBeforeAttach = false;
  private wakeQueued = false;
  private readonly server: Server;
  private readonly authorised: BearerMatcher;

  constructor(private readonly options: DoorbellServerOptions) {
    this.authorised = createBearerMatcher(options.wakeToken ? [options.wakeToken] : []);
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 5_000;
  }

  /** Starts listening; resolves with the bound port (useful with port 0). */
  async listen(): Promise<number> {
    const host = this.options.host ?? '::';
    try {
      await this.listenOn(host);
    } catch (error) {
      if (host !== '::' || (error as NodeJS.ErrnoException).code !== 'EAFNOSUPPORT') throw error;
      await this.listenOn('0.0.0.0');
    }
    return (this.server.address() as AddressInfo).port;
  }

  /** Hands the doorbell to the worker; a ring that came before is passed on. */
  attach(target: DoorbellTarget): void {
    this.target = target;
    if (this.rungBeforeAttach) target.wake();
  }

  async close(): Promise<void> {
    this.server.closeIdleConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private listenOn(host: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    req.resume(); // bodies are ignored
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/health') {
      return send(res, 200, this.target ? this.target.health() : { status: 'ok', state: 'starting' });
    }
    if (req.method === 'POST' && path === '/wake') {
      if (this.authorised(req.headers.authorization) === null) return send(res, 401, { error: 'unauthorized' });
      send(res, 202, { accepted: true });
      return this.ring();
    }
    send(res, 404, { error: 'not found' });
  }

  private ring(): void {
    if (!this.target) {
      this.rungBeforeAttach = true;
      return;
    }
    if (this.wakeQueued) return;
    this.wakeQueued = true;
    setImmediate(() => {
      this.wakeQueued = false;
      this.target?.wake();
    });
  }
}

function send(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
