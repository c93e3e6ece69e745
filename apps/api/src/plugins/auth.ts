// Bearer-token authentication against API_TOKENS, and the user-activity mark.
//
// Invariants: tokens are compared in constant time (@wakeplan/contract bearer.ts,
// the same check as the worker's doorbell); a token never appears in logs or
// rate-limit keys (only a digest prefix does). A route is public only by its own
// declaration, `config: { public: true }` (with `security: []` in its schema, so
// the OpenAPI document says the same): the health check, the API description and
// docs, the provider webhook (it verifies an HMAC signature instead) and the
// status page's files. Everything else, unknown paths included, needs a token.
// The check runs in preParsing — after the rate limit (a route's onRequest
// hook), so requests without a valid token are counted against their address
// too, and before any body is read.
import type { FastifyInstance } from 'fastify';
import { httpErrors } from '@fastify/sensible';
import { bearerToken, type BearerMatcher } from '@wakeplan/contract';
import type { UserActivity } from './activity.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A route anyone may call without a token. */
    public?: boolean;
  }
}

export function installAuth(app: FastifyInstance, options: { tokens: BearerMatcher; activity: UserActivity; now: () => Date }): void {
  app.addHook('preParsing', async (request, reply) => {
    if (request.routeOptions.config?.public === true) return;
    const header = request.headers.authorization;
    if (options.tokens(header) === null) {
      void reply.header('www-authenticate', 'Bearer');
      throw httpErrors.unauthorized(header === undefined
        ? 'missing Authorization header: send "Authorization: Bearer <token>" with a token from API_TOKENS'
        : bearerToken(header) !== null ? 'invalid bearer token' : 'the Authorization header must be "Bearer <token>"');
    }
    options.activity.markActive(options.now());
  });
}

/**
 * Marks every route registered in `app` (a plugin's own context) public: for
 * routes a library registers, such as the docs UI, which take no route options.
 */
export function makeRoutesPublic(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    route.config = { ...route.config, public: true };
  });
}
