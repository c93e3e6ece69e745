// Bearer-token authentication against API_TOKENS, and the user-activity mark.
//
// Invariants: tokens are compared in constant time (timingSafeEqual over
// equal-length SHA-256 digests, every configured token checked, no early exit);
// a token never appears in logs or rate-limit keys (only a digest prefix does);
// exempt are the health check, the API description and docs, the provider
// webhook (which verifies an HMAC signature instead), and routes that declare
// `config: { public: true }` (the status page's static files).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.ts';
import type { UserActivity } from './activity.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A route anyone may call without a token (e.g. the status page, which asks for the token in the browser). */
    public?: boolean;
  }
}

export interface TokenChecker {
  /** A stable, non-secret id of the presented token when it is valid; null otherwise. */
  identify(authorization: string | undefined): string | null;
}

export function createTokenChecker(tokens: readonly string[]): TokenChecker {
  const digests = tokens.map(sha256);
  return {
    identify(authorization) {
      const presented = bearerToken(authorization);
      if (presented === null) return null;
      const digest = sha256(presented);
      let match = false;
      for (const known of digests) match = timingSafeEqual(digest, known) || match;
      return match ? digest.subarray(0, 8).toString('hex') : null;
    },
  };
}

function bearerToken(header: string | undefined): string | null {
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Routes anyone may call: probes, the API description, and HMAC-verified provider callbacks. */
export function isPublicRoute(method: string, path: string): boolean {
  const read = method === 'GET' || method === 'HEAD';
  if (read && (path === '/health' || path === '/openapi.json')) return true;
  if (read && (path === '/docs' || path.startsWith('/docs/'))) return true;
  return method === 'POST' && path === '/api/provider/events';
}

export function requestPath(request: FastifyRequest): string {
  const q = request.url.indexOf('?');
  return q === -1 ? request.url : request.url.slice(0, q);
}

export function installAuth(app: FastifyInstance, options: { tokens: TokenChecker; activity: UserActivity; now: () => Date }): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config?.public === true || isPublicRoute(request.method, requestPath(request))) return;
    const header = request.headers.authorization;
    if (options.tokens.identify(header) === null) {
      void reply.header('www-authenticate', 'Bearer');
      throw new ApiError(401, 'UNAUTHORIZED', header === undefined
        ? 'missing Authorization header: send "Authorization: Bearer <token>" with a token from API_TOKENS'
        : /^Bearer\s+\S+\s*$/i.test(header) ? 'invalid bearer token' : 'the Authorization header must be "Bearer <token>"');
    }
    options.activity.markActive(options.now());
  });
}
