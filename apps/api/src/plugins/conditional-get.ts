// Conditional GETs for what dashboards poll: a route that declares
// `config: { etag: <Freshness> }` answers with a weak ETag and `Cache-Control:
// private, no-cache`, and a request whose If-None-Match still matches gets 304
// and no body.
//
// The tag is a digest of the body with what changes with the clock alone taken
// out (`Freshness.stable`: the status's currentTime, "open now" instead of the
// instant): equal tags mean the same data. A 304 normally costs the route's
// work (its queries) and saves the transfer. It costs nothing — not even the
// database, which may then sleep under a polling dashboard — when this process
// can tell that nothing changed since the tag was made: the change token (the
// plan writer's count of committed writes, with a fingerprint of the worker's
// live /health: its state and activity counters, which move with every write it
// makes) is the same as then, the body's own clock-driven changes are not due
// yet (`Freshness.expires`: a window opening, a minute ticking), and at most
// SHORTCUT_MAX_AGE_MS have passed. No worker to ask (no doorbell URL, no
// answer) means no shortcut.
//
// Invariants: the token is taken before the route reads anything, so a write
// that lands during the read makes the next request recompute; a 304 is only
// ever sent for a tag this process computed from real data; the shortcut
// assumes the worker the doorbell reaches is the only other writer — with
// several workers behind one address, or edits by hand, a change can go unseen
// until the next write through the API, the next clock-driven change, or
// SHORTCUT_MAX_AGE_MS (POST /api/scheduler/reload also counts as a write).
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { probeWorkerHealth } from '../worker-link/worker-health.ts';

/** How a route's body changes with time alone. */
export interface Freshness<Body = never> {
  /** The body with its clock-only values taken out or normalised; hashed into the tag. */
  stable(body: Body, now: Date): unknown;
  /** When the body will change with no write at all (a window boundary, the next minute); null: never. */
  expires(body: Body, now: Date): Date | null;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Answer with an ETag and honour If-None-Match (304). */
    etag?: Freshness<any>;
  }
}

const SHORTCUT_MAX_AGE_MS = 15 * 60_000;
const MAX_REMEMBERED = 1000;
const CACHE_CONTROL = 'private, no-cache';

interface Remembered {
  etag: string;
  token: string | null;
  madeAt: number;
  expiresAt: number;
}

export interface ChangeToken {
  /** A string that changes whenever the data may have; null when that cannot be known without the database. */
  current(): Promise<string | null>;
}

export function createChangeToken(options: { writes: () => number; workerBaseUrl: string | undefined; now: () => Date }): ChangeToken {
  const PROBE_TIMEOUT_MS = 300;
  const QUIET_AFTER_FAILURE_MS = 5000;
  let failedAt = Number.NEGATIVE_INFINITY;
  return {
    async current() {
      const nowMs = options.now().getTime();
      if (!options.workerBaseUrl || nowMs - failedAt < QUIET_AFTER_FAILURE_MS) return null;
      const writes = options.writes();
      const worker = await probeWorkerHealth(options.workerBaseUrl, PROBE_TIMEOUT_MS);
      if (!worker) {
        failedAt = nowMs;
        return null;
      }
      const { state, counters, nextWakeAt, callsInFlight } = worker;
      return `${writes}:${digest(JSON.stringify({ state, counters, nextWakeAt, callsInFlight }))}`;
    },
  };
}

export function installConditionalGets(app: FastifyInstance, options: { changes: ChangeToken; now: () => Date }): void {
  const remembered = new Map<string, Remembered>();
  const tokens = new WeakMap<FastifyRequest, string | null>();

  app.addHook('preHandler', async (request, reply) => {
    if (!request.routeOptions.config?.etag || request.method !== 'GET') return;
    const token = await options.changes.current();
    tokens.set(request, token);
    const asked = request.headers['if-none-match'];
    const known = remembered.get(request.url);
    const nowMs = options.now().getTime();
    if (asked === undefined || token === null || !known || known.token !== token) return;
    if (nowMs >= known.expiresAt || nowMs - known.madeAt > SHORTCUT_MAX_AGE_MS || !matches(asked, known.etag)) return;
    return reply.code(304).header('etag', known.etag).header('cache-control', CACHE_CONTROL).send();
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const freshness = request.routeOptions.config?.etag;
    if (!freshness || request.method !== 'GET' || reply.statusCode !== 200 || typeof payload !== 'string') return payload;
    const now = options.now();
    const body = JSON.parse(payload) as never;
    const etag = `W/"${digest(JSON.stringify(freshness.stable(body, now)))}"`;
    remember(remembered, request.url, {
      etag, token: tokens.get(request) ?? null, madeAt: now.getTime(), expiresAt: freshness.expires(body, now)?.getTime() ?? Infinity,
    });
    void reply.header('etag', etag).header('cache-control', CACHE_CONTROL);
    const asked = request.headers['if-none-match'];
    if (asked === undefined || !matches(asked, etag)) return payload;
    void reply.code(304);
    return '';
  });
}

function remember(map: Map<string, Remembered>, key: string, entry: Remembered): void {
  map.delete(key);
  map.set(key, entry);
  if (map.size > MAX_REMEMBERED) map.delete(map.keys().next().value!);
}

/** If-None-Match against one tag, by weak comparison (RFC 9110 §13.1.2): `*`, or any listed tag equal but for W/. */
function matches(ifNoneMatch: string, etag: string): boolean {
  if (ifNoneMatch.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => opaque(tag) === opaque(etag));
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 27);
}
