// The worker's tiny HTTP server (DESIGN.md §3), listening before anything else
// in main.ts so the doorbell answers from the first moment:
//   GET  /health — state and next wake from memory; never touches the database.
//   GET  /metrics — Prometheus text (worker-metrics.ts), from memory; never touches the database.
//   POST /wake   — `Authorization: Bearer $WAKE_TOKEN` (the API's constant-time check),
//                  401 otherwise; 202 once its small body is read, then one wake per event-loop turn,
//                  so a burst of rings coalesces. The ring names the API requests
//                  whose writes it announces (X-Request-Id, body `request_ids`):
//                  they are logged with the ring and handed to the wake they cause,
//                  whose "woke" line names them too. A ring whose reason is
//                  `reload` (POST /api/scheduler/reload, `wakeplan notify --ring`
//                  of a reload) asks for a full resync: the NOTIFY it follows
//                  goes unheard by a sleeping worker.
// Bound to `::` (IPv6-only private networks reach it; dual-stack also takes
// IPv4), falling back to 0.0.0.0 where the host has no IPv6.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBearerMatcher, REQUEST_ID_HEADER, saneRequestId, type BearerMatcher } from '@wakeplan/contract';
import type { Logger } from '@wakeplan/runtime';

export interface DoorbellTarget {
  /** `requestIds`: the API requests whose writes rang, oldest first (empty when unknown); `reload`: a ring asked for a full resync. */
  wake(requestIds: string[], reload: boolean): void;
  health(): object;
}

export interface DoorbellServerOptions {
  port: number;
  wakeToken: string | undefined;
  host?: string;
  logger?: Logger;
  /** What GET /metrics serves; 404 without it. */
  metrics?: { contentType: string; metrics(): Promise<string> };
}

/** A ring's body is `{ reason, request_ids }`: small. */
const MAX_RING_BODY_BYTES = 8 * 1024;
const MAX_PENDING_REQUEST_IDS = 20;

export class DoorbellServer {
  private target: DoorbellTarget | null = null;
  private rungBeforeAttach = false;
  private wakeQueued = false;
  private pendingRequestIds: string[] = [];
  private pendingReload = false;
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
    if (this.rungBeforeAttach) target.wake(this.takeRequestIds(), this.takeReload());
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
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/health') {
      req.resume();
      return send(res, 200, this.target ? this.target.health() : { status: 'ok', state: 'starting' });
    }
    if (req.method === 'GET' && path === '/metrics' && this.options.metrics) {
      req.resume();
      const registry = this.options.metrics;
      void registry.metrics().then((text) => {
        res.writeHead(200, { 'content-type': registry.contentType, 'content-length': Buffer.byteLength(text) });
        res.end(text);
      }, () => send(res, 500, { error: 'metrics unavailable' }));
      return;
    }
    if (req.method === 'POST' && path === '/wake') {
      if (this.authorised(req.headers.authorization) === null) {
        req.resume();
        return send(res, 401, { error: 'unauthorized' });
      }
      void readRing(req).then((ring) => {
        const requestIds = ring.requestIds.length > 0 ? ring.requestIds : [saneRequestId(req.headers[REQUEST_ID_HEADER])].filter((id) => id !== null);
        this.options.logger?.info({ reason: ring.reason, requestIds }, 'doorbell rung');
        this.ring(requestIds, ring.reason === 'reload');
        send(res, 202, { accepted: true });
      });
      return;
    }
    req.resume();
    send(res, 404, { error: 'not found' });
  }

  private ring(requestIds: string[], reload: boolean): void {
    this.pendingRequestIds = [...this.pendingRequestIds, ...requestIds].slice(-MAX_PENDING_REQUEST_IDS);
    this.pendingReload ||= reload;
    if (!this.target) {
      this.rungBeforeAttach = true;
      return;
    }
    if (this.wakeQueued) return;
    this.wakeQueued = true;
    setImmediate(() => {
      this.wakeQueued = false;
      this.target?.wake(this.takeRequestIds(), this.takeReload());
    });
  }

  private takeReload(): boolean {
    const reload = this.pendingReload;
    this.pendingReload = false;
    return reload;
  }

  private takeRequestIds(): string[] {
    const ids = this.pendingRequestIds;
    this.pendingRequestIds = [];
    return ids;
  }
}

/** The ring's reason and request ids; an unreadable or oversized body is a ring all the same. */
async function readRing(req: IncomingMessage): Promise<{ reason: string | null; requestIds: string[] }> {
  let text = '';
  try {
    for await (const chunk of req) {
      text += String(chunk);
      if (text.length > MAX_RING_BODY_BYTES) return { reason: null, requestIds: [] };
    }
    const body = JSON.parse(text) as { reason?: unknown; request_ids?: unknown };
    const ids = Array.isArray(body.request_ids) ? body.request_ids.map((id) => saneRequestId(typeof id === 'string' ? id : undefined)) : [];
    return { reason: typeof body.reason === 'string' ? body.reason.slice(0, 64) : null, requestIds: ids.filter((id) => id !== null) };
  } catch {
    return { reason: null, requestIds: [] };
  }
}

function send(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
