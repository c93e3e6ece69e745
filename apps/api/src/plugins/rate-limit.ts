// Rate limiting, in memory (nothing here touches the database). The limit is
// generous — it stops runaways, not users:
//   - every route: RATE_LIMIT_PER_MINUTE per bearer token (a digest prefix,
//     never the token), or per client IP for requests without a valid token
//     (behind a proxy the IP comes from X-Forwarded-For: set TRUST_PROXY);
//   - GET /health: not limited (`config: { rateLimit: false }`), so a load
//     balancer or an uptime monitor is never refused nor crowds anyone out;
//   - signed webhooks (provider events, and any route under /api/provider/* that
//     verifies a signature): `config: { rateLimit: false }` plus a call to the
//     limiter `limitSignedWebhook` returns, made once the signature is checked
//     and before a bad one is refused. A request with a valid signature counts
//     against a bucket of its own (PROVIDER_EVENTS_PER_MINUTE), so no amount
//     of other traffic from the same address — an uptime monitor, a browser —
//     can get a provider's outcomes refused; an invalid signature is anonymous
//     traffic and counts against its IP's bucket like any other.
// Responses carry X-RateLimit-Limit, -Remaining and -Reset; a 429 also Retry-After.
import rateLimit from '@fastify/rate-limit';
import { httpErrors } from '@fastify/sensible';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { BearerMatcher } from '@wakeplan/contract';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route verifies a signature and calls limitSignedWebhook itself (with `rateLimit: false`). */
    signedWebhook?: boolean;
  }
}

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

export type SignedWebhookLimiter = (request: FastifyRequest, reply: FastifyReply, signed: boolean) => Promise<void>;

/** The limiter of a signed webhook route (registered with `config: { rateLimit: false }`); throws the 429. */
export function limitSignedWebhook(app: FastifyInstance, signedPerMinute: number): SignedWebhookLimiter {
  const signedBucket = app.rateLimit({ max: signedPerMinute, timeWindow: 60_000, keyGenerator: () => 'webhook:signed' });
  const anonymousBucket = app.rateLimit();
  return async (request, reply, signed) => {
    await (signed ? signedBucket : anonymousBucket).call(app, request, reply);
  };
}
