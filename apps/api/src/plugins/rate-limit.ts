// Rate limiting per bearer token (a digest prefix, never the token), or per
// client IP for requests without a valid token. The limit is generous
// (RATE_LIMIT_PER_MINUTE, default 600) — it stops runaways, not users. Counters
// live in memory: nothing here touches the database.
import rateLimit from '@fastify/rate-limit';
import { httpErrors } from '@fastify/sensible';
import type { FastifyInstance } from 'fastify';
import type { BearerMatcher } from '@wakeplan/contract';

export async function registerRateLimit(app: FastifyInstance, perMinute: number, tokens: BearerMatcher): Promise<void> {
  await app.register(rateLimit, {
    max: perMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => {
      const id = tokens(request.headers.authorization);
      return id ? `token:${id}` : `ip:${request.ip}`;
    },
    errorResponseBuilder: (_request, context) => httpErrors.tooManyRequests(
      `too many requests: the limit is ${context.max} a minute; retry in ${context.after}`),
  });
}
