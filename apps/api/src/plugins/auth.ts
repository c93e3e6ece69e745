// Bearer-token authentication against API_TOKENS, and the user-activity mark.
//
// Invariants: tokens are compared in constant time (@wakeplan/contract bearer.ts,
// the same check as the worker's doorbell); a token never appears in logs or
// rate-limit keys (only a digest prefix does);
// exempt are the health check, the API description and docs, the provider
// webhook (which verifies an HMAC signature instead), and routes that declare
// `config: { public: true }` (the status page's static files).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { bearerToken, type BearerMatcher } from '@wakeplan/contract';
import { ApiError } from '../errors.ts';
import type { UserActivity } from './activity.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A route anyone may call without a token (e.g. the status page, which asks for the token in the browser). */
    public?: boolean;
  }
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

export function installAuth(app: FastifyInstance, options: { tokens: BearerMatcher; activity: UserActivity; now: () => Date }): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config?.public === true || isPublicRoute(request.method, requestPath(request))) return;
    const header = request.headers.authorization;
    if (options.tokens(header) === null) {
      void reply.header('www-authenticate', 'Bearer');
      throw new ApiError(401, 'UNAUTHORIZED', header === undefined
        ? 'missing Authorization header: send "Authorization: Bearer <token>" with a token from API_TOKENS'
        : bearerToken(header) !== null ? 'invalid bearer token' : 'the Authorization header must be "Bearer <token>"');
    }
    options.activity.markActive(options.now());
  });
}
